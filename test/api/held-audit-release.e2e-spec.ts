/**
 * The held-audit release (apps/api/src/workers/held-audit-release.ts) runs on every 250 ms relay pass.
 * It opens a transaction only for the councils that have held entries due (nolan_held_audit_due_tenants,
 * which returns tenant ids and nothing else), never one for every council (docs/performance.md "Routing
 * latency"); entries due are still appended to their council's chain exactly once, and entries not yet
 * due stay held.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { AuditRepository } from '../../apps/api/src/audit/audit.repository';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import type { ReporterTime } from '../../apps/api/src/reporter-time/reporter-time';
import { HeldAuditRelease, TRAIL_WAIT } from '../../apps/api/src/workers/held-audit-release';
import { StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

// Batch boundaries on the hour: one passed, one to come (the chain keeps its entries in time order).
const HOUR = 3_600_000;
const NOW = new Date();
const DUE = new Date(Math.floor(NOW.getTime() / HOUR) * HOUR);
const LATER = new Date(DUE.getTime() + 2 * HOUR);

describe('the held-audit release', () => {
  let fixtures: StaffFixtures;
  let due: { id: string };
  let notDue: { id: string };

  const inTenant = <T>(tenantId: string, work: (m: EntityManager) => Promise<T>) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      return work(m);
    });
  const hold = (tenantId: string, releaseAt: Date, action: string) =>
    inTenant(tenantId, (m) =>
      m.query(
        `INSERT INTO audit_held (tenant_id, release_at, actor_type, action) VALUES ($1, $2, 'reporter', $3)`,
        [tenantId, releaseAt, action],
      ),
    );
  /** The council's chain entries at the batch times used here (making the council wrote its own). */
  const chain = (tenantId: string) =>
    inTenant(
      tenantId,
      async (m) =>
        (await m.query(
          `SELECT action, occurred_at FROM audit_entries WHERE occurred_at IN ($1, $2) ORDER BY seq`,
          [DUE, LATER],
        )) as {
          action: string;
          occurred_at: Date;
        }[],
    );
  const held = (tenantId: string) =>
    inTenant(tenantId, async (m) => (await m.query(`SELECT action FROM audit_held`)) as { action: string }[]);

  beforeAll(async () => {
    fixtures = await StaffFixtures.open();
    due = await fixtures.tenant('held-due');
    notDue = await fixtures.tenant('held-later');
    await hold(due.id, DUE, 'case.created');
    await hold(due.id, DUE, 'case.message_sent');
    await hold(notDue.id, LATER, 'case.created');
  });
  afterAll(async () => {
    // Leave nothing held for later suites on this database.
    await inTenant(notDue.id, (m) => m.query(`DELETE FROM audit_held`));
    await fixtures.close();
  });

  it('names only the councils with entries due, as the application role, and nothing else', async () => {
    const rows: { id: string }[] = await fixtures.dataSource.query(
      `SELECT nolan_held_audit_due_tenants($1) AS id`,
      [NOW],
    );
    const ids = rows.map((r) => r.id);
    expect(ids).toContain(due.id);
    expect(ids).not.toContain(notDue.id);
    expect(Object.keys(rows[0] ?? {})).toEqual(['id']);
  });

  it('opens a transaction only for councils with entries due, and appends them once', async () => {
    const visited: string[] = [];
    // The release's DataSource, recording which council each of its transactions is opened for.
    const source = fixtures.dataSource;
    const recording = new Proxy(source, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return (work: (m: EntityManager) => Promise<unknown>) =>
          target.transaction((m) =>
            work(
              new Proxy(m, {
                get(manager, key, r) {
                  if (key !== 'query') return Reflect.get(manager, key, r);
                  return (sql: string, parameters?: unknown[]) => {
                    if (sql.includes(`set_config('nolan.tenant_id'`)) visited.push(String(parameters?.[0]));
                    return manager.query(sql, parameters);
                  };
                },
              }),
            ),
          );
      },
    }) as DataSource;
    const clock = { now: () => NOW } as unknown as ReporterTime;
    const release = new HeldAuditRelease(
      recording,
      new AuditService(new AuditRepository(), TEST_ENV.AUDIT_KEY),
      clock,
    );
    await release.releaseOnce();
    expect(visited).toContain(due.id);
    expect(visited).not.toContain(notDue.id);
    expect((await chain(due.id)).map((e) => e.action).sort()).toEqual(['case.created', 'case.message_sent']);
    expect((await chain(due.id)).every((e) => new Date(e.occurred_at).getTime() === DUE.getTime())).toBe(
      true,
    );
    expect(await held(due.id)).toHaveLength(0);
    expect(await held(notDue.id)).toEqual([{ action: 'case.created' }]);
    expect(await chain(notDue.id)).toHaveLength(0);

    // A second pass finds nothing due in either council and appends nothing more.
    visited.length = 0;
    await release.releaseOnce();
    expect(visited).not.toContain(due.id);
    expect(await chain(due.id)).toHaveLength(2);
  });

  it('releases every other council when one council’s pass fails, and that one on a later pass', async () => {
    const failing = await fixtures.tenant('held-failing');
    const other = await fixtures.tenant('held-other');
    await hold(failing.id, DUE, 'case.created');
    await hold(other.id, DUE, 'case.created');
    const clock = { now: () => NOW } as unknown as ReporterTime;
    const audit = new AuditService(new AuditRepository(), TEST_ENV.AUDIT_KEY);
    // One council's release breaks (whatever the cause), for one pass only.
    const broken = Object.create(audit) as AuditService;
    broken.releaseHeld = async (m, until) => {
      const [{ tenant }] = (await m.query(`SELECT nolan_current_tenant() AS tenant`)) as { tenant: string }[];
      if (tenant === failing.id) throw new Error('this council’s pass fails');
      return audit.releaseHeld(m, until);
    };
    await expect(new HeldAuditRelease(fixtures.dataSource, broken, clock).releaseOnce()).rejects.toThrow(
      'this council’s pass fails',
    );
    expect(await held(other.id)).toHaveLength(0);
    expect((await chain(other.id)).map((e) => e.action)).toEqual(['case.created']);
    expect(await held(failing.id)).toEqual([{ action: 'case.created' }]);

    await new HeldAuditRelease(fixtures.dataSource, audit, clock).releaseOnce();
    expect(await held(failing.id)).toHaveLength(0);
    expect((await chain(failing.id)).map((e) => e.action)).toEqual(['case.created']);
  });

  it('leaves a council whose audit trail a long transaction holds for a later pass, and releases the others meanwhile', async () => {
    const busy = await fixtures.tenant('held-busy');
    const other = await fixtures.tenant('held-beside');
    await hold(busy.id, DUE, 'case.created');
    await hold(other.id, DUE, 'case.created');
    const clock = { now: () => NOW } as unknown as ReporterTime;
    const audit = new AuditService(new AuditRepository(), TEST_ENV.AUDIT_KEY);
    // A staff transaction that appends to the busy council's trail and stays open (a long key recovery).
    const long = fixtures.dataSource.createQueryRunner();
    await long.connect();
    await long.startTransaction();
    try {
      await new AuditRepository().lockTrail(long.manager, busy.id);
      const started = Date.now();
      await expect(new HeldAuditRelease(fixtures.dataSource, audit, clock).releaseOnce()).rejects.toThrow(
        /lock timeout/,
      );
      // Waited the set while for the busy council, no longer, and released the other one meanwhile.
      expect(Date.now() - started).toBeLessThan(3 * Number.parseInt(TRAIL_WAIT, 10) * 1000);
      expect(await held(other.id)).toHaveLength(0);
      expect((await chain(other.id)).map((e) => e.action)).toEqual(['case.created']);
      expect(await held(busy.id)).toEqual([{ action: 'case.created' }]);
    } finally {
      await long.commitTransaction();
      await long.release();
    }
    // Once the long transaction has ended, the next pass releases the busy council too.
    await new HeldAuditRelease(fixtures.dataSource, audit, clock).releaseOnce();
    expect(await held(busy.id)).toHaveLength(0);
    expect((await chain(busy.id)).map((e) => e.action)).toEqual(['case.created']);
  });
});
