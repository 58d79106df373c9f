/**
 * The policies in force, for administrators (GET /admin/policy, PUT /admin/retention): the SLA clocks,
 * the retention periods, the attachment limits and the council's key fingerprints.
 */
import type { AttachmentLimits } from './form';

export interface SlaClockEntry {
  category: string;
  title: string;
  clock: string;
}

export interface SlaPolicyView {
  acknowledgementDays: number;
  acknowledgementUnit: string;
  acknowledgementReminderDaysBefore: number;
  feedbackMonths: number;
  feedbackReminderDaysBefore: number;
  safeguardingReferralWorkingDays: number;
  ownershipConfirmationWorkingDays: number;
  /** The council's own closure days (YYYY-MM-DD). */
  extraClosureDays: string[];
  statutoryAcknowledgementDays: number;
  /** The clocks in sentences. */
  summary: string[];
  clocks: SlaClockEntry[];
}

export interface RetentionRuleView {
  outcomes: string[];
  outcomeLabels: string[];
  years: number;
  /** Kept to the end of the calendar year `years` after closure. */
  untilEndOfYear: boolean;
  /** The council's own period, not the default. */
  overridden: boolean;
  summary: string;
}

export interface RetentionOutcomeView {
  outcome: string;
  label: string;
  years: number;
  untilEndOfYear: boolean;
  overridden: boolean;
  defaultYears: number;
  defaultUntilEndOfYear: boolean;
}

export interface RetentionEntry {
  category: string;
  title: string;
  /** Outcomes that share a period, together. */
  rules: RetentionRuleView[];
  /** Each outcome's period in force, and its default. */
  outcomes: RetentionOutcomeView[];
}

export interface RetentionSetting {
  years: number;
  untilEndOfYear: boolean;
}

/** A council's retention overrides, keyed `category` or `category:outcome`. */
export type RetentionOverrides = Record<string, RetentionSetting>;

export interface SigningKeyView {
  /** Lower-case hex OpenPGP v4 fingerprint. */
  fingerprint: string;
  createdAt: string;
  /** Where the public key is published. */
  publishedAt: string;
}

export interface TenantKeys {
  signing: SigningKeyView;
  escrow: { fingerprint: string };
}

export interface PolicyView {
  sla: SlaPolicyView;
  retention: RetentionEntry[];
  /** The council's overrides; {} on the defaults. */
  retentionOverrides: RetentionOverrides;
  retentionUpdatedAt: string | null;
  retentionNote: string;
  attachments: AttachmentLimits;
  keys: TenantKeys;
  /** After a change: what it does. */
  notice?: string[];
}
