/**
 * The users pages' shaping: the list's filters from the query string (anything that is not a filter is
 * dropped, never passed on), the new-user and roles forms, the roles as checkboxes, and where the API's
 * messages go. The API (CreateUserDto, UpdateUserDto, whyNotRoles) checks everything again.
 */
import { STAFF_ROLE_LABELS, STAFF_ROLES } from '@nolan/domain';
import type { NewUser } from '../api/admin-api';
import type { FormErrors } from '../staff/form-errors';
import { checkedValues, type Form, placeMessages, textField } from './admin-forms';

export const USERS_PAGE_SIZE = 25;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface UserFilters {
  role?: string;
  /** 'yes': active accounts only; 'no': deactivated only. */
  active?: 'yes' | 'no';
  page: number;
}

export function parseUserFilters(query: Record<string, unknown>): UserFilters {
  const one = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const role = one(query.role);
  const active = one(query.active);
  const page = Number.parseInt(one(query.page), 10);
  return {
    role: (STAFF_ROLES as readonly string[]).includes(role) ? role : undefined,
    active: active === 'yes' || active === 'no' ? active : undefined,
    page: Number.isSafeInteger(page) && page > 0 && page < 10_000 ? page : 1,
  };
}

export function userFiltersQuery(filters: Partial<UserFilters>): string {
  const params = new URLSearchParams();
  if (filters.role) params.set('role', filters.role);
  if (filters.active) params.set('active', filters.active);
  if (filters.page && filters.page > 1) params.set('page', String(filters.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** GOV.UK pagination for the list, or null on one page. */
export function userPagination(filters: UserFilters, total: number) {
  const pages = Math.ceil(total / USERS_PAGE_SIZE);
  if (pages <= 1) return null;
  const href = (page: number) => `/staff/admin/users${userFiltersQuery({ ...filters, page })}`;
  return {
    previous: filters.page > 1 ? { href: href(filters.page - 1) } : undefined,
    next: filters.page < pages ? { href: href(filters.page + 1) } : undefined,
    items: Array.from({ length: pages }, (_, i) => ({
      number: i + 1,
      href: href(i + 1),
      current: i + 1 === filters.page,
    })),
  };
}

const ROLE_HINTS: Record<string, string> = {
  administrator: 'Manages accounts and settings and never reads a case, so give it an account of its own',
  audit_committee_chair: 'Only told that a case exists; never reads one',
};

/** The roles as GOV.UK checkbox items, in the domain's order, with the ones given ticked. */
export function roleItems(checked: readonly string[]) {
  return STAFF_ROLES.map((role) => ({
    value: role,
    text: STAFF_ROLE_LABELS[role],
    hint: ROLE_HINTS[role] ? { text: ROLE_HINTS[role] } : undefined,
    checked: checked.includes(role),
  }));
}

/** The roles ticked on a form, with a problem when none is (or a forged value is sent). */
export function rolesFromForm(
  form: Form,
  none: string,
): { roles: string[]; problems: { id: string; text: string }[] } {
  const { values, unknown } = checkedValues(form, 'roles', STAFF_ROLES);
  const problems: { id: string; text: string }[] = [];
  if (unknown.length) problems.push({ id: 'roles', text: 'Choose from the roles listed' });
  else if (!values.length) problems.push({ id: 'roles', text: none });
  return { roles: values, problems };
}

export function newUserFromForm(form: Form): { user: NewUser; problems: { id: string; text: string }[] } {
  const name = textField(form, 'name');
  const email = textField(form, 'email');
  const problems: { id: string; text: string }[] = [];
  if (!name) problems.push({ id: 'name', text: 'Enter the person’s full name' });
  else if (name.length > 200) problems.push({ id: 'name', text: 'The name must be 200 characters or fewer' });
  if (!email) problems.push({ id: 'email', text: 'Enter their work email address' });
  else if (!EMAIL.test(email) || email.length > 254)
    problems.push({
      id: 'email',
      text: 'Enter an email address in the correct format, like name@example.org',
    });
  const roles = rolesFromForm(form, 'Select at least one role');
  return { user: { name, email, roles: roles.roles }, problems: [...problems, ...roles.problems] };
}

/** The API's messages on a user form: "email must …", "roles: …", "name must …". */
export function userErrors(messages: readonly string[]): FormErrors {
  return placeMessages(
    messages,
    [
      { id: 'name', paths: [{ path: 'name', label: 'Name' }] },
      { id: 'email', paths: [{ path: 'email', label: 'Email address' }] },
      { id: 'roles', paths: [{ path: 'roles', label: 'Roles' }] },
    ],
    'roles',
  );
}
