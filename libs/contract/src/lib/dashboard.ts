/**
 * The monitoring officer's dashboard, the published summary and the annual report (GET /dashboard/…;
 * issue #16, docs/regulatory.md §5). Every figure is counted from readable metadata only (category,
 * status, dates, outcome, channel, audit event kinds); nothing is decrypted.
 */
import type { PublishedValue } from '@nolan/domain';

/** Whose cases the figures count: the council's (monitoring officer), the viewer's own (a handler). */
export type DashboardScope = 'council' | 'own';

export interface DashboardPeriod {
  /** First day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Last day, inclusive (YYYY-MM-DD). */
  to: string;
  /** "2025-26" when the period is exactly a financial year, else "from … to …". */
  label: string;
  financialYear: boolean;
}

/** The SLA policy the clocks were measured against. */
export interface MeasuredPolicy {
  /** 'default': libs/domain DEFAULT_SLA_POLICY; 'council': the council's own, stricter policy. */
  source: 'default' | 'council';
  acknowledgementDays: number;
  acknowledgementUnit: 'calendar' | 'working';
  statutoryAcknowledgementDays: number;
  feedbackMonths: number;
  /** One sentence, shown beside the figures. */
  description: string;
}

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

/** A figure Nolan cannot count from metadata, and why (docs/dashboard.md). */
export interface FigureUnavailable {
  available: false;
  reason: string;
}

export interface AcknowledgementFigures {
  /** Cases received in the period whose acknowledgement is measured (acknowledged, or overdue). */
  measured: number;
  withinStatutory: number;
  withinPolicy: number;
  late: number;
  /** Not yet acknowledged and not yet due: left out of the percentages. */
  pending: number;
  percentWithinStatutory: number | null;
  percentWithinPolicy: number | null;
  medianDays: number | null;
}

export interface FeedbackFigures {
  measured: number;
  within: number;
  late: number;
  pending: number;
  percentWithin: number | null;
  medianDays: number | null;
}

export interface SubstantiationRow {
  key: string;
  label: string;
  /** Closed in the period after an investigation. */
  investigated: number;
  substantiated: number;
  partiallySubstantiated: number;
  notSubstantiated: number;
  /** Substantiated or partially, as a percentage of investigated. */
  rate: number | null;
}

export interface DashboardFigures {
  period: DashboardPeriod;
  scope: DashboardScope;
  policy: MeasuredPolicy;
  /** The day the figures were computed (open cases' ages run to the earlier of this and period.to). */
  computedOn: string;
  received: number;
  byCategory: CountRow[];
  byChannel: CountRow[];
  byMonth: CountRow[];
  /** Reports received in the period by mode (docs/dashboard.md "Reports by mode"). */
  mode: FigureUnavailable | ReportsByMode;
  openAtEnd: { total: number; byStatus: CountRow[]; byAge: CountRow[] };
  acknowledgement: AcknowledgementFigures;
  feedback: FeedbackFigures;
  triage: CountRow[];
  closedByOutcome: CountRow[];
  substantiation: SubstantiationRow[];
  timeToClose: { closed: number; medianDays: number | null; p90Days: number | null };
  referrals: { referredExternally: number; byBody: FigureUnavailable | ReferralsByBody };
  retaliation: { received: number; investigated: number; substantiated: number };
  reopened: number;
  transferred: number;
  /**
   * Tracked recommendations of the counted cases (docs/dashboard.md "What each figure counts"): raised
   * in the period, implemented in the period, and outstanding past their due date at the period's end
   * (or today, if earlier).
   */
  recommendations: RecommendationFigures;
  discontinuedForAnonymity: FigureUnavailable;
  accessExceptions: { recusals: number; namedLater: number; identityDisclosures: number };
}

/**
 * Cases closed by an external referral in the period, by the group of the body they were referred to
 * (libs/domain EXTERNAL_BODY_GROUPS, keys as there) and `not_recorded` for those closed before the body
 * was recorded (docs/dashboard.md "What each figure counts"). Available when at least one of the
 * period's referrals has its body recorded; the rows add up to `referredExternally`.
 */
export interface ReferralsByBody {
  available: true;
  rows: CountRow[];
}

/**
 * Reports received in the period by mode, recovered from each case's keyed mode tag (docs/dashboard.md
 * "Reports by mode"): rows anonymous, confidential, open and `not_recorded` (cases from before modes
 * were recorded). Available when at least one of the period's reports has its mode recorded; the rows
 * add up to `received`.
 */
export interface ReportsByMode {
  available: true;
  rows: CountRow[];
}

export interface RecommendationFigures {
  raised: number;
  implemented: number;
  overdue: number;
}

/** The figures a drill-down can open; `key` picks a row where the figure has rows. */
export const DRILL_FIGURES = [
  'received',
  'byCategory',
  'byChannel',
  'byMonth',
  'byMode',
  'openByStatus',
  'openByAge',
  'ackWithinStatutory',
  'ackWithinPolicy',
  'ackLate',
  'ackPending',
  'feedbackWithin',
  'feedbackLate',
  'feedbackPending',
  'triage',
  'closedByOutcome',
  'substantiated',
  'investigated',
  'closed',
  'referredExternally',
  'referralsByBody',
  'retaliation',
  'reopened',
  'transferred',
  'recusals',
  'namedLater',
  'identityDisclosures',
] as const;

export type DrillFigure = (typeof DRILL_FIGURES)[number];

export interface DrillCase {
  reference: string;
  category: string;
  status: string;
  channel: string;
  receivedOn: string;
  acknowledgedOn: string | null;
  closedOn: string | null;
  outcome: string | null;
}

export interface DrillDown {
  period: DashboardPeriod;
  figure: DrillFigure;
  key: string | null;
  /** What the list is, in words ("Received in the period: Fraud, theft or false claims"). */
  title: string;
  cases: DrillCase[];
}

export interface PublishedRow {
  key: string;
  label: string;
  published: PublishedValue;
  /** "12", "fewer than 5", "withheld". */
  text: string;
}

export interface PublishedLine {
  rows: PublishedRow[];
  total: PublishedValue;
  totalText: string;
}

export interface PublishedRate {
  /** A percentage or a median, or null when the numbers behind it are too small to publish. */
  value: number | null;
  text: string;
}

/** The published summary: the audit committee chair's view and the annual report's public part. */
export interface PublishedSummary {
  period: DashboardPeriod;
  policy: MeasuredPolicy;
  threshold: number;
  received: PublishedValue;
  receivedText: string;
  byCategory: PublishedLine;
  byChannel: PublishedLine;
  /** Reports by mode; its total is the reports received, as for byCategory and byChannel. */
  byMode: PublishedLine;
  triage: PublishedLine;
  closedByOutcome: PublishedLine;
  retaliation: PublishedLine;
  /** Cases closed by an external referral, by body group; its total is the outcome's published cell. */
  referralsByBody: PublishedLine;
  openAtEnd: PublishedValue;
  openAtEndText: string;
  acknowledgedWithinStatutory: PublishedRate;
  medianDaysToAcknowledge: PublishedRate;
  feedbackWithin: PublishedRate;
  medianTimeToClose: PublishedRate;
  notes: string[];
}

/** The annual report's downloads (GET /dashboard/annual-report/{year}/…). */
export const ANNUAL_REPORT_TABLES = [
  'summary-by-category',
  'summary-by-channel',
  'summary-by-mode',
  'summary-triage',
  'summary-outcomes',
  'summary-retaliation',
  'summary-referrals',
  'summary-headlines',
  'exempt-by-category',
  'exempt-by-channel',
  'exempt-by-month',
  'exempt-open',
  'exempt-clocks',
  'exempt-triage',
  'exempt-outcomes',
  'exempt-substantiation',
  'exempt-other',
] as const;

/**
 * Exempt breakdowns downloadable as CSV besides ANNUAL_REPORT_TABLES (printed in the exempt PDF under
 * "Breakdowns"): the referrals by body, from when the body was recorded, and the reports by mode, from
 * when the mode was recorded (docs/dashboard.md "The annual report").
 */
export const ANNUAL_REPORT_BREAKDOWNS = ['exempt-referrals-by-body', 'exempt-by-mode'] as const;

export type AnnualReportBreakdown = (typeof ANNUAL_REPORT_BREAKDOWNS)[number];

export type AnnualReportTable = (typeof ANNUAL_REPORT_TABLES)[number] | AnnualReportBreakdown;
