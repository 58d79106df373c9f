// Who receives a new case: the category's default route, minus everyone the concern involves and everyone
// who has recused themselves, with the conflict routes taking over when a statutory officer is involved
// (docs/architecture.md "Routing"; docs/regulatory.md §3). The API applies this at intake and
// encrypts the report straight to the people it returns, so a mistake here is a disclosure: the one rule
// that must always hold is that an excluded person is never returned, in any list.
//
// Routes speak in roles; the tenant's role holders turn them into people. The monitoring officer's place
// on any route is taken by the case's overseer, who is the monitoring officer unless conflicted, recused
// or absent, and otherwise the lead of the conflict route (then the deputy, head of paid service and
// section 151 officer, in that order, as far as each is free of the conflict), and when every one of
// them is involved, recused or absent, the holder of the role the council designates as its fallback
// overseer (issue #15: a case is never left without an independent overseer while one is free).
//
// Which holder of a role oversees is chosen by people, never by sort order (issue #15): the role's
// designated lead holder, confirmed in Nolan by an oversight role. A role with one free holder needs no
// lead. Several free holders and no free lead is ambiguous: the one confirmed in the role first is taken
// and the decision carries a warning, so the choice is never silent and an account made later (by an
// administrator, say) can never jump the queue by its id.

import { getCategory, type CategoryId } from './categories';
import { HANDLER_ROLES, isStaffRole, OVERSIGHT_ROLES, STAFF_ROLES, type StaffRole } from './roles';

/** What happens when the concern involves the holder of one role. */
export interface ConflictRoute {
  /** Who oversees the case instead, in order of preference: the first role with a free holder leads. */
  readonly leads: readonly StaffRole[];
  /** Roles that also handle the case. */
  readonly owners: readonly StaffRole[];
  /** Roles that must be told the case exists. */
  readonly notify: readonly StaffRole[];
  /**
   * Roles excluded along with the subject because they answer to them. The deputy monitoring officer is
   * dropped from this list when the tenant marks the deputy independent of the monitoring officer.
   */
  readonly excludedWithSubject: readonly StaffRole[];
}

/** Conflict routes keyed by the role the concern involves. A role without a route is simply excluded. */
export type ConflictRoutes = Readonly<Partial<Record<StaffRole, ConflictRoute>>>;

/**
 * The defaults from docs/regulatory.md §3, to be edited per tenant to match its constitution:
 * - about the monitoring officer: the head of paid service, with the section 151 officer as alternate;
 *   the deputy only if independent of the monitoring officer, otherwise excluded too;
 * - about the head of paid service: the monitoring officer with the section 151 officer, and the chair
 *   of the audit committee told;
 * - about the section 151 officer: the monitoring officer and the head of paid service.
 */
export const DEFAULT_CONFLICT_ROUTES: ConflictRoutes = Object.freeze({
  monitoring_officer: frozenRoute({
    leads: ['head_of_paid_service', 's151_officer'],
    owners: ['deputy_monitoring_officer'],
    notify: [],
    excludedWithSubject: ['deputy_monitoring_officer'],
  }),
  head_of_paid_service: frozenRoute({
    leads: ['monitoring_officer'],
    owners: ['s151_officer'],
    notify: ['audit_committee_chair'],
    excludedWithSubject: [],
  }),
  s151_officer: frozenRoute({
    leads: ['monitoring_officer'],
    owners: ['head_of_paid_service'],
    notify: [],
    excludedWithSubject: [],
  }),
});

export interface RoleHolder {
  readonly userId: string;
  readonly roles: readonly StaffRole[];
}

export interface RoutingInput {
  readonly category: CategoryId;
  /** Roles the reporter says the concern involves ("Does this involve any of these people?"). */
  readonly involvedRoles: readonly StaffRole[];
  /** People the concern involves, by user id. */
  readonly involvedUserIds: readonly string[];
  /** People who have declared a conflict. */
  readonly recusedUserIds: readonly string[];
  /** The tenant's role holders; a user listed twice holds the roles of both entries. */
  readonly roleHolders: readonly RoleHolder[];
  /** The tenant's conflict routes, replacing DEFAULT_CONFLICT_ROUTES as a whole. */
  readonly conflictRoutes?: ConflictRoutes;
  /** Whether the deputy monitoring officer is independent of the monitoring officer. Default false. */
  readonly deputyIndependent?: boolean;
  /**
   * People who hold roles but may not receive cases (a deactivated account). Their roles still say who a
   * concern naming them by id is about, so the conflict routes still apply; they are never returned.
   */
  readonly unavailableUserIds?: readonly string[];
  /** The designated lead holder of each role (a user id), chosen by the people who confirm roles. */
  readonly leads?: Readonly<Partial<Record<StaffRole, string>>>;
  /**
   * When each holder's roles were confirmed (ISO 8601, by user id): only a tie-break when a role has
   * several free holders and no free lead, and then with a warning.
   */
  readonly confirmedAt?: Readonly<Record<string, string>>;
  /**
   * The role the council designates to oversee a case when every oversight role is involved, recused or
   * absent (for example the chair of the audit committee, or an independent person given that role):
   * a case is never left without an independent overseer while one of its holders is free (issue #15).
   */
  readonly fallbackOverseerRole?: StaffRole;
}

export interface Recipient {
  readonly userId: string;
  /** The role they receive the case in. */
  readonly role: StaffRole;
  /** Why they receive it, in a sentence, for the audit trail and the routing page. */
  readonly reason: string;
}

export type RoutingDecision =
  | {
      readonly kind: 'routed';
      /** Who handles the case (at least one), each person once. */
      readonly owners: readonly Recipient[];
      /** Who is told the case exists, each person once and never also an owner. */
      readonly notify: readonly Recipient[];
      /** Who decides and receives escalations; always among the owners or the notified. */
      readonly overseer: Recipient;
      /** The involved roles whose conflict routes were applied, in STAFF_ROLES order. */
      readonly appliedConflictRoutes: readonly StaffRole[];
      /** Choices routing had to make that people should make instead (no designated lead, say). */
      readonly warnings: readonly string[];
    }
  | { readonly kind: 'no_eligible_recipient'; readonly reason: string };

/**
 * Routes a new case. Never returns, in owners, notify or overseer, anyone who holds an involved role (or
 * a role excluded with it), is involved by user id or has recused themselves: a person holding several
 * roles is excluded if any of their roles is. When no one who could oversee the case is left, says so
 * with `no_eligible_recipient` rather than routing it to someone conflicted; before that, a free holder
 * of the council's fallback overseer role (`fallbackOverseerRole`) oversees it, with a warning.
 * The result does not depend on the order of any input list.
 * @throws RangeError for an unknown category.
 */
export function routeCase(input: RoutingInput): RoutingDecision {
  const category = getCategory(input.category);
  const routes = input.conflictRoutes ?? DEFAULT_CONFLICT_ROUTES;

  const rolesByUser = new Map<string, Set<StaffRole>>();
  for (const holder of input.roleHolders) {
    const roles = rolesByUser.get(holder.userId) ?? new Set<StaffRole>();
    for (const role of holder.roles) roles.add(role);
    rolesByUser.set(holder.userId, roles);
  }
  const userIds = [...rolesByUser.keys()].sort();
  const involvedUsers = new Set(input.involvedUserIds);
  const recused = new Set(input.recusedUserIds);
  const unavailable = new Set(input.unavailableUserIds ?? []);

  // The roles the concern is about: those named, and every role of each person named.
  const subjectRoles = new Set<StaffRole>(input.involvedRoles);
  for (const userId of involvedUsers)
    for (const role of rolesByUser.get(userId) ?? []) subjectRoles.add(role);
  const applied = STAFF_ROLES.filter((role) => subjectRoles.has(role) && routes[role] !== undefined).map(
    (subject) => ({ subject, route: routes[subject] as ConflictRoute }),
  );

  const excludedRoles = new Set<StaffRole>(input.involvedRoles);
  for (const { route } of applied) {
    for (const role of route.excludedWithSubject) {
      if (!(role === 'deputy_monitoring_officer' && input.deputyIndependent === true))
        excludedRoles.add(role);
    }
  }
  const isExcluded = (userId: string): boolean =>
    involvedUsers.has(userId) ||
    recused.has(userId) ||
    unavailable.has(userId) ||
    [...(rolesByUser.get(userId) ?? [])].some((role) => excludedRoles.has(role));
  const eligibleHolders = (role: StaffRole): string[] =>
    userIds.filter((userId) => rolesByUser.get(userId)?.has(role) === true && !isExcluded(userId));

  const chain = unique([
    ...applied.flatMap(({ route }) => route.leads.filter(isHandlerRole)),
    ...OVERSIGHT_ROLES,
  ]);
  const warnings: string[] = [];
  const leadOf = (role: StaffRole): string => {
    const eligible = eligibleHolders(role);
    const lead = input.leads?.[role];
    if (lead !== undefined && eligible.includes(lead)) return lead;
    if (eligible.length === 1) return eligible[0] as string;
    const since = (userId: string): string => input.confirmedAt?.[userId] ?? '\uffff';
    const [first] = [...eligible].sort((a, b) =>
      since(a) < since(b) ? -1 : since(a) > since(b) ? 1 : a < b ? -1 : a > b ? 1 : 0,
    );
    warnings.push(
      `${eligible.length} people hold the ${roleName(role)} role and none of them is its designated lead ` +
        'free to act, so the case went to the one confirmed in the role first: the monitoring officer ' +
        'should designate a lead holder.',
    );
    return first as string;
  };
  const fallback =
    input.fallbackOverseerRole !== undefined && input.fallbackOverseerRole !== 'administrator'
      ? input.fallbackOverseerRole
      : undefined;
  const overseerRole =
    chain.find((role) => eligibleHolders(role).length > 0) ??
    (fallback !== undefined && eligibleHolders(fallback).length > 0 ? fallback : undefined);
  if (overseerRole === undefined) {
    const fallbackToo =
      fallback !== undefined ? ` and the council's fallback overseer (${roleName(fallback)})` : '';
    return {
      kind: 'no_eligible_recipient',
      reason:
        `No one can oversee this case: the ${andList(chain.map(roleName))}${fallbackToo} are each involved in the ` +
        'concern, recused or not set up. It needs routing outside the council, for example to the ' +
        'external auditor.',
    };
  }
  const asFallback = !chain.includes(overseerRole);
  if (asFallback)
    warnings.push(
      `Every oversight role is involved in the concern, recused or not set up, so the case went to the ` +
        `council's fallback overseer (${roleName(overseerRole)}).`,
    );
  const subjects = orList(applied.map(({ subject }) => roleName(subject)));
  const overseer: Recipient = {
    userId: leadOf(overseerRole),
    role: overseerRole,
    reason: asFallback
      ? `Oversees the case as the council's fallback overseer: every oversight role is involved, recused or not set up.`
      : overseerRole === 'monitoring_officer' && applied.length === 0
        ? 'Oversees every case as the monitoring officer.'
        : applied.some(({ route }) => route.leads.includes(overseerRole))
          ? `Oversees the case because the concern involves the ${subjects}.`
          : `Oversees the case in place of the monitoring officer, who is involved, recused or not set up.`,
  };

  const owners: Recipient[] = [];
  const notify: Recipient[] = [];
  const taken = new Set<string>();
  const add = (list: Recipient[], recipient: Recipient): void => {
    if (taken.has(recipient.userId) || isExcluded(recipient.userId)) return;
    taken.add(recipient.userId);
    list.push(recipient);
  };
  const addRole = (list: Recipient[], role: StaffRole, reason: string): void => {
    if (role === 'monitoring_officer') {
      add(list, overseer.role === 'monitoring_officer' ? { ...overseer, reason } : overseer);
    } else {
      for (const userId of eligibleHolders(role)) add(list, { userId, role, reason });
    }
  };

  for (const role of category.route.owners.filter(isHandlerRole)) {
    addRole(owners, role, `Handles "${category.title}" concerns by default.`);
  }
  for (const { subject, route } of applied) {
    for (const role of route.owners.filter(isHandlerRole)) {
      addRole(owners, role, `Also handles the case because the concern involves the ${roleName(subject)}.`);
    }
  }
  if (owners.length === 0) {
    add(owners, {
      ...overseer,
      reason: `${overseer.reason} Handles it because no default handler is free to.`,
    });
  }
  for (const role of category.route.notify.filter(isNotifiable)) {
    addRole(notify, role, `Told about "${category.title}" concerns by default.`);
  }
  for (const { subject, route } of applied) {
    for (const role of route.notify.filter(isNotifiable)) {
      addRole(notify, role, `Told because the concern involves the ${roleName(subject)}.`);
    }
  }
  add(notify, overseer); // a no-op unless a route left the overseer out

  return {
    kind: 'routed',
    owners,
    notify,
    overseer,
    appliedConflictRoutes: applied.map(({ subject }) => subject),
    warnings,
  };
}

/**
 * The statutory officers docs/regulatory.md §3 gives a conflict route. A tenant may change where these
 * concerns go, to match its constitution, but not drop the route: without one, a concern about the
 * monitoring officer would fall to the next oversight role, the deputy, whoever the deputy answers to.
 */
export const REQUIRED_CONFLICT_ROUTES: readonly StaffRole[] = Object.freeze([
  'monitoring_officer',
  'head_of_paid_service',
  's151_officer',
] as const);

const ROUTE_FIELDS = ['leads', 'owners', 'notify', 'excludedWithSubject'] as const;

export type ConflictRoutesValidation =
  | { readonly ok: true; readonly value: ConflictRoutes }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Checks a tenant's conflict routes (untrusted input, e.g. from the administrators' API) before they are
 * saved, so routeCase only ever runs on routes that make sense. Every problem is reported at once, each
 * a sentence starting with the path it is about (`routes.monitoring_officer.leads: …`). The rules:
 * - keys are the roles a concern may be about (any staff role but administrator, who never gets a case);
 * - each route has exactly the four lists, each of known roles without repeats;
 * - a route never sends a concern to the role it is about (not as lead, owner or told);
 * - it has at least one lead, every lead can oversee a case (OVERSIGHT_ROLES), and at least one lead is
 *   not excluded along with the subject;
 * - owners handle cases (HANDLER_ROLES); administrators are never told;
 * - a role excluded with the subject is not also lead, owner or told — except the deputy monitoring
 *   officer, whom the tenant's deputy-independence setting lets back in;
 * - the monitoring officer's route excludes the deputy (whether the deputy acts anyway is that setting),
 *   and the statutory officers' routes (REQUIRED_CONFLICT_ROUTES) are all present.
 * On success, the routes come back frozen, with only the known fields.
 */
export function validateConflictRoutes(value: unknown): ConflictRoutesValidation {
  if (!isPlainObject(value)) {
    return { ok: false, errors: ['routes must be an object keyed by the role the concern is about.'] };
  }
  const errors: string[] = [];
  const routes: Partial<Record<StaffRole, ConflictRoute>> = {};
  for (const [subject, raw] of Object.entries(value)) {
    const at = `routes.${subject}`;
    if (!isStaffRole(subject)) {
      errors.push(`${at}: "${subject}" is not a staff role; roles: ${STAFF_ROLES.join(', ')}.`);
    } else if (subject === 'administrator') {
      errors.push(`${at}: administrators never receive a case, so a concern about one needs no route.`);
    } else {
      const route = checkRoute(subject, raw, at, errors);
      if (route) routes[subject] = route;
    }
  }
  for (const subject of REQUIRED_CONFLICT_ROUTES) {
    if (!Object.hasOwn(value, subject)) {
      errors.push(
        `routes.${subject}: a route is required for a concern about the ${roleName(subject)} ` +
          '(regulatory.md §3); change where it goes rather than removing it.',
      );
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const ordered: Partial<Record<StaffRole, ConflictRoute>> = {};
  for (const role of STAFF_ROLES) if (routes[role]) ordered[role] = routes[role];
  return { ok: true, value: Object.freeze(ordered) };
}

function checkRoute(subject: StaffRole, raw: unknown, at: string, errors: string[]): ConflictRoute | null {
  if (!isPlainObject(raw)) {
    errors.push(`${at} must be an object with ${andList([...ROUTE_FIELDS])}.`);
    return null;
  }
  const before = errors.length;
  for (const field of Object.keys(raw)) {
    if (!(ROUTE_FIELDS as readonly string[]).includes(field))
      errors.push(`${at}.${field} is not a route field; fields: ${ROUTE_FIELDS.join(', ')}.`);
  }
  const lists = {} as Record<(typeof ROUTE_FIELDS)[number], StaffRole[]>;
  for (const field of ROUTE_FIELDS) {
    const list = raw[field];
    lists[field] = [];
    if (!Array.isArray(list)) {
      errors.push(`${at}.${field} must be a list of roles (it may be empty).`);
      continue;
    }
    for (const role of list) {
      if (!isStaffRole(role)) errors.push(`${at}.${field}: "${String(role)}" is not a staff role.`);
      else if (lists[field].includes(role)) errors.push(`${at}.${field}: ${role} is listed twice.`);
      else lists[field].push(role);
    }
  }
  const { leads, owners, notify, excludedWithSubject } = lists;
  const about = roleName(subject);
  for (const field of ['leads', 'owners', 'notify'] as const) {
    if (lists[field].includes(subject))
      errors.push(`${at}.${field}: a concern about the ${about} must never be sent to the ${about}.`);
  }
  if (Array.isArray(raw['leads']) && raw['leads'].length === 0)
    errors.push(`${at}.leads: a route must have a lead, who oversees the case instead.`);
  for (const role of leads.filter((r) => !OVERSIGHT_ROLES.includes(r)))
    errors.push(
      `${at}.leads: ${role} cannot oversee a case; leads must be among ${OVERSIGHT_ROLES.join(', ')}.`,
    );
  for (const role of owners.filter((r) => !isHandlerRole(r)))
    errors.push(
      `${at}.owners: ${role} never handles a case; owners must be among ${HANDLER_ROLES.join(', ')}.`,
    );
  if (notify.includes('administrator'))
    errors.push(`${at}.notify: administrators are never told a case exists.`);
  for (const field of ['leads', 'owners', 'notify'] as const) {
    for (const role of lists[field]) {
      if (role !== subject && role !== 'deputy_monitoring_officer' && excludedWithSubject.includes(role))
        errors.push(
          `${at}.${field}: ${role} is excluded along with the ${about}, so it cannot also be in ${field}.`,
        );
    }
  }
  if (
    leads.length > 0 &&
    leads.every((r) => r === subject || r === 'deputy_monitoring_officer' || excludedWithSubject.includes(r))
  ) {
    errors.push(
      `${at}.leads: at least one lead must be free of the ${about} (not excluded along with them, and ` +
        'not only the deputy monitoring officer, who may act only when marked independent).',
    );
  }
  if (subject === 'monitoring_officer' && !excludedWithSubject.includes('deputy_monitoring_officer'))
    errors.push(
      `${at}.excludedWithSubject must include deputy_monitoring_officer: whether the deputy may act on a ` +
        'concern about the monitoring officer is the deputyIndependent setting.',
    );
  if (errors.length > before) return null;
  return frozenRoute({ leads, owners, notify, excludedWithSubject });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function frozenRoute(route: ConflictRoute): ConflictRoute {
  return Object.freeze({
    leads: Object.freeze([...route.leads]),
    owners: Object.freeze([...route.owners]),
    notify: Object.freeze([...route.notify]),
    excludedWithSubject: Object.freeze([...route.excludedWithSubject]),
  });
}

function isHandlerRole(role: StaffRole): boolean {
  return HANDLER_ROLES.includes(role);
}

/** Administrators never hear of a case, not even that it exists. */
function isNotifiable(role: StaffRole): boolean {
  return role !== 'administrator';
}

/** Role names for use inside a sentence, shorter than the labels. */
const SENTENCE_NAMES: Readonly<Record<StaffRole, string>> = {
  administrator: 'administrator',
  monitoring_officer: 'monitoring officer',
  deputy_monitoring_officer: 'deputy monitoring officer',
  investigator: 'investigator',
  s151_officer: 'section 151 officer',
  safeguarding_lead: 'safeguarding lead',
  head_of_paid_service: 'head of paid service',
  audit_committee_chair: 'chair of the audit committee',
};

function roleName(role: StaffRole): string {
  return SENTENCE_NAMES[role];
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function joinList(values: readonly string[], conjunction: 'and' | 'or'): string {
  return values.length <= 1
    ? (values[0] ?? '')
    : `${values.slice(0, -1).join(', ')} ${conjunction} ${values[values.length - 1]}`;
}

function orList(values: readonly string[]): string {
  return joinList(values, 'or');
}

function andList(values: readonly string[]): string {
  return joinList(values, 'and');
}
