/**
 * The tenant's routing settings, read inside the caller's tenant transaction wherever routeCase runs
 * (intake, CaseAccessService), so every routing decision uses the council's own conflict routes and its
 * answer on the deputy's independence (docs/architecture.md "Routing"; docs/regulatory.md §3). Administrators
 * change them through the admin API (apps/api/src/admin), which validates them in libs/domain first.
 *
 * Plain functions over the caller's EntityManager rather than a provider, so the modules that route need
 * no new wiring and the settings are always read in the same transaction as the routing they shape.
 */
import { Logger } from '@nestjs/common';
import {
  type ConflictRoutes,
  DEFAULT_CONFLICT_ROUTES,
  isStaffRole,
  OVERSIGHT_ROLES,
  type RoutingInput,
  type StaffRole,
  validateConflictRoutes,
} from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import { TenantRoutingSettingsEntity } from './tenant-routing-settings.entity';
import { HourlyErrorTally } from '../errors/error-log';

export interface TenantRouting {
  conflictRoutes: ConflictRoutes;
  deputyIndependent: boolean;
  /** False while the tenant uses DEFAULT_CONFLICT_ROUTES. */
  customised: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const logger = new Logger('TenantRouting');
/**
 * Bad stored routes are read by every report's intake, so they are written as a count at the turn of the
 * hour, never at a report's moment (docs/abuse-resistance.md "What an error's log line holds").
 */
export const routingSettingsWarnings = new HourlyErrorTally((_level, fields, line) =>
  logger.error(fields, line),
);

/** The tenant's routing settings (row-level security picks the tenant of the caller's transaction). */
export async function tenantRouting(m: EntityManager): Promise<TenantRouting> {
  const row = await m.getRepository(TenantRoutingSettingsEntity).findOne({ where: {} });
  if (!row) {
    return {
      conflictRoutes: DEFAULT_CONFLICT_ROUTES,
      deputyIndependent: false,
      customised: false,
      updatedAt: null,
      updatedBy: null,
    };
  }
  let conflictRoutes = DEFAULT_CONFLICT_ROUTES;
  if (row.conflictRoutes !== null) {
    // Saved routes were validated; checking again costs nothing and keeps a hand-edited row from routing
    // a case badly. The defaults are the safe fallback: a report must never be refused for this.
    const checked = validateConflictRoutes(row.conflictRoutes);
    if (checked.ok) conflictRoutes = checked.value;
    else
      routingSettingsWarnings.add('error', 'Stored conflict routes are invalid; using the defaults', {
        tenantId: row.tenantId,
      });
  }
  return {
    conflictRoutes,
    deputyIndependent: row.deputyIndependent,
    customised: row.conflictRoutes !== null && conflictRoutes !== DEFAULT_CONFLICT_ROUTES,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

/**
 * What routeCase needs from the tenant beyond the case: its conflict routes, the deputy's independence,
 * who may not receive cases (deactivated accounts among `holders`), and each role's designated lead
 * holder with when each holder's roles were confirmed (issue #15: the overseer is chosen by people,
 * never by sort order). `holders` carry only roles in force: roles awaiting confirmation are not in them.
 */
export async function tenantRoutingInput(
  m: EntityManager,
  holders: readonly {
    userId: string;
    active: boolean;
    leadRoles?: readonly StaffRole[];
    rolesConfirmedAt?: Date | null;
  }[],
): Promise<
  Pick<
    RoutingInput,
    | 'conflictRoutes'
    | 'deputyIndependent'
    | 'unavailableUserIds'
    | 'leads'
    | 'confirmedAt'
    | 'fallbackOverseerRole'
  >
> {
  const settings = await tenantRouting(m);
  const leads: Partial<Record<StaffRole, string>> = {};
  const confirmedAt: Record<string, string> = {};
  for (const h of holders) {
    if (!h.active) continue;
    for (const role of h.leadRoles ?? []) leads[role] = h.userId;
    if (h.rolesConfirmedAt) confirmedAt[h.userId] = h.rolesConfirmedAt.toISOString();
  }
  return {
    conflictRoutes: settings.conflictRoutes,
    deputyIndependent: settings.deputyIndependent,
    unavailableUserIds: holders.filter((h) => !h.active).map((h) => h.userId),
    leads,
    confirmedAt,
    fallbackOverseerRole: (await tenantFallbackOverseer(m)).role,
  };
}

/** Who oversees a case when every oversight role is involved, unless the council says otherwise. */
export const DEFAULT_FALLBACK_OVERSEER_ROLE: StaffRole = 'audit_committee_chair';

/**
 * The roles a council may designate as its fallback overseer: the oversight roles and the chair of the
 * audit committee (the council has no independent-person role; one would belong here). Never a handler
 * role such as investigator: the monitoring officer who chooses could be implicated, and would otherwise
 * pick who receives every case about the oversight roles.
 */
export const FALLBACK_OVERSEER_ROLES: readonly StaffRole[] = Object.freeze([
  ...OVERSIGHT_ROLES,
  'audit_committee_chair',
] as const);

/** Why a role was refused as the fallback overseer, after "must be one of: …" (API and CLI say the same). */
export const FALLBACK_OVERSEER_RULE =
  '(an oversight role or the chair of the audit committee; a handler such as an investigator may not ' +
  'oversee the cases every oversight role is involved in)';

export interface FallbackOverseer {
  role: StaffRole;
  /** False while the council uses the default. */
  customised: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/**
 * The council's fallback overseer role (issue #15; docs/architecture.md "Exclusions and the conflict
 * set"): set by the monitoring officer in tenant_oversight_settings, apart from the routing settings
 * administrators change, so an administrator cannot choose who receives a case nobody else may.
 */
export async function tenantFallbackOverseer(m: EntityManager): Promise<FallbackOverseer> {
  const [row] = (await m.query(
    `SELECT fallback_overseer_role AS role, updated_at AS "updatedAt", updated_by AS "updatedBy"
       FROM tenant_oversight_settings`,
  )) as { role: string; updatedAt: Date; updatedBy: string | null }[];
  // A role saved before the rule narrowed (an investigator, say) counts for nothing: the default applies.
  if (!row || !isStaffRole(row.role) || !FALLBACK_OVERSEER_ROLES.includes(row.role))
    return { role: DEFAULT_FALLBACK_OVERSEER_ROLE, customised: false, updatedAt: null, updatedBy: null };
  return { role: row.role, customised: true, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

/** Sets the council's fallback overseer role (the caller checks who may, and audits it). */
export async function setTenantFallbackOverseer(
  m: EntityManager,
  tenantId: string,
  role: StaffRole,
  by: string | null,
): Promise<void> {
  await m.query(
    `INSERT INTO tenant_oversight_settings (tenant_id, fallback_overseer_role, updated_by)
     VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO UPDATE
       SET fallback_overseer_role = excluded.fallback_overseer_role, updated_by = excluded.updated_by,
           updated_at = now()`,
    [tenantId, role, by],
  );
}
