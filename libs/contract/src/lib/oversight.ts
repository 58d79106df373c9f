/**
 * What administrators changed, shown to the oversight roles (GET /oversight/changes;
 * docs/architecture.md "Administrators see no cases").
 */
import type { StaffRole } from '@nolan/domain';
import type { Page } from './page';

export interface SettingsChange {
  at: string;
  /** A staff user's name, or 'an operator' (the command line). */
  by: string;
  /** The setting, as the audit trail names it (staff_user.roles, conflict_routes, retention…). */
  setting: string;
  /** What happened, in a sentence. */
  summary: string;
  userId: string | null;
  /** True when the change can give someone access to concerns (a handler role granted). */
  givesAccessToConcerns: boolean;
}

export type SettingsChangePage = Page<SettingsChange>;

/**
 * Roles an administrator asked for that await confirmation (GET /oversight/role-requests): until an
 * oversight role confirms them in Nolan, the account receives nothing.
 */
export interface RoleRequest {
  userId: string;
  name: string;
  email: string;
  /** Roles in force now. */
  roles: string[];
  /** Roles awaiting confirmation. */
  requested: string[];
  /** Who asked (an administrator's name), and when. */
  requestedBy: string;
  requestedAt: string | null;
  /** The person has chosen their own password (the administrator's temporary one no longer works). */
  ownPassword: boolean;
  twoFactorEnrolled: boolean;
  /** Whether the signed-in user may decide it; if not, `whoDecides` says who does. */
  youMayDecide: boolean;
  whoDecides: string;
}

export interface RoleRequestList {
  items: RoleRequest[];
  /** Roles with several holders and no designated lead, and other choices people should make. */
  warnings: string[];
}

/** POST /oversight/role-requests/:userId */
export interface RoleRequestDecision {
  decision: 'confirm' | 'refuse';
  /** On confirming: make the person the designated lead holder of each role confirmed. */
  lead?: boolean;
  /**
   * The roles the decider saw requested. A request is decided as a whole: if it has changed since (an
   * administrator added or dropped a role), nothing is decided and the answer is 409.
   */
  roles?: string[];
}

/** PUT /oversight/role-leads/:role */
export interface RoleLeadChange {
  userId: string;
}

/** GET /oversight/audit-checkpoint: a signed checkpoint of the council's audit trail, kept outside Nolan. */
export interface AuditCheckpointFile {
  format: 'nolan-audit-checkpoint/1';
  tenant: string;
  tenantId: string;
  seq: number;
  hash: string;
  takenAt: string;
  signature: string;
}

/** The council's fallback overseer and the oversight warning about cases left without an overseer. */
export interface FallbackOverseerView {
  role: StaffRole;
  customised: boolean;
  casesWithoutOverseer: number;
  warning: string | null;
}
