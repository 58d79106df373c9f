/**
 * Issue #19: the case list's deadline filter runs in the API's query, with the badges' meaning
 * (apps/portal/src/staff/sla-status.ts): overdue the day after a deadline, due soon from its reminder
 * day; a safeguarding referral is due soon from the day the case arrives and overdue after a working day.
 */
import { CaseWorld } from '../support/case-fixtures';

describe('the case list by deadline', () => {
  let world: CaseWorld;
  const refs = async (query: string) =>
    (
      (await world.as('mo').get(`/cases?limit=100&${query}`).expect(200)).body.items as {
        reference: string;
      }[]
    )
      .map((c) => c.reference)
      .sort();

  beforeAll(async () => {
    world = await CaseWorld.start('deadlines', { mo: ['monitoring_officer'] });
  }, 120_000);
  afterAll(async () => world?.close());

  it('finds overdue and due-soon cases in the query, for every clock', async () => {
    const fresh = (await world.submit()).reference;
    const lateAck = (await world.submit()).reference;
    const soonAck = (await world.submit()).reference;
    const lateFeedback = (await world.submit()).reference;
    const answeredLate = (await world.submit()).reference;
    const safeguarding = (await world.submit()).reference;
    const oldSafeguarding = (await world.submit()).reference;
    const set = (sql: string, reference: string) =>
      world.query(`UPDATE cases SET ${sql} WHERE reference = $1`, [reference]);
    await set(`acknowledgement_due = current_date - 1`, lateAck);
    await set(`acknowledgement_due = current_date + 1`, soonAck);
    for (const reference of [lateFeedback, answeredLate]) await world.runTo('mo', reference, 'acknowledged');
    await set(`feedback_due = current_date - 3`, lateFeedback);
    await set(`feedback_due = current_date - 3, feedback_given_on = current_date - 10`, answeredLate);
    // Safeguarding's own questions aside, only the category decides the referral clock.
    await set(`category = 'safeguarding_adults'`, safeguarding);
    await set(
      `category = 'safeguarding_children', received_at = date_trunc('hour', now() - interval '10 days')`,
      oldSafeguarding,
    );

    expect(await refs('deadline=overdue')).toEqual([lateAck, lateFeedback, oldSafeguarding].sort());
    expect(await refs('deadline=due_soon')).toEqual(
      [lateAck, soonAck, lateFeedback, safeguarding, oldSafeguarding].sort(),
    );
    expect(await refs('')).toContain(fresh);
    const bad = await world.as('mo').get('/cases?deadline=yesterday').expect(400);
    expect(bad.body.message).toEqual(['deadline must be overdue or due_soon']);
  });
});
