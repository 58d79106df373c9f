/**
 * Issue #16: "due soon" and "overdue" follow the council's own SLA policy (docs/dashboard.md "The
 * council's SLA policy"). The API sends each case's clocks with their state, judged once by libs/domain's
 * slaClocks, and its deadline filter uses the same policy: a council that acknowledges within 3 working
 * days, is reminded 2 working days before, and wants feedback reminders three weeks before the deadline
 * (not the default two) sees those cases as due soon, on the list, on the case and in the filter.
 */
import type { CaseListItem, CaseView } from '@nolan/contract';
import { addCalendarDays, addWorkingDays, toLondonDate } from '@nolan/domain';
import { CaseWorld } from '../support/case-fixtures';

describe("the clocks' badges and the deadline filter under the council's SLA policy", () => {
  let world: CaseWorld;
  const policy = {
    acknowledgementDays: 3,
    acknowledgementUnit: 'working',
    acknowledgementReminderDaysBefore: 2,
    feedbackReminderDaysBefore: 21,
  };
  const list = async (query = '') =>
    (await world.as('mo').get(`/cases?limit=100&${query}`).expect(200)).body.items as CaseListItem[];
  const refs = async (query: string) => (await list(query)).map((c) => c.reference).sort();
  const clock = (c: CaseListItem | undefined, name: string) => c?.clocks.find((k) => k.clock === name);

  beforeAll(async () => {
    world = await CaseWorld.start('slabadges', { mo: ['monitoring_officer'], admin: ['administrator'] });
    await world.as('admin').put('/admin/sla-policy', { policy }).expect(200);
  }, 120_000);
  afterAll(async () => world?.close());

  it("sends each case's clocks judged by the council's policy, and filters by the same rule", async () => {
    const today = toLondonDate(new Date());
    const fresh = (await world.submit()).reference;
    const ackSoon = (await world.submit()).reference;
    const ackLate = (await world.submit()).reference;
    const feedbackSoon = (await world.submit()).reference;
    const feedbackLater = (await world.submit()).reference;
    const set = (sql: string, reference: string) =>
      world.query(`UPDATE cases SET ${sql} WHERE reference = $1`, [reference]);
    // Two working days to go: the council's reminder (2 working days before) has gone out.
    await world.query(`UPDATE cases SET acknowledgement_due = $2 WHERE reference = $1`, [
      ackSoon,
      addWorkingDays(today, 2),
    ]);
    await set(`acknowledgement_due = current_date - 1`, ackLate);
    for (const reference of [feedbackSoon, feedbackLater]) await world.runTo('mo', reference, 'acknowledged');
    // Eighteen days before feedback is due: due soon under a 21-day reminder, not under the default 14.
    await world.query(`UPDATE cases SET feedback_due = $2 WHERE reference = $1`, [
      feedbackSoon,
      addCalendarDays(today, 18),
    ]);
    await world.query(`UPDATE cases SET feedback_due = $2 WHERE reference = $1`, [
      feedbackLater,
      addCalendarDays(today, 22),
    ]);

    const items = await list();
    const byRef = (reference: string) => items.find((c) => c.reference === reference);
    // A new case: 3 working days to acknowledge (intake used the policy), its reminder not yet due.
    const received = byRef(fresh)?.receivedOn as string;
    expect(clock(byRef(fresh), 'acknowledgement')).toEqual({
      clock: 'acknowledgement',
      state: 'on_track',
      due: addWorkingDays(received, 3),
    });
    expect(byRef(ackSoon)?.clocks[0]).toEqual({
      clock: 'acknowledgement',
      state: 'due_soon',
      due: addWorkingDays(today, 2),
    });
    expect(byRef(ackLate)?.clocks[0]).toEqual(
      expect.objectContaining({ clock: 'acknowledgement', state: 'overdue' }),
    );
    expect(byRef(feedbackSoon)?.clocks).toEqual([
      { clock: 'feedback', state: 'due_soon', due: addCalendarDays(today, 18) },
    ]);
    expect(byRef(feedbackLater)?.clocks).toEqual([
      { clock: 'feedback', state: 'on_track', due: addCalendarDays(today, 22) },
    ]);
    // The case page carries the same clocks.
    const view = (await world.as('mo').get(`/cases/${feedbackSoon}`).expect(200)).body as CaseView;
    expect(view.clocks).toEqual(byRef(feedbackSoon)?.clocks);

    expect(await refs('deadline=due_soon')).toEqual([ackSoon, ackLate, feedbackSoon].sort());
    expect(await refs('deadline=overdue')).toEqual([ackLate]);

    // Back to the default policy: the feedback reminder is two weeks before, so that case is on track.
    await world.as('admin').put('/admin/sla-policy', { policy: {} }).expect(200);
    expect((await list()).find((c) => c.reference === feedbackSoon)?.clocks[0]?.state).toBe('on_track');
    expect(await refs('deadline=due_soon')).not.toContain(feedbackSoon);
    await world.as('admin').put('/admin/sla-policy', { policy }).expect(200);
  });

  it('gives administrators no case and no clock', async () => {
    const res = await world.as('admin').get('/cases?deadline=due_soon').expect(200);
    expect(res.body).toEqual({ items: [], total: 0, limit: expect.any(Number), offset: 0 });
  });
});
