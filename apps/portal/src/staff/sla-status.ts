/**
 * Which statutory clock a case is on and how close it is to its deadline, for the badges on the case
 * list, the case page and the monitoring officer's home. The deadlines are the case's own
 * (acknowledgementDue, feedbackDue, from the API, which computes them with libs/domain); the reminder
 * points are the domain's too — the same offsets SlaService fires its reminders on — so "due soon" on
 * a page starts the day the reminder e-mail goes out and "overdue" the day the breach escalates.
 */
import {
  addCalendarDays,
  compareLocalDates,
  computeSlaDates,
  DEFAULT_SLA_POLICY,
  getCategory,
  isCategoryId,
  type LocalDate,
} from '@nolan/domain';

export type SlaClockName = 'acknowledgement' | 'feedback' | 'safeguarding_referral';
export type SlaState = 'overdue' | 'due_soon' | 'on_track';

export interface SlaClockStatus {
  readonly clock: SlaClockName;
  readonly state: SlaState;
  readonly due: LocalDate;
}

export interface SlaCase {
  readonly category: string;
  readonly status: string;
  readonly receivedOn: LocalDate;
  readonly acknowledgementDue: LocalDate;
  readonly acknowledgedOn: LocalDate | null;
  readonly feedbackDue: LocalDate;
  /** Set once feedback was given (it meets the feedback clock); absent from older API answers. */
  readonly feedbackGivenOn?: LocalDate | null;
}

export const SLA_CLOCK_LABELS: Readonly<Record<SlaClockName, string>> = Object.freeze({
  acknowledgement: 'Acknowledgement',
  feedback: 'Feedback to the reporter',
  safeguarding_referral: 'Safeguarding referral',
});

/**
 * Every clock still running on the case, most urgent first (overdue, then due soon, then on track;
 * earlier deadlines first within each). Empty for a closed case.
 */
export function slaClocks(c: SlaCase, today: LocalDate): SlaClockStatus[] {
  if (c.status === 'closed') return [];
  const clocks: SlaClockStatus[] = [];
  const state = (due: LocalDate, reminder: LocalDate): SlaState =>
    compareLocalDates(today, due) > 0
      ? 'overdue'
      : compareLocalDates(today, reminder) >= 0
        ? 'due_soon'
        : 'on_track';
  if (c.status === 'received') {
    // The acknowledgement reminder goes out `acknowledgementReminderDaysBefore` the deadline (day 5 of 7).
    const reminder = addCalendarDays(c.acknowledgementDue, -DEFAULT_SLA_POLICY.acknowledgementReminderDaysBefore);
    clocks.push({ clock: 'acknowledgement', due: c.acknowledgementDue, state: state(c.acknowledgementDue, reminder) });
    const clock = isCategoryId(c.category) ? getCategory(c.category).clock : 'standard';
    const referralDue = computeSlaDates({ receivedOn: c.receivedOn, clock }).safeguardingReferralDue;
    // A safeguarding referral is due within a working day: it is "due soon" from the day it arrives.
    if (referralDue) clocks.push({ clock: 'safeguarding_referral', due: referralDue, state: state(referralDue, c.receivedOn) });
  }
  if (!c.feedbackGivenOn) {
    const reminder = addCalendarDays(c.feedbackDue, -DEFAULT_SLA_POLICY.feedbackReminderDaysBefore);
    clocks.push({ clock: 'feedback', due: c.feedbackDue, state: state(c.feedbackDue, reminder) });
  }
  const rank: Record<SlaState, number> = { overdue: 0, due_soon: 1, on_track: 2 };
  return clocks.sort((a, b) => rank[a.state] - rank[b.state] || compareLocalDates(a.due, b.due));
}

/** The most urgent clock, or null when none runs (a closed case). */
export function mostUrgentClock(c: SlaCase, today: LocalDate): SlaClockStatus | null {
  return slaClocks(c, today)[0] ?? null;
}

/** The MOJ badge for a clock that needs attention; null when it is on track. */
export function slaBadge(status: SlaClockStatus | null): { text: string; classes: string } | null {
  if (!status || status.state === 'on_track') return null;
  return status.state === 'overdue'
    ? { text: 'Overdue', classes: 'moj-badge--red' }
    : { text: 'Due soon', classes: 'moj-badge--purple' };
}
