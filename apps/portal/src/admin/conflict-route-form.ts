/**
 * The conflict routes pages' shaping: which roles each part of a route may name, reading one route from
 * its form (the leads, in order, from one select per place; the other three parts from checkboxes), the
 * whole set to send (null when it is the defaults again, so the council is back on them rather than on a
 * copy of them), the API's messages placed on the route's fields, and the preview in sentences.
 * libs/domain's validateConflictRoutes (behind PUT /admin/conflict-routes) has the final word on a route.
 */
import {
  HANDLER_ROLES,
  OVERSIGHT_ROLES,
  REQUIRED_CONFLICT_ROUTES,
  STAFF_ROLES,
  type StaffRole,
} from '@nolan/domain';
import type { ConflictRoute, ConflictRouteSet, RoutedPerson, RoutingPreviewEntry } from '../api/admin-api';
import type { FormErrors } from '../staff/form-errors';
import { checkedValues, type Form, placeMessages, roleLabel } from './admin-forms';

/** A concern may be about any role but administrator (administrators never receive a case). */
export const ROUTE_SUBJECTS: readonly StaffRole[] = STAFF_ROLES.filter((role) => role !== 'administrator');

/** One select per place in the order of leads: as many places as there are roles that can oversee. */
export const LEAD_PLACES = OVERSIGHT_ROLES.length;

export const ROUTE_PARTS = ['owners', 'notify', 'excludedWithSubject'] as const;
export type RoutePart = (typeof ROUTE_PARTS)[number];

export function isRouteSubject(value: string): value is StaffRole {
  return (ROUTE_SUBJECTS as readonly string[]).includes(value);
}

/** A route for this subject may be removed (the statutory officers' routes may only be changed). */
export function isRemovable(subject: string): boolean {
  return !(REQUIRED_CONFLICT_ROUTES as readonly string[]).includes(subject);
}

/** The roles each part of a route about `subject` may name: never the subject itself, never an administrator. */
export function routeChoices(subject: string): { leads: StaffRole[] } & Record<RoutePart, StaffRole[]> {
  const others = ROUTE_SUBJECTS.filter((role) => role !== subject);
  return {
    leads: OVERSIGHT_ROLES.filter((role) => role !== subject),
    owners: HANDLER_ROLES.filter((role) => role !== subject),
    notify: others,
    excludedWithSubject: others,
  };
}

/** What the route form shows: the role chosen in each place of the leads ('' for none), and the ticked boxes. */
export interface RouteFormValues {
  leads: string[];
  owners: string[];
  notify: string[];
  excludedWithSubject: string[];
}

export function routeFormValues(route: ConflictRoute | undefined): RouteFormValues {
  return {
    leads: Array.from({ length: LEAD_PLACES }, (_, i) => route?.leads[i] ?? ''),
    owners: [...(route?.owners ?? [])],
    notify: [...(route?.notify ?? [])],
    excludedWithSubject: [...(route?.excludedWithSubject ?? [])],
  };
}

export const leadId = (place: number) => `lead-${place}`;

/**
 * One route from its form. Our own checks are the ones a person can make a mistake with here: no lead,
 * the same lead twice; a role that is not offered (only a forged form sends one) is refused too.
 */
export function routeFromForm(
  form: Form,
  subject: string,
): { route: ConflictRoute; values: RouteFormValues; problems: { id: string; text: string }[] } {
  const choices = routeChoices(subject);
  const problems: { id: string; text: string }[] = [];
  const leads: string[] = [];
  const chosen: string[] = [];
  for (let place = 1; place <= LEAD_PLACES; place++) {
    const raw = form[leadId(place)];
    const value = typeof raw === 'string' ? raw.trim() : '';
    chosen.push(value);
    if (!value) continue;
    if (!(choices.leads as readonly string[]).includes(value))
      problems.push({ id: leadId(place), text: 'Choose a lead from the list' });
    else if (leads.includes(value))
      problems.push({
        id: leadId(place),
        text: `${roleLabel(value)} is already a lead: choose each role once`,
      });
    else leads.push(value);
  }
  if (!chosen.some(Boolean))
    problems.unshift({ id: leadId(1), text: 'Choose at least one lead, who oversees the case instead' });
  const lists = {} as Record<RoutePart, string[]>;
  for (const part of ROUTE_PARTS) {
    const { values, unknown } = checkedValues(form, part, choices[part]);
    lists[part] = values;
    if (unknown.length) problems.push({ id: part, text: 'Choose from the roles listed' });
  }
  return {
    route: { leads, ...lists },
    values: { leads: chosen, ...lists },
    problems,
  };
}

/** The set with `subject`'s route replaced (or removed, for null), in the order of STAFF_ROLES. */
export function withRoute(
  routes: ConflictRouteSet,
  subject: string,
  route: ConflictRoute | null,
): ConflictRouteSet {
  const next: ConflictRouteSet = {};
  for (const role of STAFF_ROLES) {
    const current = role === subject ? route : routes[role];
    if (current) next[role] = current;
  }
  return next;
}

/** What to send: null when the set is the defaults exactly (the council is then back on the defaults). */
export function routesToSend(routes: ConflictRouteSet, defaults: ConflictRouteSet): ConflictRouteSet | null {
  return sameRoutes(routes, defaults) ? null : routes;
}

export function sameRoutes(a: ConflictRouteSet, b: ConflictRouteSet): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(
    (key) => b[key] !== undefined && sameRoute(a[key] as ConflictRoute, b[key] as ConflictRoute),
  );
}

export function sameRoute(a: ConflictRoute | undefined, b: ConflictRoute | undefined): boolean {
  if (!a || !b) return a === b;
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  const setLike = (x: readonly string[], y: readonly string[]) => same([...x].sort(), [...y].sort());
  // The order of leads is a preference; the other parts are sets.
  return same(a.leads, b.leads) && ROUTE_PARTS.every((part) => setLike(a[part], b[part]));
}

/** The API's messages on the route form: `routes.<subject>.<part>` goes to that part. */
export function routeErrors(
  messages: readonly string[],
  subject: string,
  extra: { id: string; text: string }[] = [],
): FormErrors {
  const at = `routes.${subject}`;
  const placed = placeMessages(
    messages.map((m) =>
      m.replace(
        'the deputyIndependent setting',
        'the answer to “Is the deputy monitoring officer independent?” on the conflict routes page',
      ),
    ),
    [
      {
        id: leadId(1),
        paths: [
          { path: `${at}.leads`, label: 'Leads' },
          { path: at, label: 'This route' },
        ],
      },
      { id: 'owners', paths: [{ path: `${at}.owners`, label: 'Owners' }] },
      { id: 'notify', paths: [{ path: `${at}.notify`, label: 'Notify' }] },
      {
        id: 'excludedWithSubject',
        paths: [{ path: `${at}.excludedWithSubject`, label: 'Excluded with them' }],
      },
    ],
    leadId(1),
  );
  if (!extra.length) return placed;
  const fields = { ...placed.fields };
  for (const { id, text } of extra) fields[id] ??= { text };
  return { summary: [...extra.map(({ id, text }) => ({ text, href: `#${id}` })), ...placed.summary], fields };
}

function lower(role: string): string {
  const label = roleLabel(role);
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** "Head of paid service (chief executive), then section 151 officer (…)" — leads in their order. */
export function describeRoles(roles: readonly string[], joiner: 'then' | 'and', empty = 'Nobody'): string {
  if (!roles.length) return empty;
  const words = roles.map((role, i) => (i === 0 ? roleLabel(role) : lower(role)));
  if (words.length === 1) return words[0] as string;
  return joiner === 'then' ? words.join(', then ') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** A person and the role they receive the case in, the role without its parenthesis: "Hana (head of paid service)". */
function person(p: RoutedPerson): string {
  return `${p.name} (${lower(p.role).replace(/\s*\([^)]*\)/g, '')})`;
}

function people(list: readonly RoutedPerson[]): string {
  const names = list.map(person);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The preview in sentences: "A concern about the monitoring officer reaches …". */
export function previewSentence(entry: RoutingPreviewEntry): {
  subject: string;
  text: string;
  routed: boolean;
} {
  const subject = `A concern about the ${lower(entry.subject)}`;
  if (entry.kind !== 'routed' || !entry.overseer)
    return {
      subject,
      routed: false,
      text: `${subject} cannot be routed inside the council: ${entry.reason ?? 'nobody is free to oversee it.'}`,
    };
  const parts = [`${subject} reaches ${person(entry.overseer)}, who oversees it`];
  const handlers = (entry.owners ?? []).filter((o) => o.id !== entry.overseer?.id);
  if (handlers.length) parts.push(`handled with ${people(handlers)}`);
  if (entry.notify?.length)
    parts.push(`${people(entry.notify)} ${entry.notify.length === 1 ? 'is' : 'are'} told`);
  return { subject, routed: true, text: `${parts.join('; ')}.` };
}
