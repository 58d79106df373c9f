/**
 * The dashboard's figures from case metadata (docs/dashboard.md "What each figure counts"): one pass
 * over the viewer's cases and events puts every case into the figures it belongs to, and both the
 * figures and the drill-downs are read from that one tally, so a drill-down always lists exactly the
 * cases its figure counted. Pure: the service loads the rows (metadata only, never ciphertext).
 */
import type {
  CountRow,
  DashboardFigures,
  DashboardPeriod,
  DashboardScope,
  DrillCase,
  DrillFigure,
  MeasuredPolicy,
  RecommendationFigures,
} from '@nolan/contract';
import {
  AGE_BANDS,
  ageBand,
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  CATEGORIES,
  computeSlaDates,
  DEFAULT_SLA_POLICY,
  EXTERNAL_BODY_GROUPS,
  type ExternalBodyGroup,
  financialYearLabel,
  financialYearOf,
  type LocalDate,
  median,
  monthsOf,
  percentage,
  percentile,
  type Period,
  type SlaPolicy,
  STATUTORY_ACKNOWLEDGEMENT_DAYS,
  toDayNumber,
  MONTH_NAMES,
  recommendationOverdue,
  type RecommendationStatus,
} from '@nolan/domain';

/** One case's readable metadata, dates as London local dates. */
export interface CaseFacts {
  id: string;
  reference: string;
  category: string;
  status: string;
  outcome: string | null;
  channel: string;
  receivedOn: LocalDate;
  acknowledgementDue: LocalDate;
  acknowledgedOn: LocalDate | null;
  feedbackDue: LocalDate;
  feedbackGivenOn: LocalDate | null;
  closedOn: LocalDate | null;
  reopenedOn: LocalDate | null;
  /**
   * A code of libs/domain EXTERNAL_BODY_GROUPS for a case closed as referred externally (only the group
   * is stored readably); null if not recorded.
   */
  referralGroup?: string | null;
  /**
   * The case's keyed mode tag, read only for cases received in the period (null for none recorded):
   * the service turns it into `mode` with the mode tag key (docs/dashboard.md "Reports by mode").
   */
  modeTag?: Buffer | null;
  /** The mode the tag stands for; null when not recorded. */
  mode?: 'anonymous' | 'confidential' | 'open' | null;
  /**
   * True when the viewer may not know this case's mode (it says whether the reporter gave their
   * identity, which only its custodian may know): the case is left out of reports by mode.
   */
  modeHidden?: boolean;
}

/**
 * Cases whose only part in the figures is being open at the end of the period (received before it,
 * neither closed nor reopened in it), grouped by their row of the open figures as the query worked it
 * out the same way as `tally` (DashboardRepository.figureCases): the status ("closed_since" for one
 * closed after the end) and age band, or null for cases not open at the end (still the viewer's: their
 * events and recommendations count).
 */
export interface QuietCases {
  ids: string[];
  openStatus: string | null;
  band: string | null;
}

/** A tracked recommendation's readable metadata (case_recommendations), dates as local dates. */
export interface RecommendationFacts {
  caseId: string;
  raisedOn: LocalDate;
  status: RecommendationStatus;
  statusOn: LocalDate;
  dueOn: LocalDate | null;
}

/** An event of a case from the audit trail or the exclusions, reduced to its kind and day. */
export interface CaseEvent {
  caseId: string;
  kind: 'triage' | 'transfer' | 'identityDisclosure' | 'recusal' | 'namedLater';
  /** For triage: 'investigation' or the closing outcome. */
  key?: string;
  on: LocalDate;
}

export const CHANNELS: readonly { key: string; label: string }[] = [
  { key: 'web', label: 'Web form' },
  { key: 'phone', label: 'Phone' },
  { key: 'in_person', label: 'In person' },
  { key: 'post', label: 'Post' },
  { key: 'email', label: 'E-mail' },
];

export const TRIAGE_OUTCOMES: readonly { key: string; label: string }[] = [
  { key: 'investigation', label: 'Investigated' },
  { key: 'no_further_action', label: 'No further action' },
  { key: 'referred_to_another_procedure', label: 'Referred to another procedure' },
  { key: 'referred_externally', label: 'Referred externally' },
  { key: 'withdrawn', label: 'Withdrawn' },
  // Its own row, not folded into no further action: the concern is dealt with in the case it
  // duplicates, so counting it as a decision to do nothing would overstate those (docs/case-core.md).
  { key: 'duplicate', label: 'Duplicate of another case' },
];

export const INVESTIGATED_OUTCOMES = ['substantiated', 'partially_substantiated', 'not_substantiated'];
const UPHELD = ['substantiated', 'partially_substantiated'];

const OPEN_STATUSES = [
  ...(['received', 'acknowledged', 'assessment', 'investigation', 'decision', 'reopened'] as const).map(
    (key) => ({ key, label: CASE_STATUS_LABELS[key] }),
  ),
  { key: 'closed_since', label: 'Closed since the end of the period' },
];

export function monthLabel(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

export const categoryLabel = (id: string): string => CATEGORIES.find((c) => c.id === id)?.title ?? id;
export const outcomeLabel = (id: string): string => (CASE_OUTCOME_LABELS as Record<string, string>)[id] ?? id;

export function describePeriod(period: Period): DashboardPeriod {
  const fy = financialYearOf(period.from);
  const financialYear = fy.from === period.from && fy.to === period.to;
  return {
    from: period.from,
    to: period.to,
    label: financialYear ? financialYearLabel(period) : `${period.from} to ${period.to}`,
    financialYear,
  };
}

/** The policy the clocks are measured against: the council's own, or the domain's default. */
export function measuredPolicy(
  p: SlaPolicy = DEFAULT_SLA_POLICY,
  source: 'default' | 'council' = 'default',
): MeasuredPolicy {
  return {
    source,
    acknowledgementDays: p.acknowledgementDays,
    acknowledgementUnit: p.acknowledgementUnit,
    statutoryAcknowledgementDays: STATUTORY_ACKNOWLEDGEMENT_DAYS,
    feedbackMonths: p.feedbackMonths,
    description:
      `Measured against ${source === 'council' ? 'the council’s own policy' : 'Nolan’s default policy'}: acknowledge within ${p.acknowledgementDays} ` +
      `${p.acknowledgementUnit} days of receipt, feedback within ${p.feedbackMonths} months of the acknowledgement.`,
  };
}

export const UNAVAILABLE = {
  mode: 'Not available for this period: a report’s mode (anonymous, confidential or open) is recorded, as a keyed tag, only from when this version of Nolan was installed, and is shown only to the custodian of the reporter’s identity; none of the period’s reports whose identity you hold has one.',
  noReferrals:
    'No case was closed by an external referral in the period, so there are none to count by body.',
  referralBodies:
    'Not available by body: these cases were closed before the body was recorded as a readable code (it is in their encrypted decision). The number referred externally is shown.',
  anonymity:
    'Not available: the reason an investigation stopped is encrypted, and whether a reporter is anonymous is never stored readably.',
} as const;

/**
 * A case's acknowledgement and feedback due dates under `policy`: for the default policy, the dates
 * stored on the case (computed with it at intake, acknowledgement and reopening); for a council's own,
 * computed as the SLA timers compute them (libs/domain computeSlaDates), memoised in `cache`.
 */
function dueDates(
  c: CaseFacts,
  policy: SlaPolicy,
  cache: Map<string, { acknowledgementDue: LocalDate; feedbackDue: LocalDate }>,
): { acknowledgementDue: LocalDate; feedbackDue: LocalDate } {
  const stored = { acknowledgementDue: c.acknowledgementDue, feedbackDue: c.feedbackDue };
  if (policy === DEFAULT_SLA_POLICY) return stored;
  const clock = CATEGORIES.find((k) => k.id === c.category)?.clock ?? 'standard';
  const key = `${c.receivedOn}|${c.acknowledgedOn}|${c.reopenedOn}|${clock}`;
  let due = cache.get(key);
  if (!due) {
    try {
      const { receivedOn, acknowledgedOn, reopenedOn } = c;
      due = computeSlaDates({ receivedOn, acknowledgedOn, reopenedOn, clock, policy });
    } catch {
      due = stored;
    }
    cache.set(key, due);
  }
  return due;
}

/** The day the open figures are measured on: the earlier of today and the period's end. */
export function openFiguresDay(period: Period, today: LocalDate): LocalDate {
  return today < period.to ? today : period.to;
}

/** Every figure's cases: figure → row key ('' for a figure without rows) → case ids, in order. */
export type Tally = Map<DrillFigure, Map<string, string[]>>;

export interface Computed {
  tally: Tally;
  recommendations: RecommendationFigures;
  ackDays: number[];
  feedbackDays: number[];
  closeDays: number[];
}

/**
 * Puts each case into the figures it belongs to for `period`, as seen on `today` (the age of an open
 * case and whether a clock is still running are measured on the earlier of `today` and the period's end).
 */
export function tally(
  cases: readonly CaseFacts[],
  events: readonly CaseEvent[],
  period: Period,
  today: LocalDate,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
  recommendations: readonly RecommendationFacts[] = [],
  quiet: readonly QuietCases[] = [],
): Computed {
  // A case counts once per row. Each case is visited once and puts itself into a row at most once, so
  // its ids go straight into the row's list; only events (a case may have several of a kind) are
  // checked against what they already added. Sets for every row cost more than everything else in the
  // tally for a 20,000-case council (docs/performance.md "Dashboard at scale").
  const t: Tally = new Map();
  const add = (figure: DrillFigure, key: string, id: string): void => {
    let rows = t.get(figure);
    if (!rows) t.set(figure, (rows = new Map()));
    let ids = rows.get(key);
    if (!ids) rows.set(key, (ids = []));
    ids.push(id);
  };
  const eventAdded = new Set<string>();
  const addEvent = (figure: DrillFigure, key: string, id: string): void => {
    const seen = `${figure}|${key}|${id}`;
    if (eventAdded.has(seen)) return;
    eventAdded.add(seen);
    add(figure, key, id);
  };
  const known = new Set<string>();
  // Day numbers memoised: a council's cases share a few hundred distinct dates, and the domain's date
  // functions check their input on every call (20,000 cases would otherwise cost seconds).
  const numbers = new Map<string, number>();
  const dayNum = (date: LocalDate): number => {
    let n = numbers.get(date);
    if (n === undefined) numbers.set(date, (n = toDayNumber(date)));
    return n;
  };
  const daysBetween = (a: LocalDate, b: LocalDate): number => dayNum(b) - dayNum(a);
  const compareLocalDates = (a: LocalDate, b: LocalDate): number => dayNum(a) - dayNum(b);
  const [fromN, toN] = [dayNum(period.from), dayNum(period.to)];
  const inPeriod = (date: LocalDate | null): boolean =>
    date != null && dayNum(date) >= fromN && dayNum(date) <= toN;
  const dueCache = new Map<string, { acknowledgementDue: LocalDate; feedbackDue: LocalDate }>();
  const end = compareLocalDates(today, period.to) < 0 ? today : period.to;
  const ackDays: number[] = [];
  const feedbackDays: number[] = [];
  const closeDays: number[] = [];

  // Open at the end of the period (or today, if earlier): the case's status ("closed since" for one
  // closed after it) and its age band on that day. The compact read works out the same for its quiet
  // cases in SQL (DashboardRepository.figureCases; the bands' bounds come from AGE_BANDS).
  const openAtEnd = (c: CaseFacts): void => {
    const closedByEnd =
      c.status === 'closed' && c.closedOn != null && compareLocalDates(c.closedOn, end) <= 0;
    if (compareLocalDates(c.receivedOn, end) > 0 || closedByEnd) return;
    add('openByStatus', c.status === 'closed' ? 'closed_since' : c.status, c.id);
    add('openByAge', ageBand(daysBetween(c.receivedOn, end)), c.id);
  };

  for (const group of quiet)
    for (const id of group.ids) {
      if (known.has(id)) continue;
      known.add(id);
      if (group.openStatus !== null && group.band !== null) {
        add('openByStatus', group.openStatus, id);
        add('openByAge', group.band, id);
      }
    }

  for (const c of cases) {
    if (known.has(c.id)) continue;
    known.add(c.id);
    if (inPeriod(c.receivedOn)) {
      add('received', '', c.id);
      add('byCategory', c.category, c.id);
      add('byChannel', c.channel, c.id);
      add('byMonth', c.receivedOn.slice(0, 7), c.id);
      if (!c.modeHidden) add('byMode', c.mode ?? 'not_recorded', c.id);
      if (c.category === 'retaliation') add('retaliation', 'received', c.id);

      // Acknowledgement: the statutory 7 days (a case acknowledged on day 7 is in time) and the due date
      // under the policy measured against (the council's own, or the default the case was opened under).
      const due = dueDates(c, policy, dueCache);
      if (c.acknowledgedOn) {
        const days = daysBetween(c.receivedOn, c.acknowledgedOn);
        ackDays.push(days);
        add(days <= STATUTORY_ACKNOWLEDGEMENT_DAYS ? 'ackWithinStatutory' : 'ackLate', '', c.id);
        if (compareLocalDates(c.acknowledgedOn, due.acknowledgementDue) <= 0)
          add('ackWithinPolicy', '', c.id);
      } else if (daysBetween(c.receivedOn, today) <= STATUTORY_ACKNOWLEDGEMENT_DAYS) {
        add('ackPending', '', c.id);
      } else {
        add('ackLate', '', c.id);
      }

      // Feedback against the case's feedback due date (3 months, restarted by a reopening).
      if (c.feedbackGivenOn) {
        feedbackDays.push(daysBetween(c.reopenedOn ?? c.receivedOn, c.feedbackGivenOn));
        add(
          compareLocalDates(c.feedbackGivenOn, c.feedbackDue) <= 0 ? 'feedbackWithin' : 'feedbackLate',
          '',
          c.id,
        );
      } else if (compareLocalDates(today, c.feedbackDue) <= 0) {
        add('feedbackPending', '', c.id);
      } else {
        add('feedbackLate', '', c.id);
      }
    }

    openAtEnd(c);

    if (c.status === 'closed' && c.closedOn && inPeriod(c.closedOn)) {
      const outcome = c.outcome ?? 'unknown';
      add('closed', '', c.id);
      add('closedByOutcome', outcome, c.id);
      closeDays.push(daysBetween(c.receivedOn, c.closedOn));
      if (INVESTIGATED_OUTCOMES.includes(outcome)) {
        add('investigated', c.category, c.id);
        if (UPHELD.includes(outcome)) add('substantiated', c.category, c.id);
        if (c.category === 'retaliation') {
          add('retaliation', 'investigated', c.id);
          if (UPHELD.includes(outcome)) add('retaliation', 'substantiated', c.id);
        }
      }
      if (outcome === 'referred_externally') {
        add('referredExternally', '', c.id);
        add('referralsByBody', referralGroupOf(c.referralGroup), c.id);
      }
    }
    if (inPeriod(c.reopenedOn)) add('reopened', '', c.id);
  }

  for (const e of events) {
    if (!known.has(e.caseId) || !inPeriod(e.on)) continue;
    if (e.kind === 'triage') addEvent('triage', e.key ?? 'unknown', e.caseId);
    else if (e.kind === 'transfer') addEvent('transferred', '', e.caseId);
    else if (e.kind === 'recusal') addEvent('recusals', '', e.caseId);
    else if (e.kind === 'namedLater') addEvent('namedLater', '', e.caseId);
    else addEvent('identityDisclosures', '', e.caseId);
  }
  // Recommendations of the counted cases: each counts once, whatever its case (a case may have many).
  // Overdue is measured on the status as it stands, against the earlier of today and the period's end.
  const recs = { raised: 0, implemented: 0, overdue: 0 };
  for (const r of recommendations) {
    if (!known.has(r.caseId)) continue;
    if (inPeriod(r.raisedOn)) recs.raised++;
    if (r.status === 'implemented' && inPeriod(r.statusOn)) recs.implemented++;
    if (compareLocalDates(r.raisedOn, end) <= 0 && recommendationOverdue(r, end)) recs.overdue++;
  }
  return { tally: t, recommendations: recs, ackDays, feedbackDays, closeDays };
}

export const countOf = (t: Tally, figure: DrillFigure, key = ''): number =>
  t.get(figure)?.get(key)?.length ?? 0;

function rows(t: Tally, figure: DrillFigure, known: readonly { key: string; label: string }[]): CountRow[] {
  const seen = t.get(figure) ?? new Map<string, string[]>();
  const result = known.map(({ key, label }) => ({ key, label, count: seen.get(key)?.length ?? 0 }));
  for (const [key, ids] of seen)
    if (!known.some((k) => k.key === key)) result.push({ key, label: key, count: ids.length });
  return result;
}

export const CATEGORY_ROWS = CATEGORIES.map((c) => ({ key: c.id, label: c.title }));
export const OUTCOME_ROWS = Object.entries(CASE_OUTCOME_LABELS).map(([key, label]) => ({ key, label }));
export const AGE_ROWS = AGE_BANDS.map((b) => ({ key: b.key as string, label: b.label as string }));
/** A case's stored referral group, or "not_recorded" for none (a case closed before it was kept). */
function referralGroupOf(code: string | null | undefined): ExternalBodyGroup | 'not_recorded' {
  return (EXTERNAL_BODY_GROUPS as readonly string[]).includes(code ?? '')
    ? (code as ExternalBodyGroup)
    : 'not_recorded';
}

/** Referrals by the group of their body (libs/domain EXTERNAL_BODY_GROUPS), short labels for the tables. */
export const REFERRAL_BODY_ROWS: readonly { key: string; label: string }[] = [
  ...EXTERNAL_BODY_GROUPS.map((key) => ({
    key,
    label: {
      police: 'Police and law enforcement',
      external_auditor: 'External auditor',
      regulators: 'Regulators',
      other: 'Other bodies',
    }[key],
  })),
  { key: 'not_recorded', label: 'Body not recorded' },
];

/** Reports by mode (docs/dashboard.md "Reports by mode"), `not_recorded` for reports from before. */
export const MODE_ROWS: readonly { key: string; label: string }[] = [
  { key: 'anonymous', label: 'Anonymous' },
  { key: 'confidential', label: 'Confidential' },
  { key: 'open', label: 'Open' },
  { key: 'not_recorded', label: 'Mode not recorded' },
];

export const RETALIATION_ROWS = [
  { key: 'received', label: 'Retaliation reports received' },
  { key: 'investigated', label: 'Investigated and closed' },
  { key: 'substantiated', label: 'Substantiated (fully or partly)' },
];

/**
 * Referrals by body group: shown when at least one of the period's referrals has its body recorded
 * (the rest count as "not recorded"); otherwise the reason there is nothing to break down.
 */
function referralsByBody(t: Tally): DashboardFigures['referrals']['byBody'] {
  const seen = t.get('referralsByBody');
  if (!seen?.size) return { available: false, reason: UNAVAILABLE.noReferrals };
  if (seen.size === 1 && seen.has('not_recorded'))
    return { available: false, reason: UNAVAILABLE.referralBodies };
  return { available: true, rows: rows(t, 'referralsByBody', REFERRAL_BODY_ROWS) };
}

/** Reports by mode: shown when at least one of the period's reports has its mode recorded. */
function reportsByMode(t: Tally): DashboardFigures['mode'] {
  const seen = t.get('byMode');
  if (!seen || [...seen.keys()].every((k) => k === 'not_recorded'))
    return { available: false, reason: UNAVAILABLE.mode };
  return { available: true, rows: rows(t, 'byMode', MODE_ROWS) };
}

export function figuresFrom(
  computed: Computed,
  period: Period,
  scope: DashboardScope,
  today: LocalDate,
  policy: MeasuredPolicy = measuredPolicy(),
): DashboardFigures {
  const t = computed.tally;
  const n = (f: DrillFigure, key = '') => countOf(t, f, key);
  const ackMeasured = n('ackWithinStatutory') + n('ackLate');
  const fbMeasured = n('feedbackWithin') + n('feedbackLate');
  const months = monthsOf(period).map((m) => ({ key: m, label: monthLabel(m) }));
  const openByStatus = rows(t, 'openByStatus', OPEN_STATUSES);
  return {
    period: describePeriod(period),
    scope,
    policy,
    computedOn: today,
    received: n('received'),
    byCategory: rows(t, 'byCategory', CATEGORY_ROWS),
    byChannel: rows(t, 'byChannel', CHANNELS),
    byMonth: rows(t, 'byMonth', months),
    mode: reportsByMode(t),
    openAtEnd: {
      total: openByStatus.reduce((s, r) => s + r.count, 0),
      byStatus: openByStatus,
      byAge: rows(t, 'openByAge', AGE_ROWS),
    },
    acknowledgement: {
      measured: ackMeasured,
      withinStatutory: n('ackWithinStatutory'),
      withinPolicy: n('ackWithinPolicy'),
      late: n('ackLate'),
      pending: n('ackPending'),
      percentWithinStatutory: percentage(n('ackWithinStatutory'), ackMeasured),
      percentWithinPolicy: percentage(n('ackWithinPolicy'), ackMeasured),
      medianDays: median(computed.ackDays),
    },
    feedback: {
      measured: fbMeasured,
      within: n('feedbackWithin'),
      late: n('feedbackLate'),
      pending: n('feedbackPending'),
      percentWithin: percentage(n('feedbackWithin'), fbMeasured),
      medianDays: median(computed.feedbackDays),
    },
    triage: rows(t, 'triage', TRIAGE_OUTCOMES),
    closedByOutcome: rows(t, 'closedByOutcome', OUTCOME_ROWS),
    substantiation: CATEGORY_ROWS.filter(({ key }) => n('investigated', key) > 0).map(({ key, label }) => {
      const investigated = n('investigated', key);
      const ofCategory = new Set(t.get('investigated')?.get(key));
      const closedWith = (o: string) =>
        (t.get('closedByOutcome')?.get(o) ?? []).filter((id) => ofCategory.has(id)).length;
      const substantiated = closedWith('substantiated');
      const partiallySubstantiated = closedWith('partially_substantiated');
      return {
        key,
        label,
        investigated,
        substantiated,
        partiallySubstantiated,
        notSubstantiated: closedWith('not_substantiated'),
        rate: percentage(substantiated + partiallySubstantiated, investigated),
      };
    }),
    timeToClose: {
      closed: n('closed'),
      medianDays: median(computed.closeDays),
      p90Days: percentile(computed.closeDays, 90),
    },
    referrals: {
      referredExternally: n('referredExternally'),
      byBody: referralsByBody(t),
    },
    retaliation: {
      received: n('retaliation', 'received'),
      investigated: n('retaliation', 'investigated'),
      substantiated: n('retaliation', 'substantiated'),
    },
    reopened: n('reopened'),
    transferred: n('transferred'),
    recommendations: computed.recommendations,
    discontinuedForAnonymity: { available: false, reason: UNAVAILABLE.anonymity },
    accessExceptions: {
      recusals: n('recusals'),
      namedLater: n('namedLater'),
      identityDisclosures: n('identityDisclosures'),
    },
  };
}

/** The words for a drill-down's list. */
export function drillTitle(figure: DrillFigure, key: string | null): string {
  const k = key ?? '';
  const find = (list: readonly { key: string; label: string }[]) => list.find((r) => r.key === k)?.label ?? k;
  switch (figure) {
    case 'received':
      return 'Reports received in the period';
    case 'byCategory':
      return `Reports received: ${categoryLabel(k)}`;
    case 'byChannel':
      return `Reports received by ${find(CHANNELS).toLowerCase()}`;
    case 'byMonth':
      return `Reports received in ${monthLabel(k)}`;
    case 'byMode':
      return `Reports received by mode: ${find(MODE_ROWS).toLowerCase()}`;
    case 'openByStatus':
      return `Open at the end of the period: ${find(OPEN_STATUSES)}`;
    case 'openByAge':
      return `Open at the end of the period, ${find(AGE_ROWS)} old`;
    case 'ackWithinStatutory':
      return 'Acknowledged within 7 days';
    case 'ackWithinPolicy':
      return 'Acknowledged by the policy’s due date';
    case 'ackLate':
      return 'Acknowledged late, or not yet and overdue';
    case 'ackPending':
      return 'Not yet acknowledged, still in time';
    case 'feedbackWithin':
      return 'Feedback given by its due date';
    case 'feedbackLate':
      return 'Feedback late, or not yet and overdue';
    case 'feedbackPending':
      return 'No feedback yet, still in time';
    case 'triage':
      return `Assessed in the period: ${find(TRIAGE_OUTCOMES)}`;
    case 'closedByOutcome':
      return `Closed in the period: ${outcomeLabel(k)}`;
    case 'substantiated':
      return `Substantiated (fully or partly): ${categoryLabel(k)}`;
    case 'investigated':
      return `Investigated and closed: ${categoryLabel(k)}`;
    case 'closed':
      return 'Closed in the period';
    case 'referredExternally':
      return 'Closed by an external referral';
    case 'referralsByBody':
      return `Closed by an external referral: ${find(REFERRAL_BODY_ROWS).toLowerCase()}`;
    case 'retaliation':
      return find(RETALIATION_ROWS);
    case 'reopened':
      return 'Reopened in the period';
    case 'transferred':
      return 'Transferred to another handler in the period';
    case 'recusals':
      return 'Cases with a recusal in the period';
    case 'namedLater':
      return 'Cases where someone was named later as involved';
    case 'identityDisclosures':
      return 'Cases where the reporter’s identity was disclosed to a handler';
  }
}

export function drillCases(cases: readonly CaseFacts[], ids: readonly string[]): DrillCase[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  return ids
    .map((id) => byId.get(id))
    .filter((c): c is CaseFacts => c !== undefined)
    .sort((a, b) =>
      a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : a.reference < b.reference ? -1 : 1,
    )
    .map((c) => ({
      reference: c.reference,
      category: c.category,
      status: c.status,
      channel: c.channel,
      receivedOn: c.receivedOn,
      acknowledgedOn: c.acknowledgedOn,
      closedOn: c.closedOn,
      outcome: c.outcome,
    }));
}
