/**
 * Confirming roles (issue #15, path 1: "an administrator can read reports"). An administrator who gives
 * an account a handler or oversight role only asks (AdminUsersService puts it in pending_roles); the role
 * takes effect when an oversight role other than the administrator confirms it here, in Nolan: the
 * monitoring officer, or the head of paid service for a change concerning the monitoring officer's post
 * (libs/domain role-confirmation.ts decides who). Until then the account receives nothing: routing, the
 * door and sessions read only the roles in force. The confirmer also chooses each role's lead holder, the
 * person routing gives the role's cases to first, so that choice is made by people and never by sort order.
 * Every decision is audited and listed in GET /oversight/changes.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RoleRequest, RoleRequestList } from '@nolan/contract';
import {
  confirmerRole,
  mayConfirm,
  OVERSIGHT_ROLES,
  type RoleChange,
  rolesInWords,
  type StaffRole,
  STAFF_ROLE_LABELS,
} from '@nolan/domain';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { leadWarnings } from '../admin/admin-routing.service';
import { AuditService } from '../audit/audit.service';
import { SessionStore, type StaffSession } from '../auth/session-store';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { StaffUserEntity } from '../staff/staff-user.entity';

const NO_SUCH_REQUEST = 'There is no role request for this account.';

@Injectable()
export class RoleConfirmationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionStore,
  ) {}

  /** Every account with roles awaiting confirmation, for the oversight roles (403 for anyone else). */
  async list(session: StaffSession): Promise<RoleRequestList> {
    requireOversight(session);
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const staff = await m
        .getRepository(StaffUserEntity)
        .find({ order: { displayName: 'ASC', email: 'ASC' } });
      const names = new Map(staff.map((u) => [u.id, u.displayName]));
      const items = staff
        .filter((u) => u.pendingRoles.length > 0)
        .map((u): RoleRequest => {
          const change = changeOf(u);
          const needed = confirmerRole(change);
          return {
            userId: u.id,
            name: u.displayName,
            email: u.email,
            roles: [...u.roles],
            requested: [...u.pendingRoles],
            requestedBy: (u.pendingRequestedBy && names.get(u.pendingRequestedBy)) || 'an administrator',
            requestedAt: u.pendingRequestedAt?.toISOString() ?? null,
            ownPassword: u.passwordChangedAt !== null && !u.passwordMustChange,
            twoFactorEnrolled: u.totpEnrolledAt !== null,
            youMayDecide: mayConfirm(actorOf(session), change).ok,
            whoDecides: STAFF_ROLE_LABELS[needed],
          };
        });
      return { items, warnings: leadWarnings(staff) };
    });
  }

  /**
   * Confirms or refuses every role awaiting confirmation on one account, as one request: never a part of
   * it, and (given `roles`) only as the decider saw it.
   */
  async decide(
    session: StaffSession,
    userId: string,
    body: { decision: 'confirm' | 'refuse'; lead?: boolean; roles?: string[] },
  ): Promise<{ userId: string; roles: StaffRole[]; leadOf: StaffRole[] }> {
    requireOversight(session);
    const result = await inTenant(this.dataSource, session.tenantId, async (m) => {
      const user = await lockUser(m, userId);
      if (!user || user.pendingRoles.length === 0) throw new AppError('NOT_FOUND', NO_SUCH_REQUEST);
      const verdict = mayConfirm(actorOf(session), changeOf(user));
      if (!verdict.ok) throw new AppError('FORBIDDEN', verdict.reason);
      const pending = [...user.pendingRoles];
      // All or nothing: the request is decided as the decider saw it, or not at all.
      if (body.roles && !sameRoles(body.roles, pending))
        throw new AppError(
          'CONFLICT',
          `This request has changed since you saw it: it now asks for ${rolesInWords(pending as StaffRole[])}. Nothing was decided; look at it again.`,
        );
      const actor = { type: 'staff' as const, id: session.userId };
      if (body.decision === 'refuse') {
        await m
          .getRepository(StaffUserEntity)
          .update({ id: user.id }, { pendingRoles: [], pendingRequestedBy: null, pendingRequestedAt: null });
        await this.audit.append(m, {
          actor,
          action: 'config.changed',
          details: { setting: 'staff_user.roles_refused', userId: user.id, roles: pending },
        });
        return { userId: user.id, roles: [...user.roles], leadOf: [...user.leadRoles] };
      }
      const roles = [...new Set([...user.roles, ...pending])];
      const leadOf = body.lead ? [...new Set([...user.leadRoles, ...pending])] : [...user.leadRoles];
      if (body.lead) for (const role of pending) await this.clearLead(m, role, user.id);
      await m.getRepository(StaffUserEntity).update(
        { id: user.id },
        {
          roles,
          leadRoles: leadOf,
          pendingRoles: [],
          pendingRequestedBy: null,
          pendingRequestedAt: null,
          rolesConfirmedAt: new Date(),
        },
      );
      await this.audit.append(m, {
        actor,
        action: 'config.changed',
        details: {
          setting: 'staff_user.roles_confirmed',
          userId: user.id,
          roles: pending,
          lead: !!body.lead,
        },
      });
      return { userId: user.id, roles, leadOf };
    });
    // A session carries its roles: the confirmed ones apply from the person's next sign-in.
    await this.sessions.destroyAllFor(userId);
    return result;
  }

  /** Makes one confirmed holder of `role` its designated lead holder (routing gives them its cases first). */
  async designateLead(
    session: StaffSession,
    role: StaffRole,
    userId: string,
  ): Promise<{ role: StaffRole; userId: string }> {
    requireOversight(session);
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const user = await lockUser(m, userId);
      if (!user || user.deactivatedAt !== null || !user.roles.includes(role))
        throw new AppError('NOT_FOUND', `userId: this council has no active ${role} with that id.`);
      const change: RoleChange = { userId: user.id, rolesInForce: user.roles, roles: [role] };
      const verdict = mayConfirm(actorOf(session), change);
      if (!verdict.ok) throw new AppError('FORBIDDEN', verdict.reason);
      await this.clearLead(m, role, user.id);
      if (!user.leadRoles.includes(role))
        await m
          .getRepository(StaffUserEntity)
          .update({ id: user.id }, { leadRoles: [...user.leadRoles, role] });
      await this.audit.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'config.changed',
        details: { setting: 'staff_user.role_lead', userId: user.id, role },
      });
      return { role, userId: user.id };
    });
  }

  private async clearLead(m: EntityManager, role: StaffRole, except: string): Promise<void> {
    await m.query(
      `UPDATE staff_users SET lead_roles = array_remove(lead_roles, $1::text) WHERE $1::text = ANY(lead_roles) AND id <> $2`,
      [role, except],
    );
  }
}

function sameRoles(seen: readonly string[], pending: readonly string[]): boolean {
  const a = new Set(seen);
  return a.size === new Set(pending).size && pending.every((r) => a.has(r));
}

function requireOversight(session: StaffSession): void {
  if (!session.roles.some((r) => OVERSIGHT_ROLES.includes(r as StaffRole)))
    throw new AppError(
      'FORBIDDEN',
      'Only the monitoring officer and the other oversight roles see role requests.',
    );
}

function actorOf(session: StaffSession) {
  return { userId: session.userId, roles: session.roles as StaffRole[] };
}

function changeOf(u: StaffUserEntity): RoleChange {
  return { userId: u.id, rolesInForce: u.roles, roles: u.pendingRoles };
}

function lockUser(m: EntityManager, id: string): Promise<StaffUserEntity | null> {
  return m
    .getRepository(StaffUserEntity)
    .findOne({ where: { id: In([id]) }, lock: { mode: 'pessimistic_write' } });
}
