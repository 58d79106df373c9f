// The SLA calendar: when a case must be acknowledged, when the reporter must have feedback, when the
// reminders go out, and the 1-working-day safeguarding referral clock (docs/architecture.md "SLA timers";
// docs/regulatory.md EU-06, EU-09, UK-22 and §4). Workers schedule reminders and escalations from these
// dates; this file only computes them, on plain local dates, so a run is the same on any server in any zone.
//
// Defaults follow the EU Directive, which docs/regulatory.md recommends for UK use too: 7 calendar days
// to acknowledge, feedback within 3 months of the acknowledgement, or of the end of the 7-day window if no
// acknowledgement was sent. A reopened case gets a new feedback clock: 3 months from the reopening, read as
// EU-09's acknowledgement of what is in effect a fresh follow-up (the earlier feedback answered the case as
// it was closed; the reporter is owed feedback on what reopening leads to). A tenant can choose its own policy (e.g. 5 working days to acknowledge).

import { isBankHoliday } from './bank-holidays';
import type { SlaClock } from './categories';
import {
  addCalendarDays,
  addMonths,
  compareLocalDates,
  isLocalDate,
  isWeekend,
  type LocalDate,
} from './local-date';

export type DayUnit = 'calendar' | 'working';

/** A tenant's clock policy. Every field has a default in DEFAULT_SLA_POLICY. */
export interface SlaPolicy {
  /** Days after receipt by which the reporter must be acknowledged. */
  readonly acknowledgementDays: number;
  /** Whether acknowledgementDays (and the acknowledgement reminder) count calendar or working days. */
  readonly acknowledgementUnit: DayUnit;
  /**
   * Days before the acknowledgement deadline, in acknowledgementUnit, when handlers are reminded (the
   * default 2 puts the reminder on day 5 of 7). Never earlier than the day of receipt.
   */
  readonly acknowledgementReminderDaysBefore: number;
  /** Calendar months after acknowledgement by which the reporter must have feedback. */
  readonly feedbackMonths: number;
  /** Calendar days before the feedback deadline when handlers are reminded. */
  readonly feedbackReminderDaysBefore: number;
  /** Working days after receipt by which a safeguarding concern must be referred (LADO or adults). */
  readonly safeguardingReferralWorkingDays: number;
  /** The tenant's own closure days (e.g. a Christmas shutdown), skipped like bank holidays. */
  readonly extraClosureDays: readonly LocalDate[];
}

/** Statutory window for acknowledgement (EU-06), also the base of the feedback clock when none was sent. */
export const STATUTORY_ACKNOWLEDGEMENT_DAYS = 7;

/**
 * Working days a handler has, from the day a case is assigned to them, to confirm they own it
 * (docs/architecture.md "SLA timers": "confirm ownership" when a case is assigned; docs/regulatory.md EU-07,
 * one accountable designated handler). Two: a case assigned the day it arrives, in an ordinary week, then
 * still has its escalation (the next working day) and a reassignment before the 7-calendar-day
 * acknowledgement deadline (EU-06); UK policies give 5 working days for the acknowledgement itself, so more
 * would leave an unowned case nobody acknowledges.
 */
export const OWNERSHIP_CONFIRMATION_WORKING_DAYS = 2;

/** The day by which the assignee must confirm ownership of a case assigned on `assignedOn`. */
export function ownershipConfirmationDue(
  assignedOn: LocalDate,
  extraClosureDays: readonly LocalDate[] = [],
): LocalDate {
  return addWorkingDays(assignedOn, OWNERSHIP_CONFIRMATION_WORKING_DAYS, extraClosureDays);
}

export const DEFAULT_SLA_POLICY: SlaPolicy = Object.freeze({
  acknowledgementDays: STATUTORY_ACKNOWLEDGEMENT_DAYS,
  acknowledgementUnit: 'calendar',
  acknowledgementReminderDaysBefore: 2,
  feedbackMonths: 3,
  feedbackReminderDaysBefore: 14,
  safeguardingReferralWorkingDays: 1,
  extraClosureDays: Object.freeze([]) as readonly LocalDate[],
});

export interface SlaInput {
  /** The local date the report entered any channel (use toLondonDate for an instant). */
  readonly receivedOn: LocalDate;
  /** The local date the acknowledgement was sent, if it has been. */
  readonly acknowledgedOn?: LocalDate | null;
  /**
   * The local date the case was last reopened, if it has been: the feedback clock then runs from here
   * (feedback given before the reopening does not meet it).
   */
  readonly reopenedOn?: LocalDate | null;
  /** The category's clock; 'safeguarding' adds the referral deadline. */
  readonly clock: SlaClock;
  /** The tenant's overrides of DEFAULT_SLA_POLICY. */
  readonly policy?: Partial<SlaPolicy>;
}

export interface SlaDates {
  readonly acknowledgementReminder: LocalDate;
  readonly acknowledgementDue: LocalDate;
  readonly feedbackReminder: LocalDate;
  readonly feedbackDue: LocalDate;
  /** Only for the safeguarding clock; null otherwise. */
  readonly safeguardingReferralDue: LocalDate | null;
}

/**
 * The problems with a policy, each a sentence naming the field; empty when the policy is usable.
 * Use it to validate a tenant's settings before saving them.
 */
export function validateSlaPolicy(policy: SlaPolicy): string[] {
  const problems: string[] = [];
  const whole = (field: keyof SlaPolicy, value: unknown, min: number, max: number): boolean => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return true;
    problems.push(`${field} must be a whole number from ${min} to ${max}.`);
    return false;
  };
  whole('acknowledgementDays', policy.acknowledgementDays, 1, 60);
  if (policy.acknowledgementUnit !== 'calendar' && policy.acknowledgementUnit !== 'working') {
    problems.push(`acknowledgementUnit must be "calendar" or "working".`);
  }
  whole('acknowledgementReminderDaysBefore', policy.acknowledgementReminderDaysBefore, 0, 60);
  whole('feedbackMonths', policy.feedbackMonths, 1, 12);
  whole('feedbackReminderDaysBefore', policy.feedbackReminderDaysBefore, 0, 27);
  whole('safeguardingReferralWorkingDays', policy.safeguardingReferralWorkingDays, 1, 10);
  if (!Array.isArray(policy.extraClosureDays) || !policy.extraClosureDays.every((d) => isLocalDate(d))) {
    problems.push('extraClosureDays must be a list of dates in the form YYYY-MM-DD.');
  }
  return problems;
}

/**
 * The deadlines and reminder dates for a case.
 *
 * Feedback is due `feedbackMonths` after the acknowledgement; if none has been sent, after the end of the
 * acknowledgement window (the earlier of the policy's due date and the statutory 7 calendar days, so a
 * looser local policy never pushes feedback past EU-09); for a reopened case, after the (latest)
 * reopening, whatever came before.
 * @throws RangeError for an invalid date or policy, or an acknowledgement or reopening before receipt.
 */
export function computeSlaDates(input: SlaInput): SlaDates {
  const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY, ...input.policy };
  const problems = validateSlaPolicy(policy);
  if (problems.length > 0) throw new RangeError(`Invalid SLA policy: ${problems.join(' ')}`);
  const { receivedOn, acknowledgedOn, reopenedOn } = input;
  if (!isLocalDate(receivedOn)) throw new RangeError('receivedOn must be a date in the form YYYY-MM-DD.');
  if (acknowledgedOn != null) {
    if (!isLocalDate(acknowledgedOn)) {
      throw new RangeError('acknowledgedOn must be a date in the form YYYY-MM-DD.');
    }
    if (compareLocalDates(acknowledgedOn, receivedOn) < 0) {
      throw new RangeError('acknowledgedOn cannot be before receivedOn.');
    }
  }
  if (reopenedOn != null) {
    if (!isLocalDate(reopenedOn)) throw new RangeError('reopenedOn must be a date in the form YYYY-MM-DD.');
    if (compareLocalDates(reopenedOn, receivedOn) < 0) {
      throw new RangeError('reopenedOn cannot be before receivedOn.');
    }
  }

  const closures = policy.extraClosureDays;
  const addAckDays = (days: number): LocalDate =>
    policy.acknowledgementUnit === 'working'
      ? addWorkingDays(receivedOn, days, closures)
      : addCalendarDays(receivedOn, days);

  const acknowledgementDue = addAckDays(policy.acknowledgementDays);
  const statutoryEnd = addCalendarDays(receivedOn, STATUTORY_ACKNOWLEDGEMENT_DAYS);
  const feedbackBase =
    reopenedOn ??
    acknowledgedOn ??
    (compareLocalDates(acknowledgementDue, statutoryEnd) < 0 ? acknowledgementDue : statutoryEnd);
  const feedbackDue = addMonths(feedbackBase, policy.feedbackMonths);

  return {
    acknowledgementReminder: addAckDays(
      Math.max(0, policy.acknowledgementDays - policy.acknowledgementReminderDaysBefore),
    ),
    acknowledgementDue,
    feedbackReminder: addCalendarDays(feedbackDue, -policy.feedbackReminderDaysBefore),
    feedbackDue,
    safeguardingReferralDue:
      input.clock === 'safeguarding'
        ? addWorkingDays(receivedOn, policy.safeguardingReferralWorkingDays, closures)
        : null,
  };
}

/**
 * True on a working day in England and Wales: not a weekend, not a bank holiday, not one of the
 * tenant's closure days.
 */
export function isWorkingDay(date: LocalDate, extraClosureDays: readonly LocalDate[] = []): boolean {
  return !isWeekend(date) && !isBankHoliday(date) && !extraClosureDays.includes(date);
}

/**
 * The date `days` working days after `date` (so 1 is the next working day, whatever `date` is).
 * Zero returns `date` unchanged.
 * @throws RangeError for a negative or fractional number of days.
 */
export function addWorkingDays(
  date: LocalDate,
  days: number,
  extraClosureDays: readonly LocalDate[] = [],
): LocalDate {
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RangeError(`days must be a whole number of at least 0; got ${days}.`);
  }
  let current = date;
  let remaining = days;
  addCalendarDays(current, 0); // validates the date even when no day is added
  while (remaining > 0) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(current, extraClosureDays)) remaining -= 1;
  }
  return current;
}
