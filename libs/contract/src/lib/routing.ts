/**
 * Who holds each role and where a concern about a statutory officer goes, for administrators
 * (GET /admin/role-holders, GET/PUT /admin/conflict-routes; docs/regulatory.md §3).
 */

export interface RoleHolderPerson {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export interface RoleHoldersEntry {
  readonly role: string;
  readonly label: string;
  /** Active holders. */
  readonly holders: readonly RoleHolderPerson[];
  /** Deactivated holders, never routed to. */
  readonly deactivatedHolders: readonly RoleHolderPerson[];
  /** Set when nobody active holds the role. */
  readonly warning: string | null;
}

export interface RoleHolders {
  readonly roles: readonly RoleHoldersEntry[];
  /** Every problem, the empty roles first. */
  readonly warnings: readonly string[];
}

/** What happens when a concern involves the holder of one role. */
export interface ConflictRoute {
  /** Who oversees instead, in order of preference. */
  readonly leads: readonly string[];
  readonly owners: readonly string[];
  readonly notify: readonly string[];
  readonly excludedWithSubject: readonly string[];
}

/** Conflict routes keyed by the role the concern is about. */
export type ConflictRouteSet = Readonly<Record<string, ConflictRoute>>;

export type RoutedPerson = RoleHolderPerson & { readonly role: string };

/** Who would receive a concern about one role today, with the current staff. */
export interface RoutingPreviewEntry {
  /** A concern about the holder of this role… */
  readonly subject: string;
  readonly kind: 'routed' | 'no_eligible_recipient';
  /** …is overseen by */
  readonly overseer?: RoutedPerson;
  /** …handled by */
  readonly owners?: readonly RoutedPerson[];
  /** …and these people are told. */
  readonly notify?: readonly RoutedPerson[];
  /** Why it cannot be routed inside the council. */
  readonly reason?: string;
}

export interface ConflictRoutesView {
  readonly deputyIndependent: boolean;
  /** False while the council uses the defaults. */
  readonly customised: boolean;
  readonly routes: ConflictRouteSet;
  readonly defaults: ConflictRouteSet;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
  readonly preview: readonly RoutingPreviewEntry[];
  /** After a change: what it does to existing cases. */
  readonly notice?: readonly string[];
}

/** PUT /admin/conflict-routes; `routes` null restores the defaults. */
export interface ConflictRoutesChange {
  readonly deputyIndependent: boolean;
  readonly routes: ConflictRouteSet | null;
}
