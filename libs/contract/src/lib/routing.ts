/**
 * Who holds each role and where a concern about a statutory officer goes, for administrators
 * (GET /admin/role-holders, GET/PUT /admin/conflict-routes; docs/regulatory.md §3).
 */

export interface RoleHolderPerson {
  id: string;
  name: string;
  email: string;
}

export interface RoleHoldersEntry {
  role: string;
  label: string;
  /** Active holders. */
  holders: RoleHolderPerson[];
  /** Deactivated holders, never routed to. */
  deactivatedHolders: RoleHolderPerson[];
  /** Set when nobody active holds the role. */
  warning: string | null;
}

export interface RoleHolders {
  roles: RoleHoldersEntry[];
  /** Every problem, the empty roles first. */
  warnings: string[];
}

/** What happens when a concern involves the holder of one role. */
export interface ConflictRoute {
  /** Who oversees instead, in order of preference. */
  leads: string[];
  owners: string[];
  notify: string[];
  excludedWithSubject: string[];
}

/** Conflict routes keyed by the role the concern is about. */
export type ConflictRouteSet = Record<string, ConflictRoute>;

export type RoutedPerson = RoleHolderPerson & { role: string };

/** Who would receive a concern about one role today, with the current staff. */
export interface RoutingPreviewEntry {
  /** A concern about the holder of this role… */
  subject: string;
  kind: 'routed' | 'no_eligible_recipient';
  /** …is overseen by */
  overseer?: RoutedPerson;
  /** …handled by */
  owners?: RoutedPerson[];
  /** …and these people are told. */
  notify?: RoutedPerson[];
  /** Why it cannot be routed inside the council. */
  reason?: string;
}

export interface ConflictRoutesView {
  deputyIndependent: boolean;
  /** False while the council uses the defaults. */
  customised: boolean;
  routes: ConflictRouteSet;
  defaults: ConflictRouteSet;
  updatedAt: string | null;
  updatedBy: string | null;
  preview: RoutingPreviewEntry[];
  /** After a change: what it does to existing cases. */
  notice?: string[];
}

/** PUT /admin/conflict-routes; `routes` null restores the defaults. */
export interface ConflictRoutesChange {
  deputyIndependent: boolean;
  routes: ConflictRouteSet | null;
}
