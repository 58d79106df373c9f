/**
 * Issue #14, staff key recovery and the placement pass (docs/architecture.md "Placement"): a recovery
 * replaces the person's grant on every case they hold, in one transaction, and must keep the pass off
 * those cases meanwhile. One advisory lock per case would take as many entries of Postgres's shared lock
 * table as the person holds cases (the monitoring officer: nearly every case of the council), which fails
 * with "out of shared memory" for a large council. So a recovery of a person holding many cases holds their
 * council, with one lock, and the pass leaves the council's rows for a pass after the recovery commits.
 */
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { startApiCapturingLogs } from '../support/api-app';
import { CaseWorld } from '../support/case-fixtures';
import { onePlacementPass } from '../support/placement-pass';
import { MovableClock } from '../support/movable-clock';
import { TEST_ENV } from '../support/test-env';
import { signInAs, type TestUser } from '../support/staff-fixtures';
import { Clock } from '../../apps/api/src/sla/clock';
import { MailService } from '../../apps/api/src/notifications/mail.service';
import { CASES_HELD_ONE_BY_ONE } from '../../apps/api/src/reporter-time/case-hold';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { CasesRepository } from '../../apps/api/src/cases/store/cases.repository';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The mail service, with the temporary password's e-mail (the recovery's last step, inside its
 * transaction) kept waiting until the test lets it go, so the recovery's transaction can be looked at.
 * (Its state is kept here, not on the object: the module may use a copy of the value it is given.)
 */
const gate = {
  reached: (): void => undefined,
  open: (): void => undefined,
  /** Resolves once the next recovery's e-mail is waiting. */
  nextReached: Promise.resolve(),
  opened: Promise.resolve(),
  /** The next temporary password's e-mail waits until `open`. */
  close(): void {
    this.nextReached = new Promise<void>((resolve) => (this.reached = resolve));
    this.opened = new Promise<void>((resolve) => (this.open = resolve));
  },
};

/** Whom the other e-mails would have gone to (none is sent). */
const otherMail: string[] = [];
const gatedMail = {
  async sendTemporaryPassword(): Promise<void> {
    gate.reached();
    await gate.opened;
  },
  async sendNotice(to: string): Promise<void> {
    otherMail.push(to);
  },
  async sendAccountNotice(to: string): Promise<void> {
    otherMail.push(to);
  },
  onApplicationShutdown(): void {
    otherMail.length = 0;
  },
};

describe('recovering the account of someone holding many cases', () => {
  const clock = new MovableClock();
  let app: INestApplication;
  let world: CaseWorld;
  const original = process.env.REPORTER_BATCHING;
  let H = Math.floor(Date.now() / HOUR) * HOUR + 3 * HOUR;
  /** The tables' owner, as the council's DBA: no row-level security. */
  const owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
  const CASES = CASES_HELD_ONE_BY_ONE * 3;

  beforeAll(async () => {
    process.env.REPORTER_BATCHING = 'on';
    await owner.connect();
    app = (
      await startApiCapturingLogs((builder) =>
        builder.overrideProvider(Clock).useValue(clock).overrideProvider(MailService).useValue(gatedMail),
      )
    ).app;
    world = await CaseWorld.start('cnhold', { mo: ['monitoring_officer'] }, { app });
  });
  afterAll(async () => {
    gate.open();
    process.env.REPORTER_BATCHING = original;
    await world?.close();
    await app?.close();
    await owner.end();
  });

  /** Another monitoring officer, holding `CASES` recorded cases with mo. */
  const officerWithManyCases = async (): Promise<TestUser> => {
    const officer = await world.fixtures.user(world.tenant.id, ['monitoring_officer']);
    for (let i = 0; i < CASES; i += 1)
      await world.fixtures.case(world.tenant.id, {
        category: 'fraud_theft',
        staffIds: [world.user('mo').id, officer.id],
        report: { whatHappened: `case ${i}` },
      });
    return officer;
  };

  /** Starts `target`'s recovery by the officer signed in as `by`; resolves once its e-mail waits. */
  const recoveryWaitingOnItsMail = async (by: string, target: TestUser) => {
    gate.close();
    const reached = gate.nextReached;
    const answered = request(world.server)
      .post(`/api/v1/staff/${target.id}/recovery`)
      .auth(by, { type: 'bearer' })
      .send({ recoveryPassphrase: world.tenant.escrowRecoveryPassphrase })
      .then((res) => res);
    await Promise.race([
      reached,
      answered.then((res) => {
        throw new Error(`the recovery answered ${res.status} before its e-mail: ${JSON.stringify(res.body)}`);
      }),
    ]);
    return { answered }; // in an object: an async function's promise would wait for the answer itself
  };

  /** The advisory locks each other session of this database holds (the recovery's among them). */
  const advisoryLocksBySession = async (): Promise<number[]> =>
    (
      await owner.query<{ held: string }>(
        `SELECT count(*) AS held FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          GROUP BY pid`,
      )
    ).rows.map((r) => Number(r.held));

  it('holds a small constant number of advisory locks, however many cases the person holds', async () => {
    const officer = await officerWithManyCases();
    const { answered } = await recoveryWaitingOnItsMail(world.tokens.mo!, officer);
    try {
      const held = await advisoryLocksBySession();
      // The recovery's transaction is open (its e-mail waits) and has replaced every grant: its locks are
      // the council's and the audit trail's, not one per case.
      expect(held.length).toBeGreaterThan(0);
      expect(Math.max(...held)).toBeLessThanOrEqual(2);
    } finally {
      gate.open();
    }
    const res = await answered;
    expect({ status: res.status, regranted: res.body.regranted, lost: res.body.lost }).toEqual({
      status: 201,
      regranted: CASES * 2,
      lost: 0,
    });
  });

  /** A reporter's case in the next free hour, and the clock just after its release. */
  const releasedReport = async (): Promise<{ reference: string; release: Date }> => {
    H += 2 * HOUR;
    clock.setTo(new Date(H + 10 * MINUTE));
    const { reference } = await world.submit();
    const release = new Date(H + HOUR + 1000);
    clock.setTo(release);
    return { reference, release };
  };

  /** One pass of its own, committed: what it moved and the warnings it raised. */
  const onePass = (boundary: Date) => onePlacementPass(world.tenant.id, boundary);

  /** The council's rows noted for placement, and how many passes left each. */
  const noted = async () =>
    (
      await owner.query<{ rel: string; skips: number }>(
        `SELECT h.rel::text AS rel, h.skips FROM held_placement h WHERE h.tenant_id = $1`,
        [world.tenant.id],
      )
    ).rows;

  const grantsOf = async (user: TestUser) =>
    Number(
      (
        await owner.query<{ n: string }>(
          `SELECT count(*) AS n FROM case_grants WHERE grantee_kind = 'staff' AND grantee_id = $1`,
          [user.id],
        )
      ).rows[0]!.n,
    );

  it('leaves the council’s rows unmoved during the recovery and moves them on the pass after it commits', async () => {
    // A second monitoring officer recovers the first, who oversees the reporter's case and many more.
    const officer = await officerWithManyCases();
    const officerToken = await signInAs(world.server, world.tenant.slug, officer);
    const mo = world.user('mo');
    const { reference, release } = await releasedReport();
    // The recovery replaces mo's grants on the reporter's case too: rows the pass would move.
    expect(await world.fixtures.staffGrantees(world.tenant.id, reference)).toContain(mo.id);
    const before = await noted();
    expect(before.length).toBeGreaterThan(0);
    expect(before.map((r) => r.rel)).toContain('case_grants');

    const grants = await grantsOf(mo);
    expect(grants).toBeGreaterThan(CASES_HELD_ONE_BY_ONE);
    const { answered } = await recoveryWaitingOnItsMail(officerToken, mo);
    const during: { moved: number; warnings: string[]; skips: number[] }[] = [];
    try {
      // Four passes: the fourth finds every row passed over three times and waits (half a second at
      // most) for the council, which the recovery still holds, then leaves the rows again.
      for (let i = 0; i < 4; i += 1) {
        const pass = await onePass(release);
        during.push({ ...pass, skips: (await noted()).map((r) => r.skips) });
      }
    } finally {
      gate.open();
    }
    during.forEach((pass, i) => {
      expect(pass.moved).toBe(0);
      expect(pass.warnings.some((w) => /left for the next pass/.test(w))).toBe(true);
      // Every row left, each counting the passes that left it (the starvation rule's count).
      expect(pass.skips).toEqual(before.map(() => i + 1));
    });
    const res = await answered;
    expect({ status: res.status, regranted: res.body.regranted }).toEqual({
      status: 201,
      regranted: grants,
    });

    const after = await onePass(release);
    expect(after.moved).toBeGreaterThan(0);
    expect(await noted()).toEqual([]);
    // mo's replaced grants were moved with the reporter's case.
    expect(await world.fixtures.staffGrantees(world.tenant.id, reference)).toContain(mo.id);
  });

  it('re-makes every grant before its first audit entry, so the audit trail waits only for the writes', async () => {
    const officer = await officerWithManyCases();
    // Recovered by a monitoring officer of their own (mo's sessions ended when mo was recovered above).
    const recoverer = await world.fixtures.user(world.tenant.id, ['monitoring_officer']);
    const recovererToken = await signInAs(world.server, world.tenant.slug, recoverer);
    // The order of the recovery's escrow reads (each followed by its grant's cryptography) and its
    // audit entries (the first takes the council's trail lock until the recovery commits).
    const steps: string[] = [];
    const cases = app.get(CasesRepository);
    const audit = app.get(AuditService);
    const read = cases.escrowGrant.bind(cases);
    const append = audit.append.bind(audit);
    const reads = jest.spyOn(cases, 'escrowGrant').mockImplementation(async (...args) => {
      steps.push('remake');
      return read(...args);
    });
    const appends = jest.spyOn(audit, 'append').mockImplementation(async (...args) => {
      steps.push('audit');
      return append(...args);
    });
    try {
      gate.close();
      gate.open();
      const res = await request(world.server)
        .post(`/api/v1/staff/${officer.id}/recovery`)
        .auth(recovererToken, { type: 'bearer' })
        .send({ recoveryPassphrase: world.tenant.escrowRecoveryPassphrase });
      expect({ status: res.status, regranted: res.body.regranted }).toEqual({
        status: 201,
        regranted: CASES * 2,
      });
    } finally {
      reads.mockRestore();
      appends.mockRestore();
    }
    expect(steps.filter((s) => s === 'remake')).toHaveLength(CASES * 2);
    expect(steps.join(' ')).toBe(
      [...Array(CASES * 2).fill('remake'), ...Array(CASES * 2 + 1).fill('audit')].join(' '),
    );
  });
});
