/**
 * Staff accounts, for administrators (GET/POST/PATCH /admin/users…). Nothing here touches a case: an
 * administrator never learns which cases exist (docs/architecture.md "Administrators see no cases").
 */
import type { Page, PageRequest } from './page';

export interface AdminUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** False once deactivated: cannot sign in, never routed to. */
  readonly active: boolean;
  readonly deactivatedAt: string | null;
  readonly twoFactorEnrolled: boolean;
  /** The fingerprint of the key cases are encrypted to for this person. */
  readonly keyFingerprint: string;
  readonly createdAt: string;
}

export type AdminUserPage = Page<AdminUser>;

export interface AdminUserQuery extends PageRequest {
  readonly role?: string;
  readonly active?: boolean;
}

/** POST /admin/users */
export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
}

/** 201 from POST /admin/users */
export interface CreatedUser {
  readonly user: AdminUser;
  /** Shown once, never stored readable. */
  readonly temporaryPassword: string;
  /** What happens next, in sentences. */
  readonly notice: readonly string[];
}

/** PATCH /admin/users/:id */
export interface UserChange {
  readonly roles?: readonly string[];
  readonly active?: boolean;
}

export interface UpdatedUser {
  readonly user: AdminUser;
  /** What the change did and did not do, in sentences. */
  readonly notice: readonly string[];
  /** Routing roles nobody holds now, and other problems. */
  readonly warnings: readonly string[];
}

/** 201 from POST /admin/users/:id/reset-2fa */
export interface TwoFactorReset {
  readonly user: AdminUser;
  readonly notice: readonly string[];
}
