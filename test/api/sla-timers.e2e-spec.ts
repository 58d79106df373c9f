/**
 * Issue #6: time-travel tests of every SLA clock. The clock is injected; nothing sleeps. Reminders and
 * escalations fire on the right day, to the right people, once; none fire for a case already
 * acknowledged or closed, or for a deadline that has moved.
 */
import { getQueueToken } from '@nestjs/bullmq';
import {
  addCalendarDays,
  addMonths,
  addWorkingDays,
  ownershipConfirmationDue,
  toLondonDate,
} from '@nolan/domain';
import type { Queue } from 'bullmq';
import { QueueName } from '../../apps/api/src/queues/queue-names';
import { firingInstant, type SlaService, type SlaTimer } from '../../apps/api/src/sla/sla.service';
import { SetClock, type SlaHarness, startSlaHarness } from '../support/sla-harness';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('SLA timers', () => {
  let harness: SlaHarness;
  let sla: SlaService;
  let queue: Queue;
  const clock = new SetClock();
  let smtp: SlaHarness['smtp'];
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let investigator: TestUser;
  const today = toLondonDate(new Date());

  const setCase = (caseId: string, changes: string) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      await m.query(`UPDATE cases SET ${changes} WHERE id = $1`, [caseId]);
    });
  const timer = (timers: SlaTimer[], kind: SlaTimer['kind']) =>
    timers.find((t) => t.kind === kind) as SlaTimer;
  const mailsTo = () => smtp.mails.map((m) => m.to[0]).sort();

  beforeAll(async () => {
    harness = await startSlaHarness(clock);
    ({ sla, smtp } = harness);
    queue = harness.moduleRef.get(getQueueToken(QueueName.Sla));
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('sla');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
  });
  afterAll(async () => {
    await harness.close();
    await fixtures.close();
  });
  beforeEach(() => {
    smtp.mails.length = 0;
    clock.at = new Date();
  });

  it('schedules each clock of a new case on the days the calendar gives, as delayed jobs', async () => {
    const { id } = await fixtures.case(tenant.id, {
      category: 'dishonesty',
      staffIds: [mo.id, investigator.id],
      report: {},
    });
    const timers = await sla.schedule(tenant.id, id);
    const feedbackDue = addMonths(addCalendarDays(today, 7), 3);
    expect(timers.map((t) => [t.kind, t.due, t.firesOn])).toEqual([
      ['acknowledgement_reminder', addCalendarDays(today, 7), addCalendarDays(today, 5)],
      ['acknowledgement_breach', addCalendarDays(today, 7), addCalendarDays(today, 8)],
      ['feedback_reminder', feedbackDue, addCalendarDays(feedbackDue, -14)],
      ['feedback_breach', feedbackDue, addCalendarDays(feedbackDue, 1)],
    ]);
    const job = await queue.getJob(`sla-${id}-acknowledgement_breach-${addCalendarDays(today, 7)}`);
    expect(job?.opts.delay).toBe(firingInstant(addCalendarDays(today, 8)).getTime() - clock.at.getTime());
    await sla.schedule(tenant.id, id);
    expect((await queue.getDelayed()).filter((j) => j.data.caseId === id)).toHaveLength(4);
  });

  it('reminds the handlers on day 5 and escalates to the overseer on day 8, once each, and not a day early', async () => {
    const { id } = await fixtures.case(tenant.id, {
      category: 'dishonesty',
      staffIds: [mo.id, investigator.id],
      report: {},
    });
    const timers = await sla.schedule(tenant.id, id);
    clock.onDay(addCalendarDays(today, 4));
    expect(await sla.fire(timer(timers, 'acknowledgement_reminder'))).toEqual({
      sent: 0,
      skipped: 'not yet',
    });
    clock.onDay(addCalendarDays(today, 5));
    expect(await sla.fire(timer(timers, 'acknowledgement_reminder'))).toEqual({ sent: 2 });
    expect(await sla.fire(timer(timers, 'acknowledgement_reminder'))).toEqual({
      sent: 0,
      skipped: 'nothing to do',
    });
    expect(mailsTo()).toEqual([investigator.email, mo.email].sort());
    smtp.mails.length = 0;
    clock.onDay(addCalendarDays(today, 8));
    expect(await sla.fire(timer(timers, 'acknowledgement_breach'))).toEqual({ sent: 1 });
    expect(mailsTo()).toEqual([mo.email]);
  });

  it('fires nothing for a case already acknowledged, and moves the feedback clock to the acknowledgement', async () => {
    const { id } = await fixtures.case(tenant.id, {
      category: 'dishonesty',
      staffIds: [mo.id, investigator.id],
      report: {},
    });
    const before = await sla.schedule(tenant.id, id);
    const acknowledgedOn = addCalendarDays(today, 2);
    await setCase(id, `status = 'acknowledged', acknowledged_on = '${acknowledgedOn}'`);
    const after = await sla.schedule(tenant.id, id);
    clock.onDay(addCalendarDays(today, 8));
    expect(await sla.fire(timer(before, 'acknowledgement_breach'))).toEqual({
      sent: 0,
      skipped: 'nothing to do',
    });
    expect(timer(after, 'feedback_breach').due).toBe(addMonths(acknowledgedOn, 3));
    clock.onDay(addCalendarDays(timer(before, 'feedback_breach').firesOn, 0));
    expect(await sla.fire(timer(before, 'feedback_breach'))).toEqual({ sent: 0, skipped: 'nothing to do' });
    clock.onDay(timer(after, 'feedback_reminder').firesOn);
    expect(await sla.fire(timer(after, 'feedback_reminder'))).toEqual({ sent: 2 });
    expect(smtp.mails).toHaveLength(2);
  });

  it('fires nothing for a closed case', async () => {
    const { id } = await fixtures.case(tenant.id, { category: 'dishonesty', staffIds: [mo.id], report: {} });
    const timers = await sla.schedule(tenant.id, id);
    await setCase(id, `status = 'closed', outcome = 'withdrawn', closed_on = current_date`);
    expect(await sla.schedule(tenant.id, id)).toEqual([]);
    clock.onDay(timer(timers, 'feedback_breach').firesOn);
    expect(await sla.fire(timer(timers, 'feedback_breach'))).toEqual({ sent: 0, skipped: 'nothing to do' });
    expect(smtp.mails).toHaveLength(0);
  });

  it('gives safeguarding its own clock: a referral due within one working day, escalated to the overseer', async () => {
    const { id } = await fixtures.case(tenant.id, {
      category: 'safeguarding_children',
      staffIds: [mo.id, investigator.id],
      report: {},
    });
    const timers = await sla.schedule(tenant.id, id);
    const referral = timer(timers, 'safeguarding_referral_due');
    expect(referral.due).toBe(addWorkingDays(today, 1));
    clock.onDay(referral.firesOn);
    expect(await sla.fire(referral)).toEqual({ sent: 1 });
    expect(mailsTo()).toEqual([mo.email]);
  });

  it('runs the confirm-ownership clock from the assignment: reminds the assignee and escalates to the overseer, once, the working day after', async () => {
    const { id } = await fixtures.case(tenant.id, {
      category: 'dishonesty',
      staffIds: [mo.id, investigator.id],
      report: {},
    });
    await setCase(id, `assignee_id = '${investigator.id}', assigned_on = '${today}'`);
    const timers = await sla.schedule(tenant.id, id);
    const ownership = timer(timers, 'ownership_breach');
    expect(ownership.due).toBe(ownershipConfirmationDue(today));
    expect(ownership.firesOn).toBe(addWorkingDays(ownership.due, 1));
    expect(await queue.getJob(`sla-${id}-ownership_breach-${ownership.due}`)).toBeDefined();

    clock.onDay(ownership.due);
    expect(await sla.fire(ownership)).toEqual({ sent: 0, skipped: 'not yet' });
    clock.onDay(ownership.firesOn);
    expect(await sla.fire(ownership)).toEqual({ sent: 2 });
    expect(await sla.fire(ownership)).toEqual({ sent: 0, skipped: 'nothing to do' });
    expect(mailsTo()).toEqual([investigator.email, mo.email].sort());
  });

  it('fires no ownership timer once the assignee confirms, nor an old one after a transfer, nor for a closed case', async () => {
    const { id } = await fixtures.case(tenant.id, {
      category: 'dishonesty',
      staffIds: [mo.id, investigator.id],
      report: {},
    });
    await setCase(id, `assignee_id = '${investigator.id}', assigned_on = '${today}'`);
    const first = timer(await sla.schedule(tenant.id, id), 'ownership_breach');
    // Transferred two days later: the clock restarts from the new assignment.
    const later = addCalendarDays(today, 2);
    await setCase(id, `assignee_id = '${mo.id}', assigned_on = '${later}'`);
    const second = timer(await sla.schedule(tenant.id, id), 'ownership_breach');
    expect(second.due).toBe(ownershipConfirmationDue(later));
    clock.onDay(first.firesOn);
    expect(await sla.fire(first)).toEqual({ sent: 0, skipped: 'nothing to do' });

    await setCase(id, `ownership_confirmed_on = '${later}'`);
    expect((await sla.schedule(tenant.id, id)).some((t) => t.kind === 'ownership_breach')).toBe(false);
    clock.onDay(second.firesOn);
    expect(await sla.fire(second)).toEqual({ sent: 0, skipped: 'nothing to do' });

    await setCase(
      id,
      `ownership_confirmed_on = NULL, status = 'closed', outcome = 'withdrawn', closed_on = current_date`,
    );
    clock.onDay(second.firesOn);
    expect(await sla.fire(second)).toEqual({ sent: 0, skipped: 'nothing to do' });
    expect(smtp.mails).toHaveLength(0);
  });
});
