// How long a closed case is kept before it is destroyed (DESIGN.md "Retention"; regulatory.md GP-10,
// EU-14). The defaults are the examples the reference gives, to be reviewed locally: proven fraud six
// years plus the current year; unproven fraud one year plus the current year; code-of-conduct files six
// years from the final determination. Safeguarding is kept longer (ten years from closure) because
// allegations about staff may be needed again; that figure is Nolan's default, not the reference's.
// Tenants override by category and outcome.

import type { CategoryId } from './categories';
import type { CaseOutcome } from './lifecycle';
import { addMonths, type LocalDate } from './local-date';

const FRAUD: readonly CategoryId[] = ['fraud_theft', 'bribery_corruption', 'misuse_of_public_funds'];
const SAFEGUARDING: readonly CategoryId[] = ['safeguarding_children', 'safeguarding_adults'];
const PROVEN: readonly CaseOutcome[] = ['substantiated', 'partially_substantiated'];

/** A rule: keep for `years` after closure, or until the end of the calendar year `years` after it. */
export interface RetentionRule {
  readonly years: number;
  readonly untilEndOfYear: boolean;
}

/** Tenant overrides keyed `category` or `category:outcome` (the more specific wins). */
export type RetentionPolicy = Readonly<Record<string, RetentionRule>>;

export function defaultRetentionRule(category: CategoryId, outcome: CaseOutcome | null): RetentionRule {
  if (FRAUD.includes(category)) {
    return outcome && PROVEN.includes(outcome)
      ? { years: 6, untilEndOfYear: true }
      : { years: 1, untilEndOfYear: true };
  }
  if (SAFEGUARDING.includes(category)) return { years: 10, untilEndOfYear: false };
  return { years: 6, untilEndOfYear: false };
}

/** The last day a closed case is kept; it may be destroyed from the day after. */
export function retainUntil(
  category: CategoryId,
  outcome: CaseOutcome | null,
  closedOn: LocalDate,
  policy: RetentionPolicy = {},
): LocalDate {
  const rule =
    policy[`${category}:${outcome ?? ''}`] ?? policy[category] ?? defaultRetentionRule(category, outcome);
  if (rule.untilEndOfYear) return `${Number(closedOn.slice(0, 4)) + rule.years}-12-31`;
  return addMonths(closedOn, rule.years * 12);
}
