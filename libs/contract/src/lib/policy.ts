/**
 * The policies in force, for administrators (GET /admin/policy, PUT /admin/retention): the SLA clocks,
 * the retention periods, the attachment limits and the council's key fingerprints.
 */
import type { AttachmentLimits } from './form';

export interface SlaClockEntry {
  readonly category: string;
  readonly title: string;
  readonly clock: string;
}

export interface SlaPolicyView {
  readonly acknowledgementDays: number;
  readonly acknowledgementUnit: string;
  readonly acknowledgementReminderDaysBefore: number;
  readonly feedbackMonths: number;
  readonly feedbackReminderDaysBefore: number;
  readonly safeguardingReferralWorkingDays: number;
  readonly ownershipConfirmationWorkingDays: number;
  /** The council's own closure days (YYYY-MM-DD). */
  readonly extraClosureDays: readonly string[];
  readonly statutoryAcknowledgementDays: number;
  /** The clocks in sentences. */
  readonly summary: readonly string[];
  readonly clocks: readonly SlaClockEntry[];
}

export interface RetentionRuleView {
  readonly outcomes: readonly string[];
  readonly outcomeLabels: readonly string[];
  readonly years: number;
  /** Kept to the end of the calendar year `years` after closure. */
  readonly untilEndOfYear: boolean;
  /** The council's own period, not the default. */
  readonly overridden: boolean;
  readonly summary: string;
}

export interface RetentionOutcomeView {
  readonly outcome: string;
  readonly label: string;
  readonly years: number;
  readonly untilEndOfYear: boolean;
  readonly overridden: boolean;
  readonly defaultYears: number;
  readonly defaultUntilEndOfYear: boolean;
}

export interface RetentionEntry {
  readonly category: string;
  readonly title: string;
  /** Outcomes that share a period, together. */
  readonly rules: readonly RetentionRuleView[];
  /** Each outcome's period in force, and its default. */
  readonly outcomes: readonly RetentionOutcomeView[];
}

export interface RetentionSetting {
  readonly years: number;
  readonly untilEndOfYear: boolean;
}

/** A council's retention overrides, keyed `category` or `category:outcome`. */
export type RetentionOverrides = Readonly<Record<string, RetentionSetting>>;

export interface SigningKeyView {
  /** Lower-case hex OpenPGP v4 fingerprint. */
  readonly fingerprint: string;
  readonly createdAt: string;
  /** Where the public key is published. */
  readonly publishedAt: string;
}

export interface TenantKeys {
  readonly signing: SigningKeyView;
  readonly escrow: { readonly fingerprint: string };
}

export interface PolicyView {
  readonly sla: SlaPolicyView;
  readonly retention: readonly RetentionEntry[];
  /** The council's overrides; {} on the defaults. */
  readonly retentionOverrides: RetentionOverrides;
  readonly retentionUpdatedAt: string | null;
  readonly retentionNote: string;
  readonly attachments: AttachmentLimits;
  readonly keys: TenantKeys;
  /** After a change: what it does. */
  readonly notice?: readonly string[];
}
