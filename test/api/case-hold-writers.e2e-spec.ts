/**
 * Issue #14, every writer of a case holds it (docs/architecture.md "Placement"): work that writes to two
 * cases (a link, an unlink, closing as a duplicate) holds both before its first write, so a placement pass
 * moving the other case at that moment is waited for, never written past; the pass leaves a case no longer
 * than a few passes to overlapping holds, and the administrators see rows left past their release as a count.
 */
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { startApiCapturingLogs } from '../support/api-app';
import { CaseWorld } from '../support/case-fixtures';
import { solvedAltcha } from '../support/reporter-client';
import { MovableClock } from '../support/movable-clock';
import { Clock } from '../../apps/api/src/sla/clock';
import { TEST_ENV } from '../support/test-env';

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
    world = await CaseWorld.start('chold', { mo: ['monitoring_officer'] }, { app });
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
    const sent = await request(world.server)
      .post(`/api/v1/tenants/${world.tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(world.server, world.tenant.slug),
      })
      .expect(201);
    const release = new Date(H + HOUR + 1000);
    clock.setTo(release);
    return { reference: sent.body.reference as string, release };
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

  /** Runs `write` while a pass of its own has moved the noted rows and not yet committed. */
  const duringPass = async (boundary: Date, write: () => Promise<request.Response>) => {
    const pass = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await pass.connect();
    try {
      await pass.query('BEGIN');
      await pass.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [world.tenant.id]);
      const { rows } = await pass.query<{ moved: number }>(`SELECT nolan_release_placement($1) AS moved`, [
        boundary,
      ]);
      expect(rows[0]!.moved).toBeGreaterThan(0);
      const written = write();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await pass.query('COMMIT');
      return await written;
    } finally {
      await pass.end();
    }
  };

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
});
