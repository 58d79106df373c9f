// A council's own SLA policy (issue #16 "each council can set its own stricter clocks"; docs/regulatory.md
// EU-06 and EU-09; docs/dashboard.md "The council's SLA policy"): what an administrator may store, checked here so the admin API and anything that
// reads a stored policy apply the same rule. A council may tighten the clocks, never loosen them past
// the statutory ones: at most 7 calendar days (or 5 working days, an ordinary week) to acknowledge and at
// most 3 months to feedback. computeSlaDates keeps feedback within the statutory window whatever the
// acknowledgement policy.

import { DEFAULT_SLA_POLICY, type SlaPolicy, STATUTORY_ACKNOWLEDGEMENT_DAYS, validateSlaPolicy } from './sla';

/** The most working days a council may give itself to acknowledge: one ordinary working week. */
export const MAX_ACKNOWLEDGEMENT_WORKING_DAYS = 5;

const FIELDS: readonly (keyof SlaPolicy)[] = [
  'acknowledgementDays',
  'acknowledgementUnit',
  'acknowledgementReminderDaysBefore',
  'feedbackMonths',
  'feedbackReminderDaysBefore',
  'safeguardingReferralWorkingDays',
  'extraClosureDays',
];

export type CouncilSlaResult = { ok: true; policy: SlaPolicy } | { ok: false; problems: string[] };

/**
 * A council's policy from what it gave (any subset of SlaPolicy's fields; the rest are the defaults):
 * every problem named, unknown fields included, and nothing looser than the statutory clocks.
 */
export function checkCouncilSlaPolicy(input: unknown): CouncilSlaResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return { ok: false, problems: ['policy must be an object of SLA settings.'] };
  const given = input as Record<string, unknown>;
  const problems = Object.keys(given)
    .filter((k) => !(FIELDS as readonly string[]).includes(k))
    .map((k) => `${k} is not an SLA setting (use ${FIELDS.join(', ')}).`);
  const policy = { ...DEFAULT_SLA_POLICY, ...given } as SlaPolicy;
  problems.push(...validateSlaPolicy(policy));
  if (problems.length) return { ok: false, problems };
  if (
    policy.acknowledgementUnit === 'calendar' &&
    policy.acknowledgementDays > STATUTORY_ACKNOWLEDGEMENT_DAYS
  )
    problems.push(
      `acknowledgementDays can be at most ${STATUTORY_ACKNOWLEDGEMENT_DAYS} calendar days: a council may shorten the statutory clock, not lengthen it.`,
    );
  if (
    policy.acknowledgementUnit === 'working' &&
    policy.acknowledgementDays > MAX_ACKNOWLEDGEMENT_WORKING_DAYS
  )
    problems.push(
      `acknowledgementDays can be at most ${MAX_ACKNOWLEDGEMENT_WORKING_DAYS} working days: a council may shorten the statutory clock, not lengthen it.`,
    );
  if (policy.feedbackMonths > DEFAULT_SLA_POLICY.feedbackMonths)
    problems.push(
      `feedbackMonths can be at most ${DEFAULT_SLA_POLICY.feedbackMonths}: a council may shorten the statutory clock, not lengthen it.`,
    );
  if (policy.acknowledgementReminderDaysBefore >= policy.acknowledgementDays)
    problems.push('acknowledgementReminderDaysBefore must be fewer than acknowledgementDays.');
  return problems.length ? { ok: false, problems } : { ok: true, policy };
}
