/**
 * Issue #14, the rows' physical order (docs/architecture.md "Reporter time", "Placement"): a dump lists
 * each table's rows in the order they sit on disk, which follows insertion, so a reporter's case and items
 * written at once would sit between the staff rows written before and after them in the same hour. Staff
 * work on cases of their own at minutes 5, 30 and 55 (officer-recorded reports, notes), a reporter sends a
 * report at 17 and a message at 43; after the batch's release, in a pg_dump and in ctid order, no row the
 * reporter's actions wrote lies between two staff rows of that hour, in any table they wrote to.
 *
 * The same holds for the reporter's author key (pinned in `author_keys` when they first sign, among the
 * keys of staff signing for the first time that hour) and, the hour after, for what a reporter's naming
 * of people after intake writes to a case already in place (its exclusions, its grants, the case itself).
 */
import { execFileSync } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { ReporterTime } from '../../apps/api/src/reporter-time/reporter-time';
import { Clock } from '../../apps/api/src/sla/clock';
import { HeldAuditRelease } from '../../apps/api/src/workers/held-audit-release';
import { startApiCapturingLogs } from '../support/api-app';
import { CaseWorld } from '../support/case-fixtures';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { MovableClock } from '../support/movable-clock';
import { duringPlacementPass } from '../support/placement-pass';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The tables a reporter's report and message write rows of their own to (each must show them). */
const WRITTEN = [
  'cases',
  'case_items',
  'case_grants',
  'case_scope_keys',
  'reporter_keys',
  'outbox',
  'audit_entries',
];

/** The same tables (outbox rows are the case's by aggregate_id), and the column naming the case. */
const WRITTEN_BY_CASE: Record<string, string> = {
  cases: 'id',
  case_items: 'case_id',
  case_grants: 'case_id',
  case_scope_keys: 'case_id',
  reporter_keys: 'case_id',
  outbox: 'aggregate_id',
};

/**
 * Where the reporter's rows fall among the hour's staff rows, in the order given: each row as 'R' if it
 * names the reporter's case, 'S' if it names a staff case of the hour, left out otherwise. A reporter's
 * row between two staff rows shows as S…R…S.
 */
function interleaving(rows: readonly string[], reporterCase: string, staffCases: readonly string[]): string {
  return rows
    .map((row) => (row.includes(reporterCase) ? 'R' : staffCases.some((id) => row.includes(id)) ? 'S' : ''))
    .join('');
}

describe('reporter time: a reporter’s rows take their place at the batch’s release', () => {
  const clock = new MovableClock();
  let app: INestApplication;
  let world: CaseWorld;
  const original = process.env.REPORTER_BATCHING;
  const H = Math.floor(Date.now() / HOUR) * HOUR + 3 * HOUR;
  const at = (minutes: number) => new Date(H + minutes * MINUTE);
  const staffCases: string[] = [];
  /** Staff whose keys were first pinned in the hour (each signs for the first time in it). */
  const staffAuthors: string[] = [];
  let reporterCase: string;
  let receipt: string;

  /** The tables' owner, as the council's DBA: no row-level security. */
  const owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
  const caseIdOf = async (reference: string) =>
    (await owner.query<{ id: string }>(`SELECT id FROM cases WHERE reference = $1`, [reference])).rows[0]!.id;

  /** An officer records a report on someone's behalf and notes something on it: staff rows in every table. */
  const staffWork = async () => {
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
    const reference = recorded.body.reference as string;
    await world.as('mo').post(`/cases/${reference}/notes`, { text: 'Called back.' }).expect(201);
    staffCases.push(await caseIdOf(reference));
    // A new member of staff signs for the first time (an oral report they take): their key is pinned.
    const name = `lead${staffAuthors.length}`;
    staffAuthors.push((await world.addUser(name, ['safeguarding_lead'])).id);
    const taken = await world
      .as(name)
      .post('/cases', {
        channel: 'in_person',
        submission: {
          category: 'fraud_theft',
          answers: { whatHappened: 'Told me at the desk', howYouKnow: 'saw_it', raisedBefore: 'no' },
        },
      })
      .expect(201);
    staffCases.push(await caseIdOf(taken.body.reference as string));
  };

  /**
   * The suites before this one on the same database deleted rows, and once a vacuum has noted the space
   * they left, Postgres puts a new row there, before the rows already written, as it would any write made
   * at the release (docs/architecture.md "Placement"). So that "after the hour's rows" is where a new row
   * goes, as on a database nobody has deleted from, each table is rewritten compactly first and left
   * unvacuumed for the suite (its settings restored after it).
   */
  const publicTables = async () =>
    (
      await owner.query<{ name: string }>(
        `SELECT quote_ident(table_name) AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      )
    ).rows.map((r) => r.name);
  async function compactTables(): Promise<void> {
    for (const table of await publicTables()) {
      await owner.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
      await owner.query(`VACUUM FULL ${table}`);
    }
  }
  async function restoreVacuum(): Promise<void> {
    for (const table of await publicTables())
      await owner.query(`ALTER TABLE ${table} RESET (autovacuum_enabled)`);
  }

  beforeAll(async () => {
    process.env.REPORTER_BATCHING = 'on';
    await owner.connect();
    await compactTables();
    app = (await startApiCapturingLogs((builder) => builder.overrideProvider(Clock).useValue(clock))).app;
    world = await CaseWorld.start('rplace', { mo: ['monitoring_officer'], inv: ['investigator'] }, { app });
  });
  afterAll(async () => {
    process.env.REPORTER_BATCHING = original;
    await world?.close();
    await app?.close();
    await restoreVacuum();
    await owner.end();
  });

  it('puts no row of a report or a reporter’s message between two staff rows of its hour', async () => {
    clock.setTo(at(5));
    await staffWork();

    clock.setTo(at(17));
    const sent = await request(world.server)
      .post(`/api/v1/tenants/${world.tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
        identity: { name: 'Pat Example', jobTitle: 'Planning officer', contact: 'pat@example.org' },
        altcha: await solvedAltcha(world.server, world.tenant.slug),
      })
      .expect(201);
    reporterCase = await caseIdOf(sent.body.reference as string);
    receipt = sent.body.receipt as string;

    clock.setTo(at(30));
    await staffWork();

    clock.setTo(at(43));
    const token = await signInWithReceipt(world.server, world.tenant.slug, sent.body.receipt as string);
    await request(world.server)
      .post('/api/v1/reporter/case/messages')
      .auth(token, { type: 'bearer' })
      .field('text', 'The tickets were for the final.')
      .expect(201);

    clock.setTo(at(55));
    await staffWork();
    await world
      .as('mo')
      .post(`/cases/${await refOf(staffCases[0]!)}/notes`, { text: 'Filed.' })
      .expect(201);

    // One table after another: the owner's one connection runs one query at a time.
    const contents = async () => {
      const rows: Record<string, string[]> = {};
      for (const [table, column] of Object.entries(WRITTEN_BY_CASE)) {
        rows[table] = (
          await owner.query<{ row: string }>(
            `SELECT t::text AS row FROM ${table} t WHERE ${column} = $1 ORDER BY t::text`,
            [reporterCase],
          )
        ).rows.map((r) => r.row);
      }
      return rows;
    };
    const written = await contents();
    // Before the boundary no row of the batch is in a staff table (a table's own heap, what a copy of it
    // lists), and every one is read through it, in its held child (docs/architecture.md "Held tables").
    for (const [table, column] of Object.entries(WRITTEN_BY_CASE)) {
      expect({ table, own: await ownRows(table, column) }).toEqual({ table, own: 0 });
      expect({ table, read: written[table]!.length > 0 }).toEqual({ table, read: true });
    }
    // The reporter's key too: pinned, read through author_keys, and in none of its own rows.
    const keysBefore = await authorKeyOrder();
    expect(keysBefore).toMatch(/R/);
    expect(await ownRows('author_keys', 'owner_id')).toBe(0);
    // And in a pg_dump taken then, as the council's IT could: the batch's rows are in the held tables'
    // COPY blocks only (and the holding tables', which say which rows wait), never a staff table's.
    const early: Record<string, string> = {};
    for (const block of pgDump().matchAll(/^COPY public\.(\w+) \([^)]*\) FROM stdin;\n([\s\S]*?)^\\\.$/gm)) {
      if (block[2]!.includes(reporterCase)) early[block[1]!] = block[2]!;
    }
    expect(Object.keys(early).sort()).toEqual(
      [
        ...Object.keys(WRITTEN_BY_CASE).map((table) => `${table}_held`),
        'author_keys_held',
        'audit_held',
        'held_placement',
      ].sort(),
    );

    // The boundary: the worker's pass (here called directly) puts the batch's rows back in place.
    clock.setTo(new Date(H + HOUR + 1000));
    const dataSource = app.get(DataSource);
    await new HeldAuditRelease(dataSource, app.get(AuditService), app.get(ReporterTime)).releaseOnce();
    expect(
      (await owner.query(`SELECT 1 FROM held_placement WHERE tenant_id = $1`, [world.tenant.id])).rows,
    ).toHaveLength(0);

    // In ctid order, the heap's own order, in every table: no reporter's row between two staff rows of
    // the hour (and every table the reporter wrote to has their rows, after the staff's).
    const after = await interleavings();
    // Moved, not changed: every row of the reporter's case holds exactly what it held.
    expect(await contents()).toEqual(written);
    for (const table of WRITTEN) expect(after[table]).toMatch(/^S+R+$/);
    for (const [table, order] of Object.entries(after)) {
      expect({ table, order }).toEqual({ table, order: expect.not.stringMatching(/S.*R.*S/) });
    }
    // The reporter's key row too, the same row (the pin still verifies: the reporter reads their case below).
    expect(await authorKeyOrder()).toBe(keysBefore.replace(/R/g, '') + 'R');

    // And in a pg_dump of the whole database, as the council's IT would take it: every table's COPY block.
    const dump = pgDump();
    const dumped: Record<string, string> = {};
    for (const block of dump.matchAll(/^COPY public\.(\w+) \([^)]*\) FROM stdin;\n([\s\S]*?)^\\\.$/gm)) {
      dumped[block[1]!] = interleaving(block[2]!.split('\n'), reporterCase, staffCases);
    }
    for (const table of WRITTEN) expect(dumped[table]).toMatch(/S.*R/);
    for (const [table, order] of Object.entries(dumped)) {
      expect({ table, order }).toEqual({ table, order: expect.not.stringMatching(/S.*R.*S/) });
    }
    const keyBlock = /^COPY public\.author_keys \([^)]*\) FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(dump);
    expect(interleaving(keyBlock![1]!.split('\n'), reporterCase, staffAuthors)).toMatch(/^S+R$/);

    // The rows are the same rows: the reporter still reads their case, and staff now see it whole.
    // (signed in again: the session of minute 43 ended after 15 idle minutes)
    const again = await signInWithReceipt(world.server, world.tenant.slug, sent.body.receipt as string);
    const own = await request(world.server)
      .get('/api/v1/reporter/case')
      .auth(again, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(own.body)).toContain('The tickets were for the final.');
    const shown = await world.as('mo').get(`/cases/${sent.body.reference}`).expect(200);
    expect(JSON.stringify(shown.body)).toContain('Tickets from a bidder');
  });

  it('puts what a reporter’s naming of people after intake writes (exclusions, grants, the case) at the release', async () => {
    // The next hour: staff record reports naming the s151 officer (exclusions of staff cases), and between
    // them the reporter names the same officer on their case, already in place since the last release.
    const H2 = H + 2 * HOUR;
    const hourCases: string[] = [];
    clock.setTo(new Date(H2));
    await world.addUser('s151', ['s151_officer']);
    const staffNaming = async () => {
      const recorded = await world
        .as('mo')
        .post('/cases', {
          channel: 'phone',
          submission: {
            category: 'fraud_theft',
            answers: { whatHappened: 'Told me on the phone', howYouKnow: 'saw_it', raisedBefore: 'no' },
            involves: ['s151_officer'],
          },
        })
        .expect(201);
      hourCases.push(await caseIdOf(recorded.body.reference as string));
    };
    clock.setTo(new Date(H2 + 5 * MINUTE));
    await staffNaming();

    clock.setTo(new Date(H2 + 17 * MINUTE));
    const token = await signInWithReceipt(world.server, world.tenant.slug, receipt);
    await request(world.server)
      .post('/api/v1/reporter/case/involved')
      .auth(token, { type: 'bearer' })
      .send({ roles: ['s151_officer'], reason: 'They signed it off.' })
      .expect(200);
    const named = await owner.query(`SELECT 1 FROM case_exclusions WHERE case_id = $1 AND user_id = $2`, [
      reporterCase,
      world.user('s151').id,
    ]);
    expect(named.rows).toHaveLength(1);

    clock.setTo(new Date(H2 + 30 * MINUTE));
    await staffNaming();

    const ordered = async (table: string) =>
      interleaving(
        (
          await owner.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t ORDER BY t.ctid`)
        ).rows.map((r) => r.row),
        reporterCase,
        hourCases,
      );
    // Before the release the exclusion is in no staff table's own rows, and read through case_exclusions.
    expect(await ownRows('case_exclusions', 'case_id')).toBe(0);
    expect(await ordered('case_exclusions')).toMatch(/R/);

    clock.setTo(new Date(H2 + HOUR + 1000));
    await new HeldAuditRelease(
      app.get(DataSource),
      app.get(AuditService),
      app.get(ReporterTime),
    ).releaseOnce();
    expect(
      (await owner.query(`SELECT 1 FROM held_placement WHERE tenant_id = $1`, [world.tenant.id])).rows,
    ).toHaveLength(0);

    // The exclusion, the case's row (updated by the re-routing) and any grant it gave: after the hour's
    // staff rows, none between two of them.
    expect(await ordered('case_exclusions')).toMatch(/^R*S+R+$/);
    for (const table of ['cases', 'case_grants', 'case_exclusions', 'case_items', 'outbox']) {
      const order = await ordered(table);
      expect({ table, order }).toEqual({ table, order: expect.not.stringMatching(/S.*R.*S/) });
    }
  });

  it('lets a handler write to a case the placement pass is moving at that moment (it waits, then writes)', async () => {
    // A report in a later hour, visible from its release; the pass (here held open in a transaction of its
    // own) has taken the case's row out and put it back but not yet committed when a handler adds a note.
    const H3 = H + 4 * HOUR;
    clock.setTo(new Date(H3 + 10 * MINUTE));
    const sent = await request(world.server)
      .post(`/api/v1/tenants/${world.tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: { whatHappened: 'A weekend away from a supplier', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(world.server, world.tenant.slug),
      })
      .expect(201);
    const reference = sent.body.reference as string;
    clock.setTo(new Date(H3 + HOUR + 1000));

    const pass = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await pass.connect();
    try {
      await pass.query('BEGIN');
      await pass.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [world.tenant.id]);
      await pass.query(`SELECT nolan_release_placement($1)`, [new Date(H3 + HOUR + 1000)]);
      const noted = world
        .as('mo')
        .post(`/cases/${reference}/notes`, { text: 'Looking into it.' })
        .then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await pass.query('COMMIT');
      const res = await noted;
      expect({ status: res.status, body: res.body }).toEqual({ status: 201, body: expect.anything() });
    } finally {
      await pass.end();
    }
    const timeline = await world.as('mo').get(`/cases/${reference}/timeline`).expect(200);
    expect(JSON.stringify(timeline.body)).toContain('Looking into it.');
  });

  it('keeps a reporter’s message and receipt replacement written while the placement pass moves their case, and releases them', async () => {
    // A report in a later hour; after its release the reporter signs in, and while the pass (held open in
    // a transaction of its own, as in the handler's case above) has taken the case's rows out and put
    // them back, they send a message: it waits for the pass, then is written against the rows as put back.
    const H4 = H + 6 * HOUR;
    clock.setTo(new Date(H4 + 10 * MINUTE));
    const sent = await request(world.server)
      .post(`/api/v1/tenants/${world.tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: {
          whatHappened: 'A car on loan from a contractor',
          howYouKnow: 'saw_it',
          raisedBefore: 'no',
        },
        altcha: await solvedAltcha(world.server, world.tenant.slug),
      })
      .expect(201);
    const reference = sent.body.reference as string;
    const caseId = await caseIdOf(reference);
    const release = new Date(H4 + HOUR + 1000);
    clock.setTo(release);
    const token = await signInWithReceipt(world.server, world.tenant.slug, sent.body.receipt as string);

    const duringPass = (boundary: Date, write: () => Promise<request.Response>) =>
      duringPlacementPass(world.tenant.id, boundary, write);

    const message = await duringPass(release, () =>
      request(world.server)
        .post('/api/v1/reporter/case/messages')
        .auth(token, { type: 'bearer' })
        .field('text', 'It is parked at the depot every weekend.')
        .then((res) => res),
    );
    expect({ status: message.status, body: message.body }).toEqual({
      status: 201,
      body: { sent: true, attachments: 0 },
    });

    // A receipt replaced (its key's row noted for the next batch) while the next pass moves that row.
    clock.setTo(new Date(H4 + HOUR + 5 * MINUTE));
    const first = await request(world.server)
      .post('/api/v1/reporter/case/receipt')
      .auth(token, { type: 'bearer' })
      .expect(201);
    const next = new Date(H4 + 2 * HOUR + 1000);
    clock.setTo(next);
    const token2 = await signInWithReceipt(world.server, world.tenant.slug, first.body.receipt as string);
    const replaced = await duringPass(next, () =>
      request(world.server)
        .post('/api/v1/reporter/case/receipt')
        .auth(token2, { type: 'bearer' })
        .then((res) => res),
    );
    expect({ status: replaced.status, receipt: typeof replaced.body.receipt }).toEqual({
      status: 201,
      receipt: 'string',
    });

    // Kept: the reporter reads their message under the receipt they were given last; released: at the
    // boundary the handler sees it, and nothing of the case is left to place.
    clock.setTo(new Date(H4 + 3 * HOUR + 1000));
    await new HeldAuditRelease(
      app.get(DataSource),
      app.get(AuditService),
      app.get(ReporterTime),
    ).releaseOnce();
    const again = await signInWithReceipt(world.server, world.tenant.slug, replaced.body.receipt as string);
    const own = await request(world.server)
      .get('/api/v1/reporter/case')
      .auth(again, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(own.body)).toContain('It is parked at the depot every weekend.');
    const timeline = await world.as('mo').get(`/cases/${reference}/timeline`).expect(200);
    expect(JSON.stringify(timeline.body)).toContain('It is parked at the depot every weekend.');
    clock.setTo(new Date(H4 + 4 * HOUR + 1000));
    await new HeldAuditRelease(
      app.get(DataSource),
      app.get(AuditService),
      app.get(ReporterTime),
    ).releaseOnce();
    expect(
      (
        await owner.query(
          `SELECT 1 FROM held_placement h WHERE h.tenant_id = $1 AND nolan_case_of(h.rel, h.row_key) = $2`,
          [world.tenant.id, caseId],
        )
      ).rows,
    ).toHaveLength(0);
  });

  /** How many of the reporter's case's rows `table` holds in its own heap (FROM ONLY: not its child's). */
  async function ownRows(table: string, column: string): Promise<number> {
    const { rows } = await owner.query<{ n: string }>(
      `SELECT count(*) AS n FROM ONLY ${table} WHERE ${column} = $1`,
      [reporterCase],
    );
    return Number(rows[0]!.n);
  }

  /** A data-only pg_dump of the whole database, as the council's IT would take it. */
  function pgDump(): string {
    const database = new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1);
    return execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--data-only', database], {
      encoding: 'latin1',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  }

  async function refOf(caseId: string): Promise<string> {
    return (await owner.query<{ reference: string }>(`SELECT reference FROM cases WHERE id = $1`, [caseId]))
      .rows[0]!.reference;
  }

  /** `author_keys` in ctid order: 'S' a key of staff first signing in the hour, 'R' the reporter's. */
  async function authorKeyOrder(): Promise<string> {
    const { rows } = await owner.query<{ row: string }>(
      `SELECT t::text AS row FROM author_keys t ORDER BY t.ctid`,
    );
    return interleaving(
      rows.map((r) => r.row),
      reporterCase,
      staffAuthors,
    );
  }

  /** Every table's rows in ctid order, each read whole as text. */
  async function interleavings(): Promise<Record<string, string>> {
    const orders: Record<string, string> = {};
    const { rows: tables } = await owner.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { name } of tables) {
      const { rows } = await owner.query<{ row: string }>(
        `SELECT t::text AS row FROM ${name} t ORDER BY t.ctid`,
      );
      orders[name] = interleaving(
        rows.map((r) => r.row),
        reporterCase,
        staffCases,
      );
    }
    return orders;
  }
});
