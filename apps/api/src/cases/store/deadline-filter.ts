/**
 * The case list's deadline filter as dates the query can compare (issue #19: filters run in the API's
 * query, not over pages of cases in the portal). The states are those of the badges
 * (apps/portal/src/staff/sla-status.ts, from libs/domain's SLA policy): a clock is overdue the day
 * after its deadline and due soon from its reminder day — the acknowledgement and feedback reminders
 * fire DEFAULT_SLA_POLICY's days before their deadline, and a safeguarding referral (due within a
 * working day of receipt) is due soon from the day the case arrives.
 */
import {
  addCalendarDays,
  CATEGORIES,
  computeSlaDates,
  DEFAULT_SLA_POLICY,
  type LocalDate,
} from '@nolan/domain';

export type DeadlineFilter = 'overdue' | 'due_soon';

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

export function deadlineThresholds(kind: DeadlineFilter, today: LocalDate): DeadlineThresholds {
  const safeguardingCategories = CATEGORIES.filter((c) => c.clock === 'safeguarding').map((c) => c.id);
  if (kind === 'due_soon')
    return {
      kind,
      acknowledgementBy: addCalendarDays(today, DEFAULT_SLA_POLICY.acknowledgementReminderDaysBefore),
      feedbackBy: addCalendarDays(today, DEFAULT_SLA_POLICY.feedbackReminderDaysBefore),
      safeguardingCategories,
      safeguardingReceivedBy: null,
    };
  // Overdue: the deadline was before today. The referral's deadline grows with the day of receipt, so
  // the latest day of receipt whose referral is already late is found by stepping back from today.
  let receivedBy = addCalendarDays(today, -1);
  for (let i = 0; i < 14; i++) {
    const due = computeSlaDates({ receivedOn: receivedBy, clock: 'safeguarding' }).safeguardingReferralDue;
    if (due !== null && due < today) break;
    receivedBy = addCalendarDays(receivedBy, -1);
  }
  return {
    kind,
    acknowledgementBy: addCalendarDays(today, -1),
    feedbackBy: addCalendarDays(today, -1),
    safeguardingCategories,
    safeguardingReceivedBy: receivedBy,
  };
}
