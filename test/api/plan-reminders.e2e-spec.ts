/**
 * Issue #19: a reminder before the investigation plan's target date, to the case's assignee, and a
 * notice when it passes (to the assignee and the overseer); a changed target date makes the old timers
 * stale; recommendations falling due remind their named owner and the assignee. Time is moved on the
 * injected clock, as in sla-timers.e2e-spec.ts; nothing sleeps. Notices carry no case content.
 */
import { addCalendarDays, toLondonDate } from '@nolan/domain';
import { NOTICE_SUBJECT } from '../../apps/api/src/notifications/mail.service';
import type { SlaService, SlaTimer } from '../../apps/api/src/sla/sla.service';
import { SetClock, type SlaHarness, startSlaHarness } from '../support/sla-harness';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('reminders before a plan’s target date and a recommendation’s due date', () => {
  let harness: SlaHarness;
  let sla: SlaService;
  const clock = new SetClock();
  let smtp: SlaHarness['smtp'];
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let investigator: TestUser;
  let other: TestUser;
  const today = toLondonDate(new Date());

  const sql = (text: string, params: unknown[]) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(text, params);
    });
  const investigating = async (target: string) => {
    const { id, reference } = await fixtures.case(tenant.id, {
      category: 'dishonesty',
      staffIds: [mo.id, investigator.id, other.id],
      report: {},
    });
    await sql(
      `UPDATE cases SET status = 'investigation', acknowledged_on = $2, feedback_given_on = $2,
              assignee_id = $3, assigned_on = $2, ownership_confirmed_on = $2, plan_target_date = $4
        WHERE id = $1`,
      [id, today, investigator.id, target],
    );
    return { id, reference };
  };
  const timer = (timers: SlaTimer[], kind: SlaTimer['kind']) =>
    timers.find((t) => t.kind === kind) as SlaTimer;
  const mailsTo = () => smtp.mails.map((m) => m.to[0]).sort();

  beforeAll(async () => {
    harness = await startSlaHarness(clock);
    ({ sla, smtp } = harness);
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('plan');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    other = await fixtures.user(tenant.id, ['investigator']);
  });
  afterAll(async () => {
    await harness.close();
    await fixtures.close();
  });
  beforeEach(() => {
    smtp.mails.length = 0;
    clock.at = new Date();
  });

  it('reminds the assignee 7 days before the target date, once, and not a day early, with no case content', async () => {
    const target = addCalendarDays(today, 20);
    const { id, reference } = await investigating(target);
    const timers = await sla.schedule(tenant.id, id);
    const reminder = timer(timers, 'plan_target_reminder');
    expect([reminder.due, reminder.firesOn]).toEqual([target, addCalendarDays(target, -7)]);
    clock.onDay(addCalendarDays(target, -8));
    expect(await sla.fire(reminder)).toEqual({ sent: 0, skipped: 'not yet' });
    clock.onDay(addCalendarDays(target, -7));
    expect(await sla.fire(reminder)).toEqual({ sent: 1 });
    expect(await sla.fire(reminder)).toEqual({ sent: 0, skipped: 'nothing to do' });
    expect(mailsTo()).toEqual([investigator.email]);
    const mail = smtp.mails[0]!.raw;
    expect(mail).toContain(`Subject: ${NOTICE_SUBJECT}`);
    expect(mail).toMatch(/\/staff\/sign-in/);
    expect(mail).not.toContain(reference);
    expect(mail).not.toMatch(/dishonesty|plan|target/i);
  });

  it('tells the assignee and the overseer the day after the target date has passed', async () => {
    const target = addCalendarDays(today, 10);
    const { id } = await investigating(target);
    const overdue = timer(await sla.schedule(tenant.id, id), 'plan_target_overdue');
    expect(overdue.firesOn).toBe(addCalendarDays(target, 1));
    clock.onDay(addCalendarDays(target, 1));
    expect(await sla.fire(overdue)).toEqual({ sent: 2 });
    expect(mailsTo()).toEqual([investigator.email, mo.email].sort());
  });

  it('sends nothing for a target date that moved, and reminds before the new one', async () => {
    const target = addCalendarDays(today, 20);
    const { id } = await investigating(target);
    const old = timer(await sla.schedule(tenant.id, id), 'plan_target_reminder');
    const moved = addCalendarDays(today, 40);
    await sql(`UPDATE cases SET plan_target_date = $2 WHERE id = $1`, [id, moved]);
    const fresh = timer(await sla.schedule(tenant.id, id), 'plan_target_reminder');
    expect(fresh.firesOn).toBe(addCalendarDays(moved, -7));
    clock.onDay(old.firesOn);
    expect(await sla.fire(old)).toEqual({ sent: 0, skipped: 'nothing to do' });
    clock.onDay(fresh.firesOn);
    expect(await sla.fire(fresh)).toEqual({ sent: 1 });
  });

  it('sends nothing once the case has left investigation', async () => {
    const target = addCalendarDays(today, 20);
    const { id } = await investigating(target);
    const reminder = timer(await sla.schedule(tenant.id, id), 'plan_target_reminder');
    await sql(`UPDATE cases SET status = 'decision', plan_target_date = NULL WHERE id = $1`, [id]);
    clock.onDay(reminder.firesOn);
    expect(await sla.fire(reminder)).toEqual({ sent: 0, skipped: 'nothing to do' });
    expect(smtp.mails).toHaveLength(0);
  });

  it('reminds a recommendation’s named owner and the assignee before it falls due, and nobody once it is implemented', async () => {
    const { id } = await investigating(addCalendarDays(today, 60));
    const due = addCalendarDays(today, 15);
    const [rec] = await sql(
      `INSERT INTO case_recommendations (tenant_id, case_id, item_id, owner_id, due_on, raised_on, status_on)
       VALUES ($1, $2, gen_random_uuid(), $3, $4, $5, $5) RETURNING id`,
      [tenant.id, id, other.id, due, today],
    );
    const reminder = timer(await sla.schedule(tenant.id, id), 'recommendation_due');
    expect([reminder.due, reminder.firesOn]).toEqual([due, addCalendarDays(due, -7)]);
    clock.onDay(reminder.firesOn);
    expect(await sla.fire(reminder)).toEqual({ sent: 2 });
    expect(mailsTo()).toEqual([investigator.email, other.email].sort());

    const later = addCalendarDays(today, 25);
    await sql(`UPDATE case_recommendations SET due_on = $2 WHERE id = $1`, [rec.id, later]);
    const next = timer(await sla.schedule(tenant.id, id), 'recommendation_due');
    await sql(`UPDATE case_recommendations SET status = 'implemented' WHERE id = $1`, [rec.id]);
    clock.onDay(next.firesOn);
    expect(await sla.fire(next)).toEqual({ sent: 0, skipped: 'nothing to do' });
  });
});
