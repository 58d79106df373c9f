// How long a closed case is kept before it is destroyed (docs/architecture.md "Retention and
// crypto-shredding"; docs/regulatory.md GP-10, EU-14). The defaults are GP-10's examples, to
// be reviewed locally: proven fraud six years plus the current year; unproven fraud one year plus the current
// year; code-of-conduct files six years from the final determination. Safeguarding is kept longer (ten years
// from closure) because allegations about staff may be needed again; that figure is Nolan's default, not
// GP-10's. Tenants override by category and outcome (GP-10's per-tenant schedule), checked by
// validateRetentionPolicy before they are saved: never under a year, so a case outlives the employment
// tribunal limitation (3 months, UK-05) with a buffer, and never beyond a century.

import { CATEGORY_IDS, type CategoryId, isCategoryId } from './categories';
import { CASE_OUTCOMES, type CaseOutcome } from './lifecycle';
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
    // A duplicate is kept as long as a proven case: it is a second account of the case it duplicates,
    // whose outcome is not known when the duplicate closes (docs/case-core.md "Duplicates").
    return outcome && (PROVEN.includes(outcome) || outcome === 'duplicate')
      ? { years: 6, untilEndOfYear: true }
      : { years: 1, untilEndOfYear: true };
  }
  if (SAFEGUARDING.includes(category)) return { years: 10, untilEndOfYear: false };
  return { years: 6, untilEndOfYear: false };
}

/** The rule in force for a case: the tenant's `category:outcome` override, else its `category` one, else the default. */
export function retentionRuleFor(
  category: CategoryId,
  outcome: CaseOutcome | null,
  policy: RetentionPolicy = {},
): RetentionRule {
  return (
    policy[`${category}:${outcome ?? ''}`] ?? policy[category] ?? defaultRetentionRule(category, outcome)
  );
}

/** The last day a closed case is kept; it may be destroyed from the day after. */
export function retainUntil(
  category: CategoryId,
  outcome: CaseOutcome | null,
  closedOn: LocalDate,
  policy: RetentionPolicy = {},
): LocalDate {
  const rule = retentionRuleFor(category, outcome, policy);
  if (rule.untilEndOfYear) return `${Number(closedOn.slice(0, 4)) + rule.years}-12-31`;
  return addMonths(closedOn, rule.years * 12);
}

export const MIN_RETENTION_YEARS = 1;
export const MAX_RETENTION_YEARS = 100;

export type RetentionPolicyValidation =
  | { readonly ok: true; readonly value: RetentionPolicy }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Checks a tenant's overrides before they are saved: every key a category or `category:outcome`, every
 * rule a whole number of years from MIN_RETENTION_YEARS to MAX_RETENTION_YEARS with untilEndOfYear true
 * or false. Each problem starts with its path (`overrides.<key>…`), so a form can place it.
 */
export function validateRetentionPolicy(value: unknown): RetentionPolicyValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, errors: ['overrides must be an object keyed by category or category:outcome.'] };
  const errors: string[] = [];
  const policy: Record<string, RetentionRule> = {};
  for (const [key, raw] of Object.entries(value)) {
    const at = `overrides.${key}`;
    const [category, outcome, ...rest] = key.split(':');
    if (!isCategoryId(category)) {
      errors.push(`${at}: "${category}" is not a category; categories: ${CATEGORY_IDS.join(', ')}.`);
      continue;
    }
    if (rest.length > 0 || (outcome !== undefined && !(CASE_OUTCOMES as readonly string[]).includes(outcome))) {
      errors.push(`${at}: "${outcome}" is not an outcome; outcomes: ${CASE_OUTCOMES.join(', ')}.`);
      continue;
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.push(`${at} must be an object with years and untilEndOfYear.`);
      continue;
    }
    const { years, untilEndOfYear, ...extra } = raw as Record<string, unknown>;
    let ok = true;
    if (
      typeof years !== 'number' ||
      !Number.isInteger(years) ||
      years < MIN_RETENTION_YEARS ||
      years > MAX_RETENTION_YEARS
    ) {
      errors.push(
        `${at}.years must be a whole number from ${MIN_RETENTION_YEARS} to ${MAX_RETENTION_YEARS} ` +
          '(a case is kept at least a year, past the employment tribunal time limit).',
      );
      ok = false;
    }
    if (typeof untilEndOfYear !== 'boolean') {
      errors.push(`${at}.untilEndOfYear must be true or false.`);
      ok = false;
    }
    for (const name of Object.keys(extra)) {
      errors.push(`${at}.${name} is not a retention setting; use years and untilEndOfYear.`);
      ok = false;
    }
    if (ok) policy[key] = Object.freeze({ years: years as number, untilEndOfYear: untilEndOfYear as boolean });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: Object.freeze(policy) };
}
