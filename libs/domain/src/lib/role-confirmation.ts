// Who confirms a role that gives access to concerns (issue #15; docs/architecture.md "Administrators see
// no cases"). An administrator can only ask: a role that gives access to concerns takes effect when an
// oversight role other than the administrator confirms it in Nolan. The monitoring officer confirms,
// except for a change that concerns the monitoring officer's own post (giving someone that role, any
// change to the account of a monitoring officer, or choosing the role's lead holder), which the head of
// paid service confirms. Nobody confirms a change to their own account.

import { type StaffRole } from './roles';

/** Roles that give access to concerns, and so take effect only once confirmed. */
export function roleNeedsConfirmation(role: StaffRole): boolean {
  return role !== 'administrator';
}

export interface RoleChange {
  /** The account the change is about, and the roles it holds in force now. */
  readonly userId: string;
  readonly rolesInForce: readonly StaffRole[];
  /** The roles awaiting confirmation, or the role whose lead holder is being chosen. */
  readonly roles: readonly StaffRole[];
}

/** The role that confirms this change. */
export function confirmerRole(change: RoleChange): 'monitoring_officer' | 'head_of_paid_service' {
  const aboutMoPost =
    change.roles.includes('monitoring_officer') || change.rolesInForce.includes('monitoring_officer');
  return aboutMoPost ? 'head_of_paid_service' : 'monitoring_officer';
}

export type ConfirmationVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether someone holding `actorRoles` (in force) may confirm or refuse `change`. */
export function mayConfirm(
  actor: { readonly userId: string; readonly roles: readonly StaffRole[] },
  change: RoleChange,
): ConfirmationVerdict {
  if (actor.userId === change.userId)
    return { ok: false, reason: 'Nobody confirms a change to their own roles.' };
  const needed = confirmerRole(change);
  if (actor.roles.includes('administrator') || !actor.roles.includes(needed))
    return {
      ok: false,
      reason:
        needed === 'head_of_paid_service'
          ? "A change concerning the monitoring officer's post is confirmed by the head of paid service."
          : 'Roles that give access to concerns are confirmed by the monitoring officer.',
    };
  return { ok: true };
}
