/**
 * Issue #14, a copy before the boundary (docs/architecture.md "Held tables"): a batch's rows are written
 * to held child tables until the release, so the parents' own rows hold none of them. What that costs,
 * and is built here: uniqueness across a parent and its child for the case reference, the receipt's
 * lookup key and a case's exclusion of a person; a row whose foreign key fails at the release stays held,
 * readable, for the next pass; staff read a released case the pass has not placed yet, and work that
 * writes to it (opening it writes a read marker) places it first.
 */
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { startApiCapturingLogs } from '../support/api-app';
import { CaseWorld } from '../support/case-fixtures';
import { MovableClock } from '../support/movable-clock';
import { onePlacementPass } from '../support/placement-pass';
import { Clock } from '../../apps/api/src/sla/clock';
import { TEST_ENV } from '../support/test-env';
import { HELD } from '../../apps/api/src/database/migrations/1763906000000-held-child-tables';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('held tables: a batch’s rows kept out of the staff tables until the release', () => {
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
    world = await CaseWorld.start('heldt', { mo: ['monitoring_officer'] }, { app });
  });
  afterAll(async () => {
    process.env.REPORTER_BATCHING = original;
    await world?.close();
    await app?.close();
    await owner.end();
  });

  /** A report sent ten minutes into a new hour, two hours on: held for that hour's release. */
  const heldReport = async (whatHappened: string): Promise<{ reference: string; caseId: string }> => {
    H += 2 * HOUR;
    clock.setTo(new Date(H + 10 * MINUTE));
    const { reference } = await world.submit({
      answers: { whatHappened, howYouKnow: 'saw_it', raisedBefore: 'no' },
    });
    return { reference, caseId: await caseIdOf(reference) };
  };

  /** A case an officer records: staff's own, placed at once. */
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
    return caseIdOf(recorded.body.reference as string);
  };

  /**
   * Runs `work` as the API's role in a transaction of the council that holds work for a batch (as a
   * reporter's would), and rolls it back; what `work` answers, or the error's code.
   */
  async function inHeldTransaction<T>(work: (c: Client) => Promise<T>): Promise<T | { code: string }> {
    const asApi = new Client({ connectionString: TEST_ENV.DATABASE_URL });
    await asApi.connect();
    try {
      await asApi.query('BEGIN');
      await asApi.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [world.tenant.id]);
      await asApi.query(`SELECT set_config('nolan.release_at', $1, true)`, [
        new Date(H + HOUR).toISOString(),
      ]);
      return await work(asApi);
    } catch (error) {
      return { code: (error as { code?: string }).code ?? String(error) };
    } finally {
      await asApi.query('ROLLBACK').catch(() => undefined);
      await asApi.end();
    }
  }

  /** A copy of case `id`'s row under a new id, and the given columns changed, inserted as `c` inserts. */
  const copyCase = (c: Client, id: string, newId: string, changes: Record<string, unknown>) =>
    c.query(
      `INSERT INTO cases SELECT (jsonb_populate_record(NULL::cases,
         to_jsonb(x) || jsonb_build_object('id', $2::uuid) || $3::jsonb)).* FROM cases x WHERE x.id = $1`,
      [id, newId, JSON.stringify(changes)],
    );

  it('refuses a case reference or a receipt lookup key that a placed row already has, though the held row goes to another table', async () => {
    const placed = await staffCase();

    // The same reference in a held transaction: written to cases_held, whose own index cannot see it.
    const sameReference = await inHeldTransaction((c) =>
      copyCase(c, placed, '00000000-0000-4000-8000-000000000001', {}),
    );
    expect(sameReference).toEqual({ code: '23505' });
    // A new reference is taken, and held.
    const fresh = await inHeldTransaction(async (c) => {
      await copyCase(c, placed, '00000000-0000-4000-8000-000000000002', { reference: 'NLN-HELD-0001' });
      const where = await c.query<{ own: boolean; held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ONLY cases WHERE reference = 'NLN-HELD-0001') AS own,
                EXISTS (SELECT 1 FROM cases_held WHERE reference = 'NLN-HELD-0001') AS held`,
      );
      return where.rows[0];
    });
    expect(fresh).toEqual({ own: false, held: true });

    // The placed case's receipt lookup key, given to a held case's reporter key.
    const sameLookup = await inHeldTransaction(async (c) => {
      await copyCase(c, placed, '00000000-0000-4000-8000-000000000003', { reference: 'NLN-HELD-0002' });
      await c.query(
        `INSERT INTO reporter_keys SELECT (jsonb_populate_record(NULL::reporter_keys,
           to_jsonb(k) || jsonb_build_object('case_id', '00000000-0000-4000-8000-000000000003'::uuid))).*
           FROM reporter_keys k WHERE k.case_id = $1`,
        [placed],
      );
      return 'written';
    });
    expect(sameLookup).toEqual({ code: '23505' });
  });

  it('writes a case’s exclusion of a person once, whether the one already there is placed or held', async () => {
    const placed = await staffCase();
    const person = await world.addUser('named', ['investigator']);
    await owner.query(
      `INSERT INTO case_exclusions (tenant_id, case_id, user_id, kind) VALUES ($1, $2, $3, 'named_as_involved')`,
      [world.tenant.id, placed, person.id],
    );
    const count = await inHeldTransaction(async (c) => {
      // As its writers write it: nothing if it is there.
      await c.query(
        `INSERT INTO case_exclusions (tenant_id, case_id, user_id, kind) VALUES ($1, $2, $3, 'named_as_involved')
         ON CONFLICT DO NOTHING`,
        [world.tenant.id, placed, person.id],
      );
      const { rows } = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM case_exclusions WHERE case_id = $1 AND user_id = $2`,
        [placed, person.id],
      );
      return Number(rows[0]!.n);
    });
    expect(count).toBe(1);
  });

  it('notes every held row of the eight tables under the key the release pass reads, its key columns as they are in the row', async () => {
    const { caseId } = await heldReport('Each row noted under its own key');
    const person = await world.addUser('noted', ['investigator']);
    await owner.query('BEGIN');
    try {
      await owner.query(`SELECT set_config('nolan.release_at', $1, true)`, [
        new Date(H + HOUR).toISOString(),
      ]);
      // An exclusion of the held case goes with it: the eighth table.
      await owner.query(
        `INSERT INTO case_exclusions (tenant_id, case_id, user_id, kind) VALUES ($1, $2, $3, 'named_as_involved')`,
        [world.tenant.id, caseId, person.id],
      );
      const noted: Record<string, { rows: number; unnoted: number }> = {};
      for (const { table, key } of HELD) {
        // The key as the release pass matches it: each key column of the row, read from the whole row.
        const { rows } = await owner.query<{ rows: number; unnoted: number }>(
          `SELECT count(*)::int AS rows,
                  count(*) FILTER (WHERE NOT EXISTS (
                    SELECT 1 FROM held_placement h
                     WHERE h.rel = '${table}'::regclass
                       AND h.row_key = (SELECT jsonb_object_agg(k, to_jsonb(t) -> k) FROM unnest($1::text[]) AS k)
                  ))::int AS unnoted
             FROM ONLY ${table}_held t`,
          [key],
        );
        noted[table] = rows[0]!;
      }
      for (const { table } of HELD) {
        expect({ table, unnoted: noted[table]!.unnoted }).toEqual({ table, unnoted: 0 });
        expect({ table, held: noted[table]!.rows > 0 }).toEqual({ table, held: true });
      }
    } finally {
      await owner.query('ROLLBACK');
    }
  });

  it('keeps a held row whose foreign key fails at the release in its held table, readable and noted, for the next pass', async () => {
    const placed = await staffCase();
    const orphan = '00000000-0000-4000-8000-0000000000aa';
    const missingCase = '00000000-0000-4000-8000-0000000000bb';
    const asApi = new Client({ connectionString: TEST_ENV.DATABASE_URL });
    await asApi.connect();
    try {
      await asApi.query('BEGIN');
      await asApi.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [world.tenant.id]);
      await asApi.query(`SELECT set_config('nolan.release_at', $1, true)`, [
        new Date(H + HOUR).toISOString(),
      ]);
      // An item copied onto a case that does not exist: no foreign key stops it in the held table.
      await asApi.query(
        `INSERT INTO case_items SELECT (jsonb_populate_record(NULL::case_items, to_jsonb(i) ||
           jsonb_build_object('id', $2::uuid, 'case_id', $3::uuid))).* FROM case_items i WHERE i.case_id = $1 LIMIT 1`,
        [placed, orphan, missingCase],
      );
      await asApi.query('COMMIT');
    } finally {
      await asApi.end();
    }
    const pass = await onePlacementPass(world.tenant.id, new Date(H + HOUR + 1000));
    expect(pass.warnings.some((w) => /case_items left in place for the next pass/.test(w))).toBe(true);
    const where = await owner.query<{ own: boolean; held: boolean; noted: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ONLY case_items WHERE id = $1) AS own,
              EXISTS (SELECT 1 FROM case_items_held WHERE id = $1) AS held,
              EXISTS (SELECT 1 FROM held_placement WHERE rel = 'case_items'::regclass
                       AND row_key = jsonb_build_object('id', $1::text)) AS noted`,
      [orphan],
    );
    expect(where.rows[0]).toEqual({ own: false, held: true, noted: true });
    // Cleared by its owner so the council's later passes have nothing of it to warn about.
    await owner.query(`DELETE FROM ONLY case_items_held WHERE id = $1`, [orphan]);
    await owner.query(`DELETE FROM held_placement WHERE row_key = jsonb_build_object('id', $1::text)`, [
      orphan,
    ]);
  });

  it('lets staff read a released case not yet placed, and places it for work that writes to it (opening it, a note)', async () => {
    const { reference, caseId } = await heldReport('Tickets from a bidder');
    const placement = async () =>
      (
        await owner.query<{ own: boolean; held: boolean; read: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM ONLY cases WHERE id = $1) AS own,
                  EXISTS (SELECT 1 FROM cases_held WHERE id = $1) AS held,
                  EXISTS (SELECT 1 FROM case_reads WHERE case_id = $1) AS read`,
          [caseId],
        )
      ).rows[0];
    expect(await placement()).toEqual({ own: false, held: true, read: false });

    // Released, no pass yet: a read (the case's audit view) places nothing and never waits.
    clock.setTo(new Date(H + HOUR + 1000));
    await world.as('mo').get(`/cases/${reference}/audit`).expect(200);
    expect(await placement()).toEqual({ own: false, held: true, read: false });

    // Opening the case writes its read marker, which refers to it: the door places the case's row first
    // (its items still wait for the pass), and a note is written against it as usual.
    const shown = await world.as('mo').get(`/cases/${reference}`).expect(200);
    expect(JSON.stringify(shown.body)).toContain('Tickets from a bidder');
    expect(await placement()).toEqual({ own: true, held: false, read: true });
    await world.as('mo').post(`/cases/${reference}/notes`, { text: 'Looking into it.' }).expect(201);

    // The pass places the rest; nothing of the case is left held or noted.
    await onePlacementPass(world.tenant.id, new Date(H + HOUR + 1000));
    const left = await owner.query(
      `SELECT (SELECT count(*) FROM ONLY case_items_held WHERE case_id = $1)::int AS items,
              (SELECT count(*) FROM held_placement h WHERE nolan_case_of(h.rel, h.row_key) = $1::text)::int AS noted`,
      [caseId],
    );
    expect(left.rows[0]).toEqual({ items: 0, noted: 0 });
  });

  it('never moves a released case’s row while another writer holds it: staff work is answered 503 and places it once that writer is done', async () => {
    const { reference, caseId } = await heldReport('Hampers from a contractor');
    clock.setTo(new Date(H + HOUR + 1000));

    // Another writer of the case (as a reporter naming people, whose re-routing updates the case's row)
    // holds it and has updated the row, still held, when staff work comes.
    const writer = new Client({ connectionString: TEST_ENV.DATABASE_URL });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [world.tenant.id]);
      await writer.query(`SELECT nolan_hold_case($1)`, [caseId]);
      await writer.query(`UPDATE cases SET plan_target_date = '2031-03-04' WHERE id = $1`, [caseId]);

      const refused = await world.as('mo').post(`/cases/${reference}/notes`, { text: 'Looking.' });
      expect({ status: refused.status, retryAfter: refused.headers['retry-after'] }).toEqual({
        status: 503,
        retryAfter: '5',
      });
      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }

    // The writer's update stands, and the next try places the case and writes the note.
    await world.as('mo').post(`/cases/${reference}/notes`, { text: 'Looking.' }).expect(201);
    const row = await owner.query<{ own: boolean; target: string }>(
      `SELECT EXISTS (SELECT 1 FROM ONLY cases WHERE id = $1) AS own,
              (SELECT plan_target_date::text FROM cases WHERE id = $1) AS target`,
      [caseId],
    );
    expect(row.rows[0]).toEqual({ own: true, target: '2031-03-04' });
  });

  it('takes no lock per case written to the parent, so one transaction may write thousands (a restore, a bulk load), and still refuses a held case’s reference', async () => {
    // Postgres's lock table holds max_locks_per_transaction × max_connections entries for every session
    // together: a lock per row would fail a transaction that writes a large council's cases part-way
    // ("out of shared memory", as the full-scale bench's seed did).
    const { reference: heldReference } = await heldReport('A held report');
    const template = await staffCase();
    const copies = (count: number, reference: string) =>
      owner.query(
        `INSERT INTO cases SELECT (jsonb_populate_record(NULL::cases, to_jsonb(x) || jsonb_build_object(
           'id', gen_random_uuid(), 'reference', $3 || CASE WHEN $2::int > 1 THEN upper(lpad(to_hex(n), 4, '0')) ELSE '' END))).*
           FROM cases x, generate_series(1, $2::int) n WHERE x.id = $1`,
        [template, count, reference],
      );
    await owner.query('BEGIN');
    try {
      expect((await copies(500, 'NLN-BULK-')).rowCount).toBe(500);
      const locks = await owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'`,
      );
      expect(locks.rows[0]!.n).toBe(0);
      // A row for the parent with the reference of a case still held is refused all the same.
      await owner.query('SAVEPOINT duplicate');
      const refused = await copies(1, heldReference).catch((error: { code?: string }) => error.code);
      expect(refused).toBe('23505');
      await owner.query('ROLLBACK TO SAVEPOINT duplicate');
    } finally {
      await owner.query('ROLLBACK');
    }
  });
});
