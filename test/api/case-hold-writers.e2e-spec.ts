/**
 * Issue #14, every writer of a case holds it (docs/architecture.md "Placement"): work that writes to two
 * cases (a link, an unlink, closing as a duplicate) holds both before its first write, so a placement pass
 * moving the other case at that moment is waited for, never written past; the pass leaves a case no longer
 * than a few passes to overlapping holds, and the administrators see rows left past their release as a count.
 */
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { startApiCapturingLogs } from '../support/api-app';
import type request from 'supertest';
import { CaseWorld } from '../support/case-fixtures';
import { MovableClock } from '../support/movable-clock';
import { Clock } from '../../apps/api/src/sla/clock';
import {
  answeredAtOnce,
  duringPlacementPass,
  onePlacementPass,
  whilePlacementPassHolds,
} from '../support/placement-pass';
import { TEST_ENV } from '../support/test-env';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { ReporterTime } from '../../apps/api/src/reporter-time/reporter-time';
import { HeldAuditRelease } from '../../apps/api/src/workers/held-audit-release';
import { DataSource } from 'typeorm';
import type { Queue } from 'bullmq';
import { AuditRepository } from '../../apps/api/src/audit/audit.repository';
import { OutboxRelay } from '../../apps/api/src/outbox/outbox-relay.service';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('case holds: a writer of two cases and the placement pass', () => {
  const clock = new MovableClock();
  let app: INestApplication;
  let world: CaseWorld;
  const original = process.env.REPORTER_BATCHING;
  let H = Math.floor(Date.now() / HOUR) * HOUR + 3 * HOUR;
  /** The tables' owner, as the council's DBA: no row-level security. */
  const owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
  const caseIdOf = async (reference: string) =>
    (await owner.query<{ id: string }>(`SELECT id FROM cases WHERE reference = $1`, [reference])).rows[0]!.id;

  beforeAll(async () => {
    process.env.REPORTER_BATCHING = 'on';
    await owner.connect();
    app = (await startApiCapturingLogs((builder) => builder.overrideProvider(Clock).useValue(clock))).app;
    world = await CaseWorld.start('chold', { mo: ['monitoring_officer'], admin: ['administrator'] }, { app });
  });
  afterAll(async () => {
    process.env.REPORTER_BATCHING = original;
    await world?.close();
    await app?.close();
    await owner.end();
  });

  /** A reporter's case in the next free hour, visible from its release, and the clock just after it. */
  const releasedReport = async (): Promise<{ reference: string; release: Date }> => {
    H += 2 * HOUR;
    clock.setTo(new Date(H + 10 * MINUTE));
    const { reference } = await world.submit();
    const release = new Date(H + HOUR + 1000);
    clock.setTo(release);
    return { reference, release };
  };

  /** A case an officer records: staff's own, never noted for placement. */
  const staffCase = async (): Promise<string> => {
    const recorded = await world
      .as('mo')
      .post('/cases', {
        channel: 'phone',
        submission: {
          category: 'fraud_theft',
          answers: { whatHappened: 'Told me on the phone', howYouKnow: 'saw_it', raisedBefore: 'no' },
        },
      })
      .expect(201);
    return recorded.body.reference as string;
  };

  const duringPass = (boundary: Date, write: () => Promise<request.Response>) =>
    duringPlacementPass(world.tenant.id, boundary, write);

  it('links a case to one the placement pass is moving at that moment (it waits, then links)', async () => {
    const here = await staffCase();
    const { reference: other, release } = await releasedReport();
    const linked = await duringPass(release, () =>
      world
        .as('mo')
        .post(`/cases/${here}/links`, { reference: other, kind: 'same_subject', note: 'Same bidder.' })
        .then((res) => res),
    );
    expect({ status: linked.status, kind: linked.body.kind }).toEqual({ status: 201, kind: 'same_subject' });
    const links = await world.as('mo').get(`/cases/${other}/links`).expect(200);
    expect(links.body.items.map((l: { reference: string }) => l.reference)).toEqual([here]);
  });

  it('removes a link while the placement pass moves the other case, or says it did not', async () => {
    const here = await staffCase();
    const { reference: other, release } = await releasedReport();
    const link = await world
      .as('mo')
      .post(`/cases/${here}/links`, { reference: other, kind: 'same_pattern', note: 'Same pattern.' })
      .expect(201);
    const unlinked = await duringPass(release, () =>
      world
        .as('mo')
        .delete(`/cases/${here}/links/${link.body.id as string}`)
        .then((res) => res),
    );
    expect(unlinked.status).toBe(204);
    // Removed indeed: no link row is left behind a timeline saying "unlinked".
    expect(
      (await owner.query(`SELECT 1 FROM case_links WHERE id = $1`, [link.body.id as string])).rows,
    ).toHaveLength(0);
    const links = await world.as('mo').get(`/cases/${here}/links`).expect(200);
    expect(links.body.items).toEqual([]);
    expect(await caseIdOf(other)).toBeTruthy();
  });

  /** One pass of its own, committed: what it moved and the warnings it raised. */
  const onePass = (boundary: Date) => onePlacementPass(world.tenant.id, boundary);
  const notedOf = async (caseId: string) =>
    (
      await owner.query<{ skips: number }>(
        `SELECT h.skips FROM held_placement h WHERE h.tenant_id = $1 AND nolan_case_of(h.rel, h.row_key) = $2`,
        [world.tenant.id, caseId],
      )
    ).rows;

  it('passes a case over at most three times for holds that overlap, warning each time, then waits for them', async () => {
    const { reference, release } = await releasedReport();
    const caseId = await caseIdOf(reference);
    // A login that holds the case (as a writer would) across every pass.
    const holder = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock_shared(1763905100, hashtext($1))`, [caseId]);
      for (let i = 1; i <= 3; i += 1) {
        const { moved, warnings } = await onePass(release);
        expect(moved).toBe(0);
        expect(warnings.some((w) => /left for the next pass/.test(w))).toBe(true);
        // The warning names the table and the count, never the case.
        expect(warnings.join('\n')).not.toContain(caseId);
        expect(new Set((await notedOf(caseId)).map((r) => r.skips))).toEqual(new Set([i]));
      }
      // The fourth pass waits for the holds there are (new ones queue behind it), which end meanwhile.
      const fourth = onePass(release);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await holder.query('COMMIT');
      expect((await fourth).moved).toBeGreaterThan(0);
    } finally {
      await holder.end();
    }
    expect(await notedOf(caseId)).toEqual([]);
  });

  it('says in its warning whether the row’s case or its council (a writer of many cases) was held', async () => {
    const { reference, release } = await releasedReport();
    const caseId = await caseIdOf(reference);
    const left = /left for the next pass/;
    const holder = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await holder.connect();
    try {
      // The council held, as staff key recovery holds it (nolan_hold_council's lock, by hand).
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock_shared(1763905700, hashtext($1))`, [world.tenant.id]);
      const councilHeld = await onePass(release);
      await holder.query('COMMIT');
      expect(councilHeld.moved).toBe(0);
      expect(councilHeld.warnings.filter((w) => left.test(w)).length).toBeGreaterThan(0);
      for (const warning of councilHeld.warnings.filter((w) => left.test(w)))
        expect(warning).toMatch(/, its council held by a writer of many cases \(passed over 1 times\)$/);

      // The case held, as any writer of it holds it.
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock_shared(1763905100, hashtext($1))`, [caseId]);
      const caseHeld = await onePass(release);
      await holder.query('COMMIT');
      expect(caseHeld.moved).toBe(0);
      expect(caseHeld.warnings.filter((w) => left.test(w)).length).toBeGreaterThan(0);
      for (const warning of caseHeld.warnings.filter((w) => left.test(w))) {
        expect(warning).toMatch(/, its case held \(passed over 2 times\)$/);
        expect(warning).not.toContain(caseId);
      }
    } finally {
      await holder.end();
    }
    // Neither held: the pass moves them.
    expect((await onePass(release)).moved).toBeGreaterThan(0);
    expect(await notedOf(caseId)).toEqual([]);
  });

  it('lets a read through while the pass holds the case (a read holds nothing)', async () => {
    const { reference, release } = await releasedReport();
    const read = await whilePlacementPassHolds(world.tenant.id, release, () =>
      answeredAtOnce(
        world
          .as('mo')
          .get(`/cases/${reference}/audit`)
          .then((res) => res.status),
      ),
    );
    expect(read).toBe(200);
  });

  it('answers an excluded person’s write at once while the pass holds the case (the door holds a case only for someone it admits)', async () => {
    const { reference, release } = await releasedReport();
    const caseId = await caseIdOf(reference);
    // An investigator named in the concern, with a grant left behind (the door refuses them all the same).
    const named = await world.addUser('named', ['investigator']);
    await owner.query(
      `INSERT INTO case_grants (tenant_id, case_id, scope, grantee_kind, grantee_id, encrypted_scope_key)
       SELECT tenant_id, case_id, scope, 'staff', $2, encrypted_scope_key FROM case_grants
        WHERE case_id = $1 AND scope = 'report' AND grantee_kind = 'staff' LIMIT 1`,
      [caseId, named.id],
    );
    await owner.query(
      `INSERT INTO case_exclusions (tenant_id, case_id, user_id, kind) VALUES ($1, $2, $3, 'named_as_involved')`,
      [world.tenant.id, caseId, named.id],
    );
    // The same 404 as anyone refused, answered while the pass still holds the case: a refused person
    // waiting on the pass would learn from the wait that a reporter's batch was just placed there.
    const answered = await whilePlacementPassHolds(world.tenant.id, release, () =>
      answeredAtOnce(
        world
          .as('named')
          .post(`/cases/${reference}/notes`, { text: 'Nothing to see.' })
          .then((res) => ({ status: res.status, message: res.body.message as string })),
      ),
    );
    expect(answered).toEqual({ status: 404, message: 'There is no case with this reference.' });
  });

  it('keeps a batch’s placement when the council’s audit trail is held past the wait, and relays none of the batch until its entries are in', async () => {
    const { reference } = await releasedReport();
    const caseId = await caseIdOf(reference);
    const release = new HeldAuditRelease(app.get(DataSource), app.get(AuditService), app.get(ReporterTime));
    // The relay, with a queue that only notes what it was given.
    const queued: { caseId: string }[] = [];
    const queue = { add: async (_name: string, job: { caseId: string }) => queued.push(job) };
    const relay = new OutboxRelay(app.get(DataSource), queue as unknown as Queue, app.get(ReporterTime));
    const noted = async () =>
      (await owner.query(`SELECT 1 FROM held_placement WHERE tenant_id = $1`, [world.tenant.id])).rows.length;
    const heldEntries = async () =>
      (await owner.query(`SELECT 1 FROM audit_held WHERE tenant_id = $1`, [world.tenant.id])).rows.length;
    expect(await noted()).toBeGreaterThan(0);
    expect(await heldEntries()).toBeGreaterThan(0);

    // A staff transaction keeps the council's audit trail (a long key recovery) past the release's wait.
    const long = app.get(DataSource).createQueryRunner();
    await long.connect();
    await long.startTransaction();
    try {
      await long.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [world.tenant.id]);
      await new AuditRepository().lockTrail(long.manager, world.tenant.id);
      await expect(release.releaseOnce()).rejects.toThrow(/lock timeout/);
      // The rows are placed all the same; the entries wait, and so does every outbox row of the batch.
      expect(await noted()).toBe(0);
      expect(await heldEntries()).toBeGreaterThan(0);
      await relay.relayOnce();
      expect(queued.filter((job) => job.caseId === caseId)).toEqual([]);
    } finally {
      await long.commitTransaction();
      await long.release();
    }
    // Once the trail is free: the entries first, then the batch's outbox rows.
    await release.releaseOnce();
    expect(await heldEntries()).toBe(0);
    await relay.relayOnce();
    expect(queued.filter((job) => job.caseId === caseId).length).toBeGreaterThan(0);
  });

  it('shows the administrators how many reporter rows wait past their release, as a count', async () => {
    const { release } = await releasedReport();
    const release2 = () =>
      new HeldAuditRelease(app.get(DataSource), app.get(AuditService), app.get(ReporterTime)).releaseOnce();
    clock.setTo(new Date(release.getTime() + 10 * MINUTE));
    const overdue = await world.as('admin').get('/admin/queues').expect(200);
    expect(overdue.body.placementOverdue).toBeGreaterThan(0);
    await release2();
    const placed = await world.as('admin').get('/admin/queues').expect(200);
    expect(placed.body.placementOverdue).toBe(0);
  });
});
