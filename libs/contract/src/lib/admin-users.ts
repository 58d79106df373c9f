/**
 * Staff accounts, for administrators (GET/POST/PATCH /admin/users…). Nothing here touches a case: an
 * administrator never learns which cases exist (docs/architecture.md "Administrators see no cases").
 */
import type { Page, PageRequest } from './page';

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  /** The roles asked for: those in force and those awaiting confirmation. */
  roles: string[];
  /**
   * Of `roles`, those an oversight role has not yet confirmed (the monitoring officer; the head of paid
   * service for the monitoring officer's own post): until then they give the account nothing.
   */
  awaitingConfirmation: string[];
  /** False once deactivated: cannot sign in, never routed to. */
  active: boolean;
  deactivatedAt: string | null;
  twoFactorEnrolled: boolean;
  /** The fingerprint of the key cases are encrypted to for this person. */
  keyFingerprint: string;
  createdAt: string;
}

export type AdminUserPage = Page<AdminUser>;

export interface AdminUserQuery extends PageRequest {
  role?: string;
  active?: boolean;
}

/** POST /admin/users */
export interface NewUser {
  email: string;
  name: string;
  roles: string[];
}

/** 201 from POST /admin/users */
export interface CreatedUser {
  user: AdminUser;
  /** Shown once, never stored readable. */
  temporaryPassword: string;
  /** What happens next, in sentences. */
  notice: string[];
}

/** PATCH /admin/users/:id */
export interface UserChange {
  roles?: string[];
  active?: boolean;
}

export interface UpdatedUser {
  user: AdminUser;
  /** What the change did and did not do, in sentences. */
  notice: string[];
  /** Routing roles nobody holds now, and other problems. */
  warnings: string[];
}

/** 201 from POST /admin/users/:id/reset-2fa */
export interface TwoFactorReset {
  user: AdminUser;
  notice: string[];
}
