/**
 * Who a case must never reach (docs/architecture.md "Access rules"; docs/regulatory.md §3, "the
 * conflict set"). routeCase (routing.ts) decides who a case goes to and never returns such a person;
 * these rules answer the other two questions the case door and access changes ask about people who
 * already hold a case or are proposed for it: must this person lose access, and may they be assigned?
 *
 * A person is ruled out of a case when they are named as involved (by id), have recused themselves, or
 * hold a role the concern names or one a conflict route excludes with a subject of the concern (for
 * example the deputy monitoring officer with the monitoring officer, unless the council marks the
 * deputy as independent). A person holding several roles is ruled out if any of their roles is.
 * Property tests (exclusions.spec.ts) check that routeCase and these rules agree.
 */
import type { StaffRole } from './roles';
import { DEFAULT_CONFLICT_ROUTES, type RoutingInput } from './routing';

/** The case's recorded exclusions: everyone named as involved, everyone who recused. */
export interface CaseExclusions {
  readonly involvedUserIds: readonly string[];
  readonly recusedUserIds: readonly string[];
}

/** Whether `userId` is excluded from the case as a person: named as involved, or recused. */
export function isExcludedPerson(exclusions: CaseExclusions, userId: string): boolean {
  return exclusions.involvedUserIds.includes(userId) || exclusions.recusedUserIds.includes(userId);
}

/**
 * The roles whose holders are ruled out of the case: those the concern names, and those each conflict
 * route for a subject of the concern excludes with it. The subjects are the roles named and every role
 * of each person named as involved.
 */
export function excludedRoles(input: RoutingInput): ReadonlySet<StaffRole> {
  const routes = input.conflictRoutes ?? DEFAULT_CONFLICT_ROUTES;
  const subjects = new Set<StaffRole>(input.involvedRoles);
  for (const involved of input.involvedUserIds)
    for (const holder of input.roleHolders.filter((h) => h.userId === involved))
      for (const role of holder.roles) subjects.add(role);
  const excluded = new Set<StaffRole>(input.involvedRoles);
  for (const subject of subjects)
    for (const role of routes[subject]?.excludedWithSubject ?? [])
      if (!(role === 'deputy_monitoring_officer' && input.deputyIndependent === true)) excluded.add(role);
  return excluded;
}

/**
 * Whether routing rules this person out of the case: excluded as a person (named, recused) or holding
 * a role excludedRoles names. Decides who must lose access they already have, and who may not be
 * assigned (docs/regulatory.md §3: "no member of the conflict set may be assigned").
 */
export function ruledOut(input: RoutingInput, userId: string, roles: readonly StaffRole[]): boolean {
  if (isExcludedPerson(input, userId)) return true;
  const excluded = excludedRoles(input);
  return roles.some((role) => excluded.has(role));
}
