/**
 * Staff accounts for the council's administrators (issue #4 "no admin HTTP API for users and roles yet",
 * #8 admin pages). Accounts are made by the same provisioning code as the operator CLI (staff-provisioning:
 * Argon2id password, key pair locked under it), so an account made here is the same as one made there.
 * Every change is audited ('config.changed' with the setting and ids, never names or addresses).
 *
 * What a change does to cases, on purpose:
 * - Roles: an administrator only asks. A role that gives access to concerns (every role but
 *   administrator) takes effect when an oversight role confirms it in Nolan (RoleConfirmationService,
 *   issue #15): until then it waits in pending_roles and the account receives nothing. Taking a role
 *   away, or the administrator role itself, takes effect at once (the person's sessions end, since a
 *   session carries its roles). Existing cases are NOT re-routed: whoever holds a case keeps it until the monitoring officer
 *   transfers it; new cases follow the new roles. Re-routing silently would move cases behind the
 *   monitoring officer's back, and an administrator must not learn which cases exist.
 * - Deactivation: sessions end, sign-in answers as for an unknown address, no new case is routed to the
 *   person and nobody can assign them one. The grants they hold stay (locked under a key only they can
 *   open), so no case is lost; their cases need transferring by the MO. Reactivation gives access back,
 *   so it is confirmed like a new role: every role that gives access to concerns waits in pending_roles
 *   again, and the grants they kept open nothing until an oversight role confirms (the door and the case
 *   list admit only someone holding such a role in force).
 * - Two-factor reset: the next sign-in sets it up again; sessions end.
 * The council always keeps one active administrator, or nobody could undo a mistake here.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rolesInWords, STAFF_ROLES, type StaffRole } from '@nolan/domain';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SessionStore, type StaffSession } from '../auth/session-store';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { inTenant } from '../database/tenant-transaction';
import { MailService } from '../notifications/mail.service';
import { AppError } from '../errors/app-error';
import { createStaffUser, resetTotp } from '../staff/staff-provisioning';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { StaffUsersRepository } from '../staff/staff-users.repository';
import { AdminRoutingService } from './admin-routing.service';
import type {
  AdminUserPage,
  AdminUserView,
  CreatedUserView,
  UpdatedUserView,
} from './dto/admin-responses.dto';

const NO_SUCH_USER = 'There is no such user in this council.';

/** Roles that give access to concerns, and so wait for an oversight role's confirmation. */
export function needsConfirmation(role: StaffRole): boolean {
  return role !== 'administrator';
}

export function mapAdminUser(u: StaffUserEntity): AdminUserView {
  const asked = new Set<StaffRole>([...u.roles, ...u.pendingRoles]);
  return {
    id: u.id,
    email: u.email,
    name: u.displayName,
    roles: STAFF_ROLES.filter((r) => asked.has(r)),
    awaitingConfirmation: STAFF_ROLES.filter((r) => u.pendingRoles.includes(r) && !u.roles.includes(r)),
    active: u.deactivatedAt === null,
    deactivatedAt: u.deactivatedAt?.toISOString() ?? null,
    twoFactorEnrolled: u.totpEnrolledAt !== null,
    keyFingerprint: u.keyFingerprint,
    createdAt: u.createdAt.toISOString(),
  };
}

/**
 * Why a set of roles may not be held together, or null. An administrator never reads a case
 * (docs/architecture.md "Who uses it"), so the administrator role stays on an account of its own.
 */
export function whyNotRoles(roles: readonly string[]): string | null {
  if (roles.includes('administrator') && roles.length > 1)
    return 'roles: administrator cannot be combined with another role, because administrators never read a case; use a separate account';
  return null;
}

@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: StaffUsersRepository,
    private readonly sessions: SessionStore,
    private readonly audit: AuditService,
    private readonly routing: AdminRoutingService,
    private readonly mail: MailService,
  ) {}

  private readonly logger = new Logger(AdminUsersService.name);

  async list(
    session: StaffSession,
    filter: { role?: string; active?: boolean; limit: number; offset: number },
  ): Promise<AdminUserPage> {
    const { items, total } = await inTenant(this.dataSource, session.tenantId, (m) =>
      this.users.list(m, filter),
    );
    return { items: items.map(mapAdminUser), total, limit: filter.limit, offset: filter.offset };
  }

  async get(session: StaffSession, userId: string): Promise<AdminUserView> {
    return inTenant(this.dataSource, session.tenantId, async (m) =>
      mapAdminUser(await this.require(m, userId)),
    );
  }

  async create(
    session: StaffSession,
    body: { email: string; name: string; roles: string[] },
  ): Promise<CreatedUserView> {
    const refusal = whyNotRoles(body.roles);
    if (refusal) throw new AppError('INVALID_INPUT', [refusal]);
    const email = body.email.trim().toLowerCase();
    try {
      return await inTenant(this.dataSource, session.tenantId, async (m) => {
        if (await m.getRepository(StaffUserEntity).findOne({ where: { email }, select: { id: true } }))
          throw new AppError('CONFLICT', 'There is already an account with this e-mail address.');
        const created = await createStaffUser(m, this.config.sessionSecret, {
          tenantId: session.tenantId,
          email,
          name: body.name.trim(),
          roles: body.roles,
        });
        const requested = created.user.roles;
        const pending = STAFF_ROLES.filter((r) => requested.includes(r) && needsConfirmation(r));
        await this.users.update(m, created.user.id, {
          roles: requested.filter((r) => !needsConfirmation(r)),
          pendingRoles: pending,
          pendingRequestedBy: pending.length ? session.userId : null,
          pendingRequestedAt: pending.length ? new Date() : null,
          rolesConfirmedAt: null,
          // The administrator sees this password: it opens nothing until the person chooses their own.
          passwordMustChange: true,
        });
        await this.audit.append(m, {
          actor: { type: 'staff', id: session.userId },
          action: 'config.changed',
          details: {
            setting: 'staff_user.created',
            userId: created.user.id,
            roles: [...requested],
            awaitingConfirmation: pending,
          },
        });
        return {
          user: mapAdminUser(await this.require(m, created.user.id)),
          temporaryPassword: created.password,
          notice: [
            'The temporary password is shown only now. Give it to the person directly (in person or by phone), never in the same e-mail as the address.',
            'At first sign-in they choose their own password and set up two-factor sign-in with an authenticator app, before anything else.',
            ...(pending.length
              ? [
                  `Their roles (${rolesInWords(pending)}) take effect only when the monitoring officer confirms them in Nolan (the head of paid service, for the monitoring officer's post). Until then they receive nothing.`,
                ]
              : []),
            'New cases are routed to them by their roles once they are in force.',
          ],
        };
      });
    } catch (error) {
      // Two administrators adding the same address at once: the unique index decides, and says so.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505')
        throw new AppError('CONFLICT', 'There is already an account with this e-mail address.');
      throw error;
    }
  }

  async update(
    session: StaffSession,
    userId: string,
    body: { roles?: string[]; active?: boolean },
  ): Promise<UpdatedUserView> {
    if (body.roles === undefined && body.active === undefined)
      throw new AppError('INVALID_INPUT', ['Give roles, active or both.']);
    if (body.roles) {
      const refusal = whyNotRoles(body.roles);
      if (refusal) throw new AppError('INVALID_INPUT', [refusal]);
    }
    const result = await inTenant(this.dataSource, session.tenantId, async (m) => {
      const user = await this.require(m, userId);
      // What the administrator asks for; what is in force is the part of it already confirmed, plus the
      // administrator role, which gives no access to concerns. Taking a role away needs no confirmation.
      const askedBefore = [...new Set([...user.roles, ...user.pendingRoles])];
      const wanted = new Set((body.roles ?? askedBefore) as StaffRole[]);
      const asked = STAFF_ROLES.filter((r) => wanted.has(r));
      const active = body.active ?? user.deactivatedAt === null;
      const wasActive = user.deactivatedAt === null;
      // Reactivating restores access, so it is asked for like a new role (issue #15): every role that
      // gives access to concerns waits for confirmation again, and until then the account receives nothing.
      const reactivating = active && !wasActive;
      const roles = asked.filter((r) => !needsConfirmation(r) || (!reactivating && user.roles.includes(r)));
      const pending = asked.filter((r) => !roles.includes(r));
      const added = asked.filter((r) => !askedBefore.includes(r));
      const removed = askedBefore.filter((r) => !asked.includes(r));
      const newlyPending = pending.filter((r) => !user.pendingRoles.includes(r));
      const rolesChanged = added.length > 0 || removed.length > 0;
      const activeChanged = active !== wasActive;
      const heldAgain = reactivating ? user.roles.filter((r) => pending.includes(r)) : [];

      const wasAdmin = wasActive && user.roles.includes('administrator');
      const staysAdmin = active && roles.includes('administrator');
      if (wasAdmin && !staysAdmin && (await this.users.countOtherActiveAdministrators(m, user.id)) === 0)
        throw new AppError(
          'CONFLICT',
          'The council must keep at least one active administrator: make someone else an administrator first.',
        );

      const actor = { type: 'staff' as const, id: session.userId };
      const notice: string[] = [];
      if (rolesChanged || heldAgain.length > 0) {
        await this.users.update(m, user.id, {
          roles,
          pendingRoles: pending,
          leadRoles: user.leadRoles.filter((r) => roles.includes(r)),
          ...(newlyPending.length || heldAgain.length
            ? { pendingRequestedBy: session.userId, pendingRequestedAt: new Date() }
            : {}),
          ...(pending.length ? {} : { pendingRequestedBy: null, pendingRequestedAt: null }),
        });
      }
      if (rolesChanged) {
        await this.audit.append(m, {
          actor,
          action: 'config.changed',
          details: {
            setting: 'staff_user.roles',
            userId: user.id,
            added,
            removed,
            awaitingConfirmation: pending,
          },
        });
        notice.push(
          `${user.displayName} now holds: ${rolesInWords(roles) || 'no role in force'}. Their sessions have ended, so the new roles apply from their next sign-in.`,
          'Existing cases are not re-routed: they keep the cases they already hold until the monitoring officer transfers them. New cases are routed by the new roles.',
        );
        if (pending.length)
          notice.push(
            `Awaiting confirmation by the monitoring officer (the head of paid service, for the monitoring officer's post): ${rolesInWords(pending)}. Until confirmed these roles give nothing.`,
          );
      }
      if (activeChanged) {
        const deactivatedAt = active ? null : new Date();
        await this.users.update(m, user.id, { deactivatedAt });
        await this.audit.append(m, {
          actor,
          action: 'config.changed',
          details: {
            setting: 'staff_user.active',
            userId: user.id,
            active,
            ...(reactivating ? { awaitingConfirmation: pending } : {}),
          },
        });
        notice.push(
          active
            ? pending.length
              ? `${user.displayName} can sign in again. Their roles (${rolesInWords(pending)}) take effect only when the monitoring officer confirms them in Nolan (the head of paid service, for the monitoring officer's post): until then they receive nothing, not even the cases they held.`
              : `${user.displayName} can sign in again.`
            : `${user.displayName} is signed out and cannot sign in. No new case is routed or assigned to them.`,
        );
        if (!active)
          notice.push(
            'Cases they already hold are not moved and nothing is lost: the monitoring officer should transfer them to someone else.',
          );
      }
      if (!rolesChanged && !activeChanged) notice.push('Nothing changed.');
      const updated = await this.require(m, user.id);
      return {
        user: mapAdminUser(updated),
        notice,
        warnings: (await this.routing.roleHoldersIn(m)).warnings,
        changed: rolesChanged || activeChanged,
      };
    });
    // After the commit: a session carries the roles it was made with, so every one of them must go.
    if (result.changed) await this.sessions.destroyAllFor(userId);
    const { changed: _changed, ...view } = result;
    return view;
  }

  async resetTwoFactor(
    session: StaffSession,
    userId: string,
  ): Promise<{ user: AdminUserView; notice: string[] }> {
    const result = await inTenant(this.dataSource, session.tenantId, async (m) => {
      const user = await this.require(m, userId);
      // Still on a password someone else chose (perhaps this administrator): a reset would hand whoever knows
      // it the account, so an account that can hold concerns is never reset into an administrator's hands.
      if (user.passwordChangedAt === null && (await this.canHoldConcerns(m, user)))
        throw new AppError(
          'CONFLICT',
          'This account is still on the password it was given and can hold concerns: the person must sign in and choose their own password first, or the monitoring officer recovers the account.',
        );
      await resetTotp(m, session.tenantId, user.email);
      await this.audit.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'config.changed',
        details: { setting: 'staff_user.two_factor_reset', userId: user.id },
      });
      return mapAdminUser(await this.require(m, user.id));
    });
    await this.sessions.destroyAllFor(userId);
    // Told by e-mail as well as at their next sign-in; the reset stands if the mail cannot go now.
    await this.mail
      .sendAccountNotice(result.email, 'two_factor_reset')
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, userId },
          'Could not e-mail the account notice; shown at sign-in instead',
        ),
      );
    return {
      user: result,
      notice: [
        'Two-factor sign-in is reset and their sessions have ended. At their next sign-in they set it up again, together with a new password of their own.',
        'They are told of the reset by e-mail and at their next sign-in, and the oversight roles see it.',
      ],
    };
  }

  /** Roles that give access to concerns (in force or asked for), or any grant on a case. */
  private async canHoldConcerns(m: EntityManager, user: StaffUserEntity): Promise<boolean> {
    if ([...user.roles, ...user.pendingRoles].some(needsConfirmation)) return true;
    const [row] = (await m.query(
      `SELECT EXISTS (SELECT 1 FROM case_grants WHERE grantee_kind = 'staff' AND grantee_id = $1) AS held`,
      [user.id],
    )) as { held: boolean }[];
    return row?.held === true;
  }

  private async require(m: EntityManager, userId: string): Promise<StaffUserEntity> {
    const user = await this.users.findById(m, userId);
    if (!user) throw new AppError('NOT_FOUND', NO_SUCH_USER);
    return user;
  }
}
