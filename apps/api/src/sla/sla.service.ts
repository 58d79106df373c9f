/**
 * The statutory clocks as timers (issue #6; docs/regulatory.md EU-06, EU-09, stage 0a). Dates come from
 * libs/domain's SLA calendar — the same numbers the case pages show. Whenever a case is created or
 * changes stage its timers are (re)scheduled as delayed BullMQ jobs, each with an id made of case, clock
 * and date, so rescheduling is idempotent. A timer does nothing but re-check the case when it fires:
 * acknowledging or closing a case "cancels" its timers because they then find nothing to do, and a
 * timer whose date has moved finds itself stale (as the feedback timers do when a reopening starts a new
 * 3-month clock). Reminders go to the case's handlers; breaches and the
 * safeguarding referral deadline escalate to its overseer (the monitoring officer, or whoever a
 * conflict route put in their place). Notices carry no content.
 */
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import {
  addCalendarDays,
  addWorkingDays,
  compareLocalDates,
  computeSlaDates,
  getCategory,
  isCategoryId,
  type LocalDate,
  OVERSIGHT_ROLES,
  type SlaPolicy,
  ownershipConfirmationDue,
  type StaffRole,
  toLondonDate,
} from '@nolan/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CaseEntity } from '../cases/store/case.entity';
import { withTimeout } from '../common/with-timeout';
import { inTenant } from '../database/tenant-transaction';
import { MailService } from '../notifications/mail.service';
import { QueueName } from '../queues/queue-names';
import { tenantSlaPolicy } from '../tenants/tenant-sla';
import { Clock } from './clock';
import { holdCase } from '../reporter-time/case-hold';

export type SlaKind =
  | 'acknowledgement_reminder'
  | 'acknowledgement_breach'
  | 'safeguarding_referral_due'
  | 'feedback_reminder'
  | 'feedback_breach'
  /** The assignee has not confirmed ownership in time: remind them and escalate to the overseer. */
  | 'ownership_breach'
  /** The investigation plan's target date is near: remind the assignee (issue #19). */
  | 'plan_target_reminder'
  /** The plan's target date passed with the case still in investigation: the assignee and the overseer. */
  | 'plan_target_overdue'
  /**
   * Recommendations fall due soon (one timer per case and due date): their named owners and the
   * assignee. Also for a closed case, since recommendations are mostly carried out after closing.
   */
  | 'recommendation_due';

export interface SlaTimer {
  tenantId: string;
  caseId: string;
  kind: SlaKind;
  /** The deadline the timer is about. */
  due: LocalDate;
  /** The day it fires: the reminder day, the deadline day, or the day after a missed deadline. */
  firesOn: LocalDate;
}

const ESCALATIONS: readonly SlaKind[] = [
  'acknowledgement_breach',
  'feedback_breach',
  'safeguarding_referral_due',
  'ownership_breach',
  'plan_target_overdue',
];

/** Timers for the assignee (the handlers when there is none), not for every handler of the case. */
const TO_ASSIGNEE: readonly SlaKind[] = ['plan_target_reminder', 'recommendation_due'];

/** What a case's timers need beyond its row: the reminder lead time and its recommendations' due dates. */
export interface TimerExtras {
  /** Days before a plan's target date or a recommendation's due date to remind (config PLAN_REMINDER_DAYS). */
  reminderDays?: number;
  /** The due dates of the case's outstanding recommendations. */
  recommendationsDue?: readonly LocalDate[];
}

/** The default lead time of a plan's and a recommendation's reminder, in calendar days. */
export const DEFAULT_REMINDER_DAYS = 7;

/** Timers fire at 08:00 UTC on their day: 08:00 or 09:00 in London, the start of a working day. */
export function firingInstant(day: LocalDate): Date {
  return new Date(`${day}T08:00:00Z`);
}

/**
 * The delayed job for a timer: its id is the timer's identity, its delay runs to the firing instant.
 * `batchTime`: scheduled for a reporter's batch, the job's creation time is the batch's, not the moment
 * the worker ran (docs/architecture.md "Reporter time").
 */
export function slaJob(timer: SlaTimer, now: Date, batchTime?: Date) {
  const from = batchTime ?? now;
  return {
    name: timer.kind,
    data: timer,
    opts: {
      jobId: slaJobId(timer),
      delay: Math.max(0, firingInstant(timer.firesOn).getTime() - from.getTime()),
      ...(batchTime ? { timestamp: batchTime.getTime() } : {}),
    },
  };
}

export function slaJobId(timer: Pick<SlaTimer, 'caseId' | 'kind' | 'due'>): string {
  return `sla-${timer.caseId}-${timer.kind}-${timer.due}`;
}

/**
 * The timers a case should have now, from the domain's calendar (pure), under the council's policy
 * (tenantSlaPolicy; the default when none is given).
 */
export function timersFor(
  c: Pick<CaseEntity, 'id' | 'tenantId' | 'category' | 'status' | 'receivedAt' | 'acknowledgedOn'> &
    Partial<
      Pick<
        CaseEntity,
        | 'feedbackGivenOn'
        | 'reopenedOn'
        | 'assigneeId'
        | 'assignedOn'
        | 'ownershipConfirmedOn'
        | 'planTargetDate'
      >
    >,
  policy?: SlaPolicy,
  extras: TimerExtras = {},
): SlaTimer[] {
  const clock = isCategoryId(c.category) ? getCategory(c.category).clock : 'standard';
  const dates = computeSlaDates({
    receivedOn: toLondonDate(c.receivedAt),
    acknowledgedOn: c.acknowledgedOn,
    reopenedOn: c.reopenedOn ?? null,
    clock,
    policy,
  });
  const base = { tenantId: c.tenantId, caseId: c.id };
  const timers: SlaTimer[] = [];
  if (c.status === 'received') {
    timers.push({
      ...base,
      kind: 'acknowledgement_reminder',
      due: dates.acknowledgementDue,
      firesOn: dates.acknowledgementReminder,
    });
    timers.push({
      ...base,
      kind: 'acknowledgement_breach',
      due: dates.acknowledgementDue,
      firesOn: addCalendarDays(dates.acknowledgementDue, 1),
    });
    if (dates.safeguardingReferralDue) {
      timers.push({
        ...base,
        kind: 'safeguarding_referral_due',
        due: dates.safeguardingReferralDue,
        firesOn: dates.safeguardingReferralDue,
      });
    }
  }
  // Feedback given (interim feedback counts, EU-09) meets the feedback clock: its timers then find
  // nothing to do when they fire, like the acknowledgement timers once a case is acknowledged. A
  // reopened case has a new clock from the reopening (its due date moves, so the old timers are stale)
  // and no feedback on it until some is given again (reopening clears feedback_given_on).
  if (c.status !== 'closed' && !c.feedbackGivenOn) {
    timers.push({
      ...base,
      kind: 'feedback_reminder',
      due: dates.feedbackDue,
      firesOn: dates.feedbackReminder,
    });
    timers.push({
      ...base,
      kind: 'feedback_breach',
      due: dates.feedbackDue,
      firesOn: addCalendarDays(dates.feedbackDue, 1),
    });
  }
  // "Confirm ownership": from the day of the (latest) assignment until the assignee confirms.
  if (c.status !== 'closed' && c.assigneeId && c.assignedOn && !c.ownershipConfirmedOn) {
    const due = ownershipConfirmationDue(c.assignedOn);
    timers.push({ ...base, kind: 'ownership_breach', due, firesOn: addWorkingDays(due, 1) });
  }
  // The plan's target date (issue #19): a reminder some days before it, and a notice the day after it
  // if the case is still in investigation. A changed date makes the old timers stale, as above.
  const lead = extras.reminderDays ?? DEFAULT_REMINDER_DAYS;
  if (c.status === 'investigation' && c.planTargetDate) {
    const due = c.planTargetDate;
    timers.push({ ...base, kind: 'plan_target_reminder', due, firesOn: addCalendarDays(due, -lead) });
    timers.push({ ...base, kind: 'plan_target_overdue', due, firesOn: addCalendarDays(due, 1) });
  }
  for (const due of [...new Set(extras.recommendationsDue ?? [])].sort())
    timers.push({ ...base, kind: 'recommendation_due', due, firesOn: addCalendarDays(due, -lead) });
  return timers;
}

@Injectable()
export class SlaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Sla) private readonly queue: Queue,
    private readonly clock: Clock,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A case's timers now: its row, the council's policy, the reminder lead time and the due dates of its
   * outstanding recommendations. Used to schedule, to re-check a timer that fires, and by the reconciler.
   */
  async timersOf(m: EntityManager, c: CaseEntity, policy: SlaPolicy): Promise<SlaTimer[]> {
    const due = await outstandingDueDates(m, [c.id]);
    return timersFor(c, policy, {
      reminderDays: this.config.planReminderDays,
      recommendationsDue: due.get(c.id) ?? [],
    });
  }

  /** timersOf for a page of cases at once (the reconciler). */
  async timersOfAll(m: EntityManager, cases: readonly CaseEntity[], policy: SlaPolicy): Promise<SlaTimer[]> {
    const due = await outstandingDueDates(
      m,
      cases.map((c) => c.id),
    );
    return cases.flatMap((c) =>
      timersFor(c, policy, {
        reminderDays: this.config.planReminderDays,
        recommendationsDue: due.get(c.id) ?? [],
      }),
    );
  }

  /** (Re)schedules a case's timers; returns them. */
  async schedule(tenantId: string, caseId: string, batchTime?: Date): Promise<SlaTimer[]> {
    const timers = await inTenant(this.dataSource, tenantId, async (m) => {
      const found = await m.getRepository(CaseEntity).findOne({ where: { id: caseId } });
      if (!found) return [];
      return this.timersOf(m, found, (await tenantSlaPolicy(m)).policy);
    });
    await this.enqueue(timers, batchTime);
    return timers;
  }

  /**
   * Adds timers as delayed jobs. A job's id is its case, clock and date, so a timer already in Redis is
   * left as it is: the intake path and the reconciler (sla-reconciler.ts) can both call this freely.
   */
  async enqueue(timers: readonly SlaTimer[], batchTime?: Date): Promise<void> {
    if (!timers.length) return;
    const now = this.clock.now();
    await withTimeout(
      this.queue.addBulk(timers.map((timer) => slaJob(timer, now, batchTime))),
      3000,
      'Redis',
    );
  }

  /** A timer fires: re-check the case, and notify only if the clock still applies and has not been notified. */
  async fire(timer: SlaTimer): Promise<{ sent: number; skipped?: string }> {
    const today = toLondonDate(this.clock.now());
    if (compareLocalDates(today, timer.firesOn) < 0) return { sent: 0, skipped: 'not yet' };
    const recipients = await inTenant(this.dataSource, timer.tenantId, async (m) => {
      const found = await m.getRepository(CaseEntity).findOne({ where: { id: timer.caseId } });
      if (!found) return null;
      const { policy } = await tenantSlaPolicy(m);
      const current = (await this.timersOf(m, found, policy)).find(
        (t) => t.kind === timer.kind && t.due === timer.due,
      );
      if (!current) return null; // acknowledged, closed, or the deadline moved
      await holdCase(m, timer.caseId); // a writer of the case (docs/architecture.md "Placement")
      const inserted: unknown[] = await m.query(
        `INSERT INTO sla_events (tenant_id, case_id, kind, due_on, fired_on) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING case_id`,
        [timer.tenantId, timer.caseId, timer.kind, timer.due, today],
      );
      if (inserted.length === 0) return null;
      const people = await this.recipients(m, timer, found.assigneeId);
      await this.audit.append(m, {
        actor: { type: 'system' },
        action: 'sla.notified',
        caseId: timer.caseId,
        details: { kind: timer.kind, due: timer.due, recipients: people.length },
      });
      return people;
    });
    if (!recipients) return { sent: 0, skipped: 'nothing to do' };
    for (const person of recipients) await this.mail.sendNotice(person.email);
    return { sent: recipients.length };
  }

  /**
   * Reminders: every handler of the case. Escalations: its overseers (grantees in an oversight role).
   * A missed ownership confirmation, and a plan's passed target date, tell the assignee as well as
   * escalating. A plan's reminder goes to the assignee (every handler when there is none); a
   * recommendation's to its named owners still holding the case, and the assignee.
   */
  private async recipients(
    m: EntityManager,
    timer: SlaTimer,
    assigneeId: string | null,
  ): Promise<{ email: string }[]> {
    const grantees: { id: string; email: string; roles: StaffRole[] }[] = await m.query(
      `SELECT DISTINCT u.id, u.email, u.roles FROM case_grants g JOIN staff_users u ON u.id = g.grantee_id
       WHERE g.case_id = $1 AND g.grantee_kind = 'staff' AND u.deactivated_at IS NULL ORDER BY u.email`,
      [timer.caseId],
    );
    const assigned = grantees.filter((g) => g.id === assigneeId);
    if (TO_ASSIGNEE.includes(timer.kind)) {
      const owners: { owner_id: string }[] =
        timer.kind === 'recommendation_due'
          ? await m.query(
              `SELECT DISTINCT owner_id FROM case_recommendations
                WHERE case_id = $1 AND due_on = $2 AND status IN ('open', 'in_progress') AND owner_id IS NOT NULL`,
              [timer.caseId, timer.due],
            )
          : [];
      const named = new Set([...owners.map((o) => o.owner_id), ...assigned.map((a) => a.id)]);
      const chosen = grantees.filter((g) => named.has(g.id));
      return chosen.length ? chosen : grantees;
    }
    if (!ESCALATIONS.includes(timer.kind)) return grantees;
    const overseers = grantees.filter((g) => g.roles.some((r) => OVERSIGHT_ROLES.includes(r)));
    const escalated = overseers.length ? overseers : grantees;
    if (timer.kind !== 'ownership_breach' && timer.kind !== 'plan_target_overdue') return escalated;
    const assignee = grantees.filter((g) => g.id === assigneeId && !escalated.includes(g));
    return [...assignee, ...escalated];
  }
}

/** The due dates of the outstanding recommendations of `caseIds`, by case (readable metadata only). */
async function outstandingDueDates(
  m: EntityManager,
  caseIds: readonly string[],
): Promise<Map<string, LocalDate[]>> {
  const byCase = new Map<string, LocalDate[]>();
  if (!caseIds.length) return byCase;
  const rows: { case_id: string; due_on: string }[] = await m.query(
    `SELECT DISTINCT case_id, due_on::text AS due_on FROM case_recommendations
      WHERE case_id = ANY($1::uuid[]) AND status IN ('open', 'in_progress') AND due_on IS NOT NULL`,
    [caseIds],
  );
  for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r.due_on]);
  return byCase;
}
