/**
 * The policies in force, for the admin pages (issue #8 "retention, SLA policy, tenant keys"): the SLA
 * clocks and retention periods come straight from libs/domain (the same numbers the workers and the
 * dashboard use, so the page cannot drift from what happens), the attachment limits from the policy
 * intake enforces, and the fingerprints of the council's export signing key and escrow key, so an
 * administrator can read them out to someone checking an export or a recovery. The retention schedule is
 * the one policy a council sets here (issue #6; GP-10 "a per-tenant schedule … review locally"): the SLA
 * clocks are statutory and the keys are operators' business (the CLI).
 */
import { Injectable } from '@nestjs/common';
import type { PolicyView } from '@nolan/contract';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CASE_OUTCOME_LABELS,
  CASE_OUTCOMES,
  CATEGORIES,
  type CaseOutcome,
  defaultRetentionRule,
  OWNERSHIP_CONFIRMATION_WORKING_DAYS,
  type RetentionPolicy,
  retentionRuleFor,
  STATUTORY_ACKNOWLEDGEMENT_DAYS,
  validateRetentionPolicy,
} from '@nolan/domain';
import type { DataSource } from 'typeorm';
import { AttachmentSanitiser } from '../attachments/attachment-sanitiser.service';
import { AuditService } from '../audit/audit.service';
import type { StaffSession } from '../auth/session-store';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { TenantRetentionSettingsEntity } from '../tenants/tenant-retention-settings.entity';
import { tenantRetention } from '../tenants/tenant-retention';
import { TenantSigningKeys } from '../tenants/tenant-signing-keys';
import { tenantSlaPolicy } from '../tenants/tenant-sla';
import { TenantsRepository } from '../tenants/tenants.repository';

@Injectable()
export class AdminPolicyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly tenants: TenantsRepository,
    private readonly signingKeys: TenantSigningKeys,
    private readonly attachments: AttachmentSanitiser,
  ) {}

  async policy(session: StaffSession): Promise<PolicyView> {
    const tenant = await this.tenants.findById(session.tenantId);
    if (!tenant) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    const signing = await this.signingKeys.published(tenant);
    const { retention, policy } = await inTenant(this.dataSource, session.tenantId, async (m) => ({
      retention: await tenantRetention(m),
      // The council's stored policy, the one its clocks run on (tenants/tenant-sla.ts).
      policy: (await tenantSlaPolicy(m)).policy,
    }));
    return {
      sla: {
        acknowledgementDays: policy.acknowledgementDays,
        acknowledgementUnit: policy.acknowledgementUnit,
        acknowledgementReminderDaysBefore: policy.acknowledgementReminderDaysBefore,
        feedbackMonths: policy.feedbackMonths,
        feedbackReminderDaysBefore: policy.feedbackReminderDaysBefore,
        safeguardingReferralWorkingDays: policy.safeguardingReferralWorkingDays,
        ownershipConfirmationWorkingDays: OWNERSHIP_CONFIRMATION_WORKING_DAYS,
        extraClosureDays: [...policy.extraClosureDays],
        statutoryAcknowledgementDays: STATUTORY_ACKNOWLEDGEMENT_DAYS,
        summary: [
          `Acknowledge the reporter within ${policy.acknowledgementDays} ${policy.acknowledgementUnit} days of receipt; handlers are reminded ${policy.acknowledgementReminderDaysBefore} days before, and the overseer is told on a breach.`,
          `Give the reporter feedback within ${policy.feedbackMonths} months of the acknowledgement (or of the end of the acknowledgement window if none was sent); handlers are reminded ${policy.feedbackReminderDaysBefore} days before.`,
          `Refer a safeguarding concern within ${policy.safeguardingReferralWorkingDays} working day of receipt.`,
          `An assigned handler confirms they own the case within ${OWNERSHIP_CONFIRMATION_WORKING_DAYS} working days.`,
          'Working days skip weekends and England and Wales bank holidays.',
        ],
        clocks: CATEGORIES.map((c) => ({ category: c.id, title: c.title, clock: c.clock })),
      },
      retention: retentionEntries(retention.policy),
      retentionOverrides: retention.policy,
      retentionUpdatedAt: retention.updatedAt?.toISOString() ?? null,
      retentionNote:
        'Periods run from closure. A legal hold set by the monitoring officer stops destruction; the audit trail and the anonymous statistics outlive the case.',
      attachments: this.attachments.describe(),
      keys: {
        signing: {
          fingerprint: signing.fingerprint,
          createdAt: signing.createdAt.toISOString(),
          publishedAt: `/api/v1/tenants/${tenant.slug}/signing-key`,
        },
        escrow: { fingerprint: tenant.escrowFingerprint },
      },
    };
  }

  /**
   * Replaces the council's retention overrides (an empty object restores the defaults). A 400 names every
   * problem validateRetentionPolicy finds, and nothing is saved then. Audited with the keys that changed.
   */
  async putRetention(session: StaffSession, overrides: unknown): Promise<PolicyView> {
    const checked = validateRetentionPolicy(overrides);
    if (!checked.ok) throw new AppError('INVALID_INPUT', [...checked.errors]);
    await inTenant(this.dataSource, session.tenantId, async (m) => {
      const before = await tenantRetention(m);
      await m
        .createQueryBuilder()
        .insert()
        .into(TenantRetentionSettingsEntity)
        .values({ tenantId: session.tenantId, overrides: checked.value, updatedBy: session.userId })
        .orUpdate(['overrides', 'updated_by', 'updated_at'], ['tenant_id'])
        .execute();
      const keys = new Set([...Object.keys(before.policy), ...Object.keys(checked.value)]);
      await this.audit.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'config.changed',
        details: {
          setting: 'retention',
          changedKeys: [...keys]
            .filter(
              (k) => JSON.stringify(before.policy[k] ?? null) !== JSON.stringify(checked.value[k] ?? null),
            )
            .sort(),
          // The schedule in force after the change, e.g. "fraud_theft:substantiated=6y to year end".
          overrides: Object.entries(checked.value).map(
            ([k, r]) => `${k}=${r.years}y${r.untilEndOfYear ? ' to year end' : ''}`,
          ),
        },
      });
    });
    return {
      ...(await this.policy(session)),
      notice: [
        'The schedule applies to every closed case from the next nightly sweep (03:15), including cases closed before today.',
        'A case on legal hold is never destroyed, whatever its period.',
      ],
    };
  }
}

function ruleText(rule: { years: number; untilEndOfYear: boolean }): string {
  const years = `${rule.years} year${rule.years === 1 ? '' : 's'}`;
  return rule.untilEndOfYear
    ? `Kept until the end of the calendar year ${years} after closure, then destroyed.`
    : `Kept for ${years} after closure, then destroyed.`;
}

/** Per category: every outcome's rule in force (and its default), and the rules grouped for reading. */
function retentionEntries(policy: RetentionPolicy) {
  return CATEGORIES.map((c) => {
    const outcomes = CASE_OUTCOMES.map((outcome) => {
      const rule = retentionRuleFor(c.id, outcome, policy);
      const fallback = defaultRetentionRule(c.id, outcome);
      return {
        outcome,
        label: CASE_OUTCOME_LABELS[outcome],
        years: rule.years,
        untilEndOfYear: rule.untilEndOfYear,
        overridden: rule.years !== fallback.years || rule.untilEndOfYear !== fallback.untilEndOfYear,
        defaultYears: fallback.years,
        defaultUntilEndOfYear: fallback.untilEndOfYear,
      };
    });
    // Outcomes that share a rule are listed together, so the page shows one line per distinct period.
    const groups = new Map<
      string,
      { years: number; untilEndOfYear: boolean; overridden: boolean; outcomes: CaseOutcome[] }
    >();
    for (const o of outcomes) {
      const key = `${o.years}/${o.untilEndOfYear}/${o.overridden}`;
      const group = groups.get(key) ?? {
        years: o.years,
        untilEndOfYear: o.untilEndOfYear,
        overridden: o.overridden,
        outcomes: [],
      };
      group.outcomes.push(o.outcome);
      groups.set(key, group);
    }
    return {
      category: c.id,
      title: c.title,
      rules: [...groups.values()].map((g) => ({
        outcomes: g.outcomes,
        outcomeLabels: g.outcomes.map((o) => CASE_OUTCOME_LABELS[o]),
        years: g.years,
        untilEndOfYear: g.untilEndOfYear,
        overridden: g.overridden,
        summary: ruleText(g),
      })),
      outcomes,
    };
  });
}
