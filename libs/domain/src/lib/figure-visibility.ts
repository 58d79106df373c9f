// Whose cases a person's figures are counted over (issue #16 "who sees what"; docs/architecture.md
// "Tenancy and access"; docs/regulatory.md §3: a member of a case's conflict set is never shown it "in
// lists, counts, search or dashboards"). One rule, by role:
// - council: the monitoring officer and the deputy see the council's figures — every case of the
//   council they have not been excluded from. Excluded means a case_exclusions row for them (recused,
//   named as involved) or routing having ruled them out (a concern about them: routing never grants
//   them the case and revokes anything they held). Both are read from metadata, so a case that names
//   the viewer is in none of their figures, drill-downs or totals.
// - own: any other handler sees the figures of the cases they hold (the case list's rule).
// - summary: the chair of the audit committee sees the published summary only (suppressed counts).
// - none: an administrator sees nothing about cases, whatever other role the account also has.

import type { StaffRole } from './roles';

export type FigureScope = 'council' | 'own' | 'summary' | 'none';

const COUNCIL_ROLES: readonly StaffRole[] = ['monitoring_officer', 'deputy_monitoring_officer'];

export function figureScopeFor(roles: readonly string[]): FigureScope {
  if (roles.includes('administrator')) return 'none';
  if (roles.some((r) => (COUNCIL_ROLES as readonly string[]).includes(r))) return 'council';
  if (roles.includes('audit_committee_chair') && roles.every((r) => r === 'audit_committee_chair'))
    return 'summary';
  const handles = roles.some((r) => r !== 'audit_committee_chair');
  return handles ? 'own' : 'none';
}

export interface CaseVisibilityFacts {
  /** The viewer holds a staff grant on the case (any scope). */
  readonly viewerHoldsGrant: boolean;
  /** A case_exclusions row names the viewer. */
  readonly viewerExcluded: boolean;
}

/**
 * Whether a case counts in the viewer's figures. For the council scope the grant stands for "routing
 * has not ruled them out": routing grants the overseer every case it does not exclude them from.
 */
export function caseCountsFor(scope: FigureScope, facts: CaseVisibilityFacts): boolean {
  if (scope === 'none') return false;
  if (facts.viewerExcluded) return false;
  // The published summary is the council's, in suppressed counts: every case without an exclusion of
  // the viewer (the chair holds no grants; a concern naming the chair by role at intake is not visible in
  // metadata, which is why the summary only ever shows counts of 5 or more).
  if (scope === 'summary') return true;
  return facts.viewerHoldsGrant;
}
