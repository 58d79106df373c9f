/**
 * The badges for a case's statutory clocks on the case list, the case page and the monitoring officer's
 * home. Whether a clock is on track, due soon or overdue is not decided here: the API sends each case's
 * clocks (CaseListItem.clocks), judged once by libs/domain's slaClocks under the council's own SLA
 * policy, the same rule its deadline filter and the SLA timers' reminders follow. This file only words
 * them.
 */
import type { CaseListItem } from '@nolan/contract';
import type { SlaClockName, SlaClockStatus } from '@nolan/domain';

export const SLA_CLOCK_LABELS: Readonly<Record<SlaClockName, string>> = Object.freeze({
  acknowledgement: 'Acknowledgement',
  feedback: 'Feedback to the reporter',
  safeguarding_referral: 'Safeguarding referral',
});

/** The most urgent clock the API sent, or null when none runs (a closed case). */
export function mostUrgentClock(c: Pick<CaseListItem, 'clocks'>): SlaClockStatus | null {
  return c.clocks[0] ?? null;
}

/** The MOJ badge for a clock that needs attention; null when it is on track. */
export function slaBadge(status: SlaClockStatus | null): { text: string; classes: string } | null {
  if (!status || status.state === 'on_track') return null;
  return status.state === 'overdue'
    ? { text: 'Overdue', classes: 'moj-badge--red' }
    : { text: 'Due soon', classes: 'moj-badge--purple' };
}
