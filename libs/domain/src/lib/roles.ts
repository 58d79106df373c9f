// Staff roles in a tenant. Routing, conflict rules and the lifecycle speak in roles, never in people, so a
// council can change who holds a role without touching a route (docs/architecture.md "Who uses it",
// "Routing"). Who holds which role is tenant data; this file only names the roles and groups them.

/** Every staff role, in a fixed order (used wherever output must be deterministic). */
export const STAFF_ROLES = [
  'administrator',
  'monitoring_officer',
  'deputy_monitoring_officer',
  'investigator',
  's151_officer',
  'safeguarding_lead',
  'head_of_paid_service',
  'audit_committee_chair',
] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

/** Plain-English names, for staff pages and for the reporter's "does this involve…?" question. */
export const STAFF_ROLE_LABELS: Readonly<Record<StaffRole, string>> = Object.freeze({
  administrator: 'Administrator',
  monitoring_officer: 'Monitoring officer',
  deputy_monitoring_officer: 'Deputy monitoring officer',
  investigator: 'Investigator',
  s151_officer: 'Section 151 officer (chief finance officer) or internal audit',
  safeguarding_lead: 'Safeguarding lead',
  head_of_paid_service: 'Head of paid service (chief executive)',
  audit_committee_chair: 'Chair of the audit committee',
});

/** Roles in words within a sentence: "section 151 officer (…), investigator"; an unknown code as itself. */
export function rolesInWords(roles: readonly unknown[]): string {
  return roles.map((r) => STAFF_ROLE_LABELS[r as StaffRole]?.toLowerCase() ?? String(r)).join(', ');
}

/**
 * Roles that handle cases. Administrators configure the tenant and never read a report; the chair of the
 * audit committee is only ever told that something exists, so neither is here.
 */
export const HANDLER_ROLES: readonly StaffRole[] = Object.freeze(
  STAFF_ROLES.filter((role) => role !== 'administrator' && role !== 'audit_committee_chair'),
);

/**
 * The statutory officers a reporter can say the concern involves, on the intake question "Does this
 * involve any of these people?". Naming one triggers the conflict routes in routing.ts.
 */
export const ROLE_HOLDER_ROLES: readonly StaffRole[] = Object.freeze([
  'monitoring_officer',
  'deputy_monitoring_officer',
  'head_of_paid_service',
  's151_officer',
  'safeguarding_lead',
  'audit_committee_chair',
] as const);

/**
 * Roles that can oversee a case and decide its outcome: the monitoring officer, the deputy when the
 * monitoring officer is absent or conflicted, and the head of paid service and section 151 officer who
 * take over when the concern is about the monitoring officer (docs/regulatory.md §3 and §4, stage 5).
 */
export const OVERSIGHT_ROLES: readonly StaffRole[] = Object.freeze([
  'monitoring_officer',
  'deputy_monitoring_officer',
  'head_of_paid_service',
  's151_officer',
] as const);

/** True when `value` is one of the staff roles (for checking untrusted input). */
export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}
