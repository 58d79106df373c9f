/**
 * Issue #14: a council may choose a shorter reporter batch, knowingly (docs/architecture.md "Reporter
 * time"): hourly by default; 30, 20 or 15 minutes only when the administrator accepts the cost; never
 * below 15; administrators only; audited; and a report's held work is then released at that boundary.
 */
import { batchRelease } from '@nolan/domain';
import { CaseWorld } from '../support/case-fixtures';

describe('the council’s reporter batch', () => {
  let world: CaseWorld;
  const original = process.env.REPORTER_BATCHING;

  beforeAll(async () => {
    process.env.REPORTER_BATCHING = 'on';
    world = await CaseWorld.start('rbatch', { admin: ['administrator'], mo: ['monitoring_officer'] });
  });
  afterAll(async () => {
    process.env.REPORTER_BATCHING = original;
    await world.close();
  });

  it('is hourly by default, and refuses a shorter batch whose cost was not accepted, or one below the floor', async () => {
    expect((await world.as('admin').get('/admin/reporter-batch').expect(200)).body).toEqual(
      expect.objectContaining({ minutes: 60, choices: [15, 20, 30, 60], defaultMinutes: 60 }),
    );
    const unaccepted = await world.as('admin').put('/admin/reporter-batch', { minutes: 15 }).expect(400);
    expect(unaccepted.body.message).toEqual([expect.stringMatching(/^acceptShorterBatchCost must be true/)]);
    for (const minutes of [10, 5, 45, 90, '15']) {
      const res = await world
        .as('admin')
        .put('/admin/reporter-batch', { minutes, acceptShorterBatchCost: true })
        .expect(400);
      expect(res.body.message).toEqual([expect.stringMatching(/^minutes must be one of 15, 20, 30, 60/)]);
    }
    await world
      .as('mo')
      .put('/admin/reporter-batch', { minutes: 15, acceptShorterBatchCost: true })
      .expect(403);
  });

  it('takes a shorter batch knowingly, audits the change, and holds a report until that boundary', async () => {
    const set = await world
      .as('admin')
      .put('/admin/reporter-batch', { minutes: 15, acceptShorterBatchCost: true })
      .expect(200);
    expect(set.body.minutes).toBe(15);
    const [change] = await world.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_entries WHERE action = 'config.changed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(change?.details).toEqual({ setting: 'reporter_batch_minutes', from: 60, to: 15 });

    const before = new Date();
    const { reference } = await world.submit();
    const after = new Date();
    const [row] = await world.query<{ release_at: Date }>(
      `SELECT o.release_at FROM outbox o JOIN cases c ON c.id = o.aggregate_id WHERE c.reference = $1`,
      [reference],
    );
    const release = new Date(row!.release_at).getTime();
    expect([batchRelease(before, 15).getTime(), batchRelease(after, 15).getTime()]).toContain(release);
    expect(release % (15 * 60_000)).toBe(0);
    const held = await world.query<{ release_at: Date }>(`SELECT release_at FROM audit_held`);
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((h) => new Date(h.release_at).getTime() === release)).toBe(true);
  });
});
