// Which statutory clock a case is on and whether it is on track, due soon or overdue, under the council's
// SLA policy (docs/architecture.md "SLA timers"; docs/regulatory.md EU-06 and EU-09; docs/dashboard.md
// "The council's SLA policy"). The one place that decides "due soon" and "overdue": the API sends each
// case's clocks with the case (the badges on the case list, the case page and the monitoring officer's
// home) and turns its deadline filter into dates with deadlineThresholds, which agrees with slaClocks by
// construction (sla-clocks.spec.ts proves it for random cases and policies).
//
// The deadlines are the case's own stored ones (set with the council's policy when the case arrived, was
// acknowledged or reopened). "Due soon" starts on the day the policy's reminder goes out — the reminder
// is the policy's `acknowledgementReminderDaysBefore` (in its unit, calendar or working days) before the
// acknowledgement deadline and `feedbackReminderDaysBefore` calendar days before the feedback deadline,
// which is the day computeSlaDates gives the SLA timers — and "overdue" the day after the deadline, when
// the breach escalates. A safeguarding referral (due within the policy's working days of receipt) is due
// soon from the day the case arrives.

import { CATEGORIES, getCategory, isCategoryId } from './categories';
import { addCalendarDays, compareLocalDates, type LocalDate } from './local-date';
import { addWorkingDays, computeSlaDates, DEFAULT_SLA_POLICY, isWorkingDay, type SlaPolicy } from './sla';

export type SlaClockName = 'acknowledgement' | 'feedback' | 'safeguarding_referral';
export type SlaClockState = 'overdue' | 'due_soon' | 'on_track';

export interface SlaClockStatus {
  readonly clock: SlaClockName;
  readonly state: SlaClockState;
  readonly due: LocalDate;
}

/** What a case's clocks are read from: its readable metadata only. */
export interface SlaClockCase {
  readonly category: string;
  readonly status: string;
  readonly receivedOn: LocalDate;
  readonly acknowledgementDue: LocalDate;
  readonly feedbackDue: LocalDate;
  /** Set once feedback was given (it meets the feedback clock). */
  readonly feedbackGivenOn?: LocalDate | null;
}

/** The day `days` working days before `date` (the inverse of addWorkingDays on a working day). */
function subtractWorkingDays(date: LocalDate, days: number, closures: readonly LocalDate[]): LocalDate {
  let current = date;
  for (let remaining = days; remaining > 0;) {
    current = addCalendarDays(current, -1);
    if (isWorkingDay(current, closures)) remaining -= 1;
  }
  return current;
}

/**
 * The day the acknowledgement reminder goes out for a case due on `due`: the policy's reminder days before
 * it, counted in the policy's unit. For a deadline computeSlaDates set, this is its acknowledgementReminder.
 */
export function acknowledgementReminderDay(
  due: LocalDate,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): LocalDate {
  return policy.acknowledgementUnit === 'working'
    ? subtractWorkingDays(due, policy.acknowledgementReminderDaysBefore, policy.extraClosureDays)
    : addCalendarDays(due, -policy.acknowledgementReminderDaysBefore);
}

/** The day the feedback reminder goes out for a case whose feedback is due on `due`. */
export function feedbackReminderDay(due: LocalDate, policy: SlaPolicy = DEFAULT_SLA_POLICY): LocalDate {
  return addCalendarDays(due, -policy.feedbackReminderDaysBefore);
}

function stateOn(today: LocalDate, due: LocalDate, reminder: LocalDate): SlaClockState {
  if (compareLocalDates(today, due) > 0) return 'overdue';
  return compareLocalDates(today, reminder) >= 0 ? 'due_soon' : 'on_track';
}

const RANK: Readonly<Record<SlaClockState, number>> = { overdue: 0, due_soon: 1, on_track: 2 };

/**
 * Every clock still running on the case under the council's policy, most urgent first (overdue, then due
 * soon, then on track; earlier deadlines first within each). Empty for a closed case.
 */
export function slaClocks(
  c: SlaClockCase,
  today: LocalDate,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): SlaClockStatus[] {
  if (c.status === 'closed') return [];
  const clocks: SlaClockStatus[] = [];
  if (c.status === 'received') {
    const due = c.acknowledgementDue;
    clocks.push({
      clock: 'acknowledgement',
      due,
      state: stateOn(today, due, acknowledgementReminderDay(due, policy)),
    });
    const clock = isCategoryId(c.category) ? getCategory(c.category).clock : 'standard';
    const referralDue = computeSlaDates({ receivedOn: c.receivedOn, clock, policy }).safeguardingReferralDue;
    if (referralDue)
      clocks.push({
        clock: 'safeguarding_referral',
        due: referralDue,
        state: stateOn(today, referralDue, c.receivedOn),
      });
  }
  if (!c.feedbackGivenOn) {
    const due = c.feedbackDue;
    clocks.push({ clock: 'feedback', due, state: stateOn(today, due, feedbackReminderDay(due, policy)) });
  }
  return clocks.sort((a, b) => RANK[a.state] - RANK[b.state] || compareLocalDates(a.due, b.due));
}

export type DeadlineFilter = 'overdue' | 'due_soon';

/**
 * The case list's deadline filter as dates a query can compare (issue #19: filters run in the query):
 * a case is in it when some clock is overdue ('overdue'), or due soon or overdue ('due_soon'), exactly as
 * slaClocks says for the same day and policy.
 */
export interface DeadlineThresholds {
  readonly kind: DeadlineFilter;
  /** A received case's acknowledgement counts if its deadline is on or before this day. */
  readonly acknowledgementBy: LocalDate;
  /** An open case without feedback counts if its feedback deadline is on or before this day. */
  readonly feedbackBy: LocalDate;
  /** Categories that run the safeguarding referral clock. */
  readonly safeguardingCategories: readonly string[];
  /**
   * A received safeguarding case counts if it was received on or before this day (London time); null
   * means every received safeguarding case counts (due soon from the day it arrives).
   */
  readonly safeguardingReceivedBy: LocalDate | null;
}

/**
 * How far the thresholds are looked for: further than any reminder or referral can reach, whatever
 * closure days a council adds (the loops stop at the first day past the threshold).
 */
const SEARCH_DAYS = 366;

/**
 * The latest day `d` (from `from` on) for which `passed(d)` holds, when `passed` holds on `from` and,
 * once false, stays false for every later day.
 */
function lastDay(from: LocalDate, passed: (d: LocalDate) => boolean): LocalDate {
  let day = from;
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const next = addCalendarDays(day, 1);
    if (!passed(next)) break;
    day = next;
  }
  return day;
}

export function deadlineThresholds(
  kind: DeadlineFilter,
  today: LocalDate,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): DeadlineThresholds {
  const safeguardingCategories = CATEGORIES.filter((c) => c.clock === 'safeguarding').map((c) => c.id);
  const yesterday = addCalendarDays(today, -1);
  if (kind === 'due_soon') {
    // The reminder day grows with the deadline, so the latest deadline whose reminder has come is found
    // by stepping on from today (a deadline of today has its reminder on or before today).
    return {
      kind,
      acknowledgementBy: lastDay(
        today,
        (due) => compareLocalDates(acknowledgementReminderDay(due, policy), today) <= 0,
      ),
      feedbackBy: addCalendarDays(today, policy.feedbackReminderDaysBefore),
      safeguardingCategories,
      safeguardingReceivedBy: null,
    };
  }
  // Overdue: the deadline was before today. The referral's deadline grows with the day of receipt, so
  // the latest day of receipt whose referral is already late is found by stepping back from today.
  let receivedBy = yesterday;
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const due = addWorkingDays(receivedBy, policy.safeguardingReferralWorkingDays, policy.extraClosureDays);
    if (compareLocalDates(due, today) < 0) break;
    receivedBy = addCalendarDays(receivedBy, -1);
  }
  return {
    kind,
    acknowledgementBy: yesterday,
    feedbackBy: yesterday,
    safeguardingCategories,
    safeguardingReceivedBy: receivedBy,
  };
}
