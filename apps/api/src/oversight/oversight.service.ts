/**
 * What administrators changed, for those who oversee cases (the review of issue #8's admin pages): an
 * administrator can give any account a handler role — the section 151 officer's, say — and new reports
 * are then routed to it. Administrators never see a case themselves, but nothing in the product could stop
 * one from giving a role to an account they control. So every change to who handles concerns, and to the
 * council's routing and retention settings, is put in front of the monitoring officer and the other
 * oversight roles, by name, from the audit trail (which the administrators cannot alter).
 *
 * Nothing here touches a case: the entries are `config.changed` audit entries, whose details hold ids,
 * role codes and setting keys only.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FallbackOverseerView, SettingsChange, SettingsChangePage } from '@nolan/contract';
import { HANDLER_ROLES, isStaffRole, OVERSIGHT_ROLES, rolesInWords, type StaffRole } from '@nolan/domain';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { AuditEntryEntity } from '../audit/audit-entry.entity';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import type { StaffSession } from '../auth/session-store';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { StaffUserEntity } from '../staff/staff-user.entity';
import {
  FALLBACK_OVERSEER_ROLES,
  FALLBACK_OVERSEER_RULE,
  setTenantFallbackOverseer,
  tenantFallbackOverseer,
} from '../tenants/tenant-routing';

export type { SettingsChange } from '@nolan/contract';

const roleList = (roles: unknown): string => rolesInWords(Array.isArray(roles) ? roles : []);

const handles = (roles: unknown): boolean =>
  Array.isArray(roles) && roles.some((r) => HANDLER_ROLES.includes(r as StaffRole));

/** The sentence for one change; `name` turns a user id into their name. */
export function describeChange(
  details: Record<string, unknown>,
  name: (id: unknown) => string,
): { summary: string; givesAccessToConcerns: boolean } {
  const person = name(details['userId']);
  switch (details['setting']) {
    case 'staff_user.created':
      return {
        summary: `added an account for ${person}, as ${roleList(details['roles'])}`,
        givesAccessToConcerns: handles(details['roles']),
      };
    case 'staff_user.roles': {
      const parts = [];
      if (Array.isArray(details['added']) && details['added'].length)
        parts.push(`gave ${person} the role of ${roleList(details['added'])}`);
      if (Array.isArray(details['removed']) && details['removed'].length)
        parts.push(`took ${roleList(details['removed'])} away from ${person}`);
      return {
        summary: parts.join(' and ') || `changed ${person}'s roles`,
        givesAccessToConcerns: handles(details['added']),
      };
    }
    case 'staff_user.active':
      return {
        summary: details['active'] ? `reactivated ${person}'s account` : `deactivated ${person}'s account`,
        givesAccessToConcerns: details['active'] === true,
      };
    case 'staff_user.roles_confirmed':
      return {
        summary: `confirmed ${person} in the role of ${roleList(details['roles'])}${details['lead'] ? ', as lead holder' : ''}`,
        givesAccessToConcerns: true,
      };
    case 'staff_user.roles_refused':
      return {
        summary: `refused ${person} the role of ${roleList(details['roles'])}`,
        givesAccessToConcerns: false,
      };
    case 'staff_user.role_lead':
      return {
        summary: `made ${person} the lead holder of the role of ${roleList([details['role']])}`,
        givesAccessToConcerns: true,
      };
    case 'staff_user.two_factor_reset':
      return { summary: `reset ${person}'s two-factor sign-in`, givesAccessToConcerns: true };
    case 'staff_key_recovered':
      return { summary: `recovered ${person}'s access to their cases`, givesAccessToConcerns: false };
    case 'staff_user.two_factor_reset_by_operator':
      return { summary: `reset ${person}'s two-factor sign-in`, givesAccessToConcerns: true };
    case 'conflict_routes':
      return {
        summary: details['customised']
          ? 'changed where concerns about statutory officers go (conflict routes)'
          : 'put the conflict routes back to the defaults',
        givesAccessToConcerns: true,
      };
    case 'retention':
      return { summary: 'changed how long closed cases are kept (retention)', givesAccessToConcerns: false };
    case 'sla_policy':
      return {
        summary: details['customised']
          ? 'set the council’s own deadlines (SLA policy)'
          : 'put the deadlines back to the default (SLA policy)',
        givesAccessToConcerns: false,
      };
    case 'reporter_batch_minutes':
      return {
        summary: `changed how long what a reporter does waits before handlers hear of it, from ${String(details['from'])} to ${String(details['to'])} minutes`,
        givesAccessToConcerns: false,
      };
    case 'fallback_overseer':
      return {
        summary: `made the ${roleList([details['role']])} the fallback overseer of cases every oversight role is involved in`,
        givesAccessToConcerns: true,
      };
    default:
      return {
        summary: `changed a setting (${String(details['setting'] ?? 'unknown')})`,
        givesAccessToConcerns: false,
      };
  }
}

@Injectable()
export class OversightService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
    private readonly trail: AuditService,
  ) {}

  /** A page of the council's settings changes, newest first: oversight roles only (403 for anyone else). */
  async changes(session: StaffSession, limit: number, offset: number): Promise<SettingsChangePage> {
    if (!session.roles.some((r) => OVERSIGHT_ROLES.includes(r as StaffRole)))
      throw new AppError(
        'FORBIDDEN',
        'Only the monitoring officer and the other oversight roles see what administrators changed.',
      );
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const [entries, total] = await this.audit.settingChanges(m, session.tenantId, limit, offset);
      const ids = new Set<string>();
      for (const e of entries) {
        if (e.actorId) ids.add(e.actorId);
        if (typeof e.details['userId'] === 'string') ids.add(e.details['userId']);
      }
      const people = ids.size
        ? await m.getRepository(StaffUserEntity).find({
            select: { id: true, displayName: true },
            where: { id: In([...ids]) },
          })
        : [];
      const names = new Map(people.map((p) => [p.id, p.displayName]));
      const name = (id: unknown) => (typeof id === 'string' && names.get(id)) || 'someone';
      return { items: entries.map((e) => this.map(e, name)), total, limit, offset };
    });
  }

  /**
   * The council's fallback overseer role and, loudly, how many open cases have no overseer at all
   * (issue #15: when even the fallback is involved the case is held by the escrow key alone, and that
   * must never be silent). For the oversight roles; a count, never a reference.
   */
  async fallbackOverseer(session: StaffSession): Promise<FallbackOverseerView> {
    if (!session.roles.some((r) => OVERSIGHT_ROLES.includes(r as StaffRole)))
      throw new AppError('FORBIDDEN', 'Only the monitoring officer and the other oversight roles see this.');
    return inTenant(this.dataSource, session.tenantId, (m) => this.fallbackView(m));
  }

  /**
   * The monitoring officer designates the role whose holder oversees a case every oversight role is
   * involved in (the chair of the audit committee, or an independent person given a role). Not the
   * administrators, who could otherwise choose who receives such a case. Shown to the oversight roles.
   */
  async setFallbackOverseer(session: StaffSession, role: string): Promise<FallbackOverseerView> {
    if (!session.roles.includes('monitoring_officer'))
      throw new AppError('FORBIDDEN', 'Only the monitoring officer designates the fallback overseer.');
    if (!isStaffRole(role) || !FALLBACK_OVERSEER_ROLES.includes(role))
      throw new AppError('INVALID_INPUT', [
        `role must be one of: ${FALLBACK_OVERSEER_ROLES.join(', ')} ${FALLBACK_OVERSEER_RULE}`,
      ]);
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const before = await tenantFallbackOverseer(m);
      await setTenantFallbackOverseer(m, session.tenantId, role, session.userId);
      await this.trail.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'config.changed',
        details: { setting: 'fallback_overseer', role, before: before.role },
      });
      return this.fallbackView(m);
    });
  }

  private async fallbackView(m: EntityManager): Promise<FallbackOverseerView> {
    const fallback = await tenantFallbackOverseer(m);
    const [row] = (await m.query(
      `SELECT count(*)::int AS n FROM cases
        WHERE routing = 'no_eligible_recipient' AND status <> 'closed' AND destroyed_on IS NULL`,
    )) as { n: number }[];
    const casesWithoutOverseer = row?.n ?? 0;
    return {
      role: fallback.role,
      customised: fallback.customised,
      casesWithoutOverseer,
      warning:
        casesWithoutOverseer > 0
          ? `${casesWithoutOverseer} open ${casesWithoutOverseer === 1 ? 'case has' : 'cases have'} no overseer: everyone who could oversee ${casesWithoutOverseer === 1 ? 'it' : 'them'}, the fallback overseer too, is involved, recused or not set up. Only the escrow key holds ${casesWithoutOverseer === 1 ? 'it' : 'them'}; route ${casesWithoutOverseer === 1 ? 'it' : 'them'} outside the council (the external auditor).`
          : null,
    };
  }

  private map(e: AuditEntryEntity, name: (id: unknown) => string): SettingsChange {
    const { summary, givesAccessToConcerns } = describeChange(e.details, name);
    return {
      at: e.occurredAt.toISOString(),
      by: e.actorType === 'staff' ? name(e.actorId) : 'an operator',
      setting: String(e.details['setting'] ?? ''),
      summary,
      userId: typeof e.details['userId'] === 'string' ? e.details['userId'] : null,
      givesAccessToConcerns,
    };
  }
}
