/**
 * Role holders and conflict routes for the council's administrators (issues #4/#8, #6/#7;
 * docs/architecture.md "Routing"; docs/regulatory.md §3). Routing speaks in roles, so who holds each role
 * decides where every concern goes: this service shows that, warns about roles nobody holds (a real gap: a
 * statutory post empty, or a conflict with nowhere to go), and lets administrators set the council's own
 * conflict routes, checked by validateConflictRoutes in libs/domain before they are saved.
 *
 * Changing routes never re-routes existing cases by itself: the new routes apply to every case received
 * from then on, and to a case whenever it is next re-routed (assignment, recusal, someone named as
 * involved). Moving existing cases is the monitoring officer's decision, not an administrator's — who
 * must never learn which cases exist.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type ConflictRoutes,
  DEFAULT_CONFLICT_ROUTES,
  type Recipient,
  ROLE_HOLDER_ROLES,
  rolesInWords,
  routeCase,
  STAFF_ROLE_LABELS,
  STAFF_ROLES,
  type StaffRole,
  validateConflictRoutes,
} from '@nolan/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { StaffSession } from '../auth/session-store';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { tenantRouting, tenantRoutingInput } from '../tenants/tenant-routing';
import { TenantRoutingSettingsEntity } from '../tenants/tenant-routing-settings.entity';
import type { ConflictRoutesView, RoleHoldersView, RoutingPreviewEntry } from './dto/admin-responses.dto';

/** The roles routing gives cases to or tells, in the order the admin page lists them. */
export const ROUTING_ROLES: readonly StaffRole[] = [...ROLE_HOLDER_ROLES, 'investigator'];

/** What it means that nobody active holds a role (with the default routes), for the admin to act on. */
const EMPTY_ROLE_WARNINGS: Readonly<Record<StaffRole, string>> = {
  administrator: 'Nobody is an administrator.',
  monitoring_officer:
    'Nobody is monitoring officer, a statutory post. Concerns go to the next free oversight role (the ' +
    'deputy, then the head of paid service, then the section 151 officer) until one is appointed.',
  deputy_monitoring_officer:
    'Nobody is deputy monitoring officer. When the monitoring officer is conflicted or recused, cases go ' +
    'to the head of paid service or the section 151 officer.',
  head_of_paid_service:
    'Nobody is head of paid service. A concern about the monitoring officer goes to the next lead on its ' +
    'conflict route (by default the section 151 officer), and nobody is told of political-neutrality or ' +
    'retaliation concerns beyond their handlers.',
  s151_officer:
    'Nobody is section 151 officer. Fraud, bribery and misuse of public funds go to the monitoring officer ' +
    'alone, and a concern about the monitoring officer has no alternate if the head of paid service is conflicted.',
  safeguarding_lead:
    'Nobody is safeguarding lead. Safeguarding concerns, which must be referred within one working day, go ' +
    'to the monitoring officer instead.',
  audit_committee_chair:
    'Nobody is chair of the audit committee. Nobody independent is told of a concern about the head of paid service.',
  investigator:
    'Nobody is an investigator. The monitoring officer can assign cases only to officers who hold another handler role.',
};

type Holder = Pick<
  StaffUserEntity,
  'id' | 'displayName' | 'email' | 'roles' | 'deactivatedAt' | 'leadRoles' | 'rolesConfirmedAt'
>;

@Injectable()
export class AdminRoutingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  roleHolders(session: StaffSession): Promise<RoleHoldersView> {
    return inTenant(this.dataSource, session.tenantId, (m) => this.roleHoldersIn(m));
  }

  /** Who holds each routing role, and every problem the admin should fix. In the caller's transaction. */
  async roleHoldersIn(m: EntityManager): Promise<RoleHoldersView> {
    const staff = await this.staff(m);
    const person = (u: Holder) => ({ id: u.id, name: u.displayName, email: u.email });
    const roles = ROUTING_ROLES.map((role) => {
      const holding = staff.filter((u) => u.roles.includes(role));
      const active = holding.filter((u) => u.deactivatedAt === null);
      return {
        role,
        label: STAFF_ROLE_LABELS[role],
        holders: active.map(person),
        deactivatedHolders: holding.filter((u) => u.deactivatedAt !== null).map(person),
        warning: active.length === 0 ? EMPTY_ROLE_WARNINGS[role] : null,
      };
    });
    const warnings = roles.flatMap((r) => (r.warning ? [r.warning] : []));
    warnings.push(...leadWarnings(staff));
    for (const u of staff) {
      const others = u.roles.filter((r) => r !== 'administrator');
      if (u.deactivatedAt === null && u.roles.includes('administrator') && others.length > 0)
        warnings.push(
          `${u.displayName} is both an administrator and ${rolesInWords(others)}: ` +
            'administrators never read a case, so cases routed to this account cannot be read. Give the ' +
            'administrator role to a separate account.',
        );
    }
    for (const entry of await this.preview(m, staff)) {
      if (entry.kind === 'no_eligible_recipient')
        warnings.push(
          `A concern about the ${STAFF_ROLE_LABELS[entry.subject as StaffRole].toLowerCase()} cannot be routed ` +
            `inside the council: ${entry.reason}`,
        );
    }
    return { roles, warnings };
  }

  conflictRoutes(session: StaffSession): Promise<ConflictRoutesView> {
    return inTenant(this.dataSource, session.tenantId, (m) => this.conflictRoutesIn(m));
  }

  /**
   * Saves the council's conflict routes (null: the defaults) and its answer on the deputy's independence.
   * A 400 lists every problem validateConflictRoutes finds; nothing is saved then.
   */
  async putConflictRoutes(
    session: StaffSession,
    body: { deputyIndependent: boolean; routes: Record<string, unknown> | null },
  ): Promise<ConflictRoutesView> {
    let routes: ConflictRoutes | null = null;
    if (body.routes !== null) {
      const checked = validateConflictRoutes(body.routes);
      if (!checked.ok) throw new AppError('INVALID_INPUT', [...checked.errors]);
      routes = checked.value;
    }
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const before = await tenantRouting(m);
      await m
        .createQueryBuilder()
        .insert()
        .into(TenantRoutingSettingsEntity)
        .values({
          tenantId: session.tenantId,
          conflictRoutes: routes,
          deputyIndependent: body.deputyIndependent,
          updatedBy: session.userId,
        })
        .orUpdate(['conflict_routes', 'deputy_independent', 'updated_by', 'updated_at'], ['tenant_id'])
        .execute();
      const changedSubjects = STAFF_ROLES.filter(
        (role) =>
          JSON.stringify(before.conflictRoutes[role] ?? null) !==
          JSON.stringify((routes ?? DEFAULT_CONFLICT_ROUTES)[role] ?? null),
      );
      await this.audit.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'config.changed',
        details: {
          setting: 'conflict_routes',
          customised: routes !== null,
          deputyIndependent: body.deputyIndependent,
          deputyIndependentBefore: before.deputyIndependent,
          changedSubjects,
        },
      });
      const view = await this.conflictRoutesIn(m);
      return {
        ...view,
        notice: [
          'The routes apply to every concern received from now on, and to an existing case whenever it is ' +
            're-routed (assigned, transferred, a recusal, someone named as involved).',
          'Existing cases are not moved: if one should now go elsewhere, the monitoring officer (or the ' +
            'overseer of that case) transfers it.',
        ],
      };
    });
  }

  private async conflictRoutesIn(m: EntityManager): Promise<ConflictRoutesView> {
    const settings = await tenantRouting(m);
    return {
      deputyIndependent: settings.deputyIndependent,
      customised: settings.customised,
      routes: plainRoutes(settings.conflictRoutes),
      defaults: plainRoutes(DEFAULT_CONFLICT_ROUTES),
      updatedAt: settings.updatedAt?.toISOString() ?? null,
      updatedBy: settings.updatedBy,
      preview: await this.preview(m, await this.staff(m)),
    };
  }

  /**
   * Who would receive a concern about each role that has a conflict route, with today's staff and
   * settings: the same routeCase intake runs, on a code-of-conduct concern (category "other").
   */
  private async preview(m: EntityManager, staff: readonly Holder[]): Promise<RoutingPreviewEntry[]> {
    const holders = staff.map((u) => ({
      userId: u.id,
      roles: u.roles,
      active: u.deactivatedAt === null,
      leadRoles: u.leadRoles,
      rolesConfirmedAt: u.rolesConfirmedAt,
    }));
    const context = await tenantRoutingInput(m, holders);
    const byId = new Map(staff.map((u) => [u.id, u]));
    const who = (r: Recipient) => {
      const u = byId.get(r.userId) as Holder;
      return { id: u.id, name: u.displayName, email: u.email, role: r.role };
    };
    const subjects = STAFF_ROLES.filter((role) => context.conflictRoutes?.[role] !== undefined);
    return subjects.map((subject) => {
      const decision = routeCase({
        category: 'other',
        involvedRoles: [subject],
        involvedUserIds: [],
        recusedUserIds: [],
        roleHolders: holders.map(({ userId, roles }) => ({ userId, roles })),
        ...context,
      });
      return decision.kind === 'routed'
        ? {
            subject,
            kind: decision.kind,
            overseer: who(decision.overseer),
            owners: decision.owners.map(who),
            notify: decision.notify.map(who),
          }
        : { subject, kind: decision.kind, reason: decision.reason };
    });
  }

  private staff(m: EntityManager): Promise<Holder[]> {
    return m.getRepository(StaffUserEntity).find({
      select: {
        id: true,
        displayName: true,
        email: true,
        roles: true,
        deactivatedAt: true,
        leadRoles: true,
        rolesConfirmedAt: true,
      },
      order: { displayName: 'ASC', email: 'ASC' },
    });
  }
}

/**
 * A role with several active holders and none designated its lead: routing then takes the one confirmed
 * first and says so (libs/domain routing), but the choice belongs to people (issue #15).
 */
export function leadWarnings(
  staff: readonly Pick<StaffUserEntity, 'roles' | 'deactivatedAt' | 'leadRoles'>[],
): string[] {
  return ROUTING_ROLES.flatMap((role) => {
    const active = staff.filter((u) => u.deactivatedAt === null && u.roles.includes(role));
    if (active.length < 2 || active.some((u) => u.leadRoles.includes(role))) return [];
    return [
      `${active.length} people hold the role of ${STAFF_ROLE_LABELS[role].toLowerCase()} and none is its ` +
        'designated lead holder: cases go to the one confirmed first until the monitoring officer designates one.',
    ];
  });
}

function plainRoutes(routes: ConflictRoutes) {
  return Object.fromEntries(
    Object.entries(routes).map(([subject, route]) => [
      subject,
      {
        leads: [...(route?.leads ?? [])],
        owners: [...(route?.owners ?? [])],
        notify: [...(route?.notify ?? [])],
        excludedWithSubject: [...(route?.excludedWithSubject ?? [])],
      },
    ]),
  );
}
