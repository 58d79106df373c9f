/**
 * The published summary (the audit committee chair's view, the annual report's public part) from the
 * viewer's figures, under libs/domain's small-number suppression (docs/dashboard.md "The published
 * summary"). Lines that share a total (reports by category, by channel and by mode all add up to the
 * reports received) are published together: if either has to withhold the total, it is withheld in both and as
 * the headline, so one line cannot give away what the other hid. A rate or median is published only
 * when every count behind it is at or above the threshold.
 */
import type {
  CountRow,
  DashboardFigures,
  PublishedLine,
  PublishedRate,
  PublishedSummary,
} from '@nolan/contract';
import {
  type PublishedTable,
  type PublishedValue,
  publishedText,
  suppressCount,
  suppressLine,
  suppressLineWithin,
} from '@nolan/domain';
import { MODE_ROWS, REFERRAL_BODY_ROWS } from './figures';

const WITHHELD: PublishedValue = { kind: 'withheld' };

function line(table: PublishedTable, labels: readonly CountRow[], total?: PublishedValue): PublishedLine {
  const t = total ?? table.total;
  return {
    rows: table.cells.map((cell) => ({
      key: cell.key,
      label: labels.find((l) => l.key === cell.key)?.label ?? cell.key,
      published: cell.published,
      text: publishedText(cell.published),
    })),
    total: t,
    totalText: publishedText(t),
  };
}

const cells = (rows: readonly CountRow[]) => rows.map((r) => ({ key: r.key, count: r.count }));

function rate(
  value: number | null,
  counts: readonly number[],
  threshold: number,
  unit: string,
): PublishedRate {
  if (value === null) return { value: null, text: 'none in the period' };
  if (counts.some((c) => c < threshold))
    return { value: null, text: `not published (fewer than ${threshold} cases behind it)` };
  return { value, text: `${value}${unit}` };
}

/** The referrals by body's rows, all "not recorded" when no body of the period was recorded. */
function referralBodyRows(figures: DashboardFigures): CountRow[] {
  const byBody = figures.referrals.byBody;
  if (byBody.available) return byBody.rows;
  return REFERRAL_BODY_ROWS.map(({ key, label }) => ({
    key,
    label,
    count: key === 'not_recorded' ? figures.referrals.referredExternally : 0,
  }));
}

/** The reports by mode's rows, all "not recorded" when no report of the period has its mode recorded. */
function modeRows(figures: DashboardFigures): CountRow[] {
  if (figures.mode.available) return figures.mode.rows;
  return MODE_ROWS.map(({ key, label }) => ({
    key,
    label,
    count: key === 'not_recorded' ? figures.received : 0,
  }));
}

export function publishSummary(figures: DashboardFigures, threshold: number): PublishedSummary {
  const byCategory = suppressLine(cells(figures.byCategory), threshold);
  const byChannel = suppressLine(cells(figures.byChannel), threshold);
  // Reports by mode: when none of the period's reports has its mode recorded, the line says nothing
  // the total does not (every report "not recorded"), so its rows are withheld and it leaves the shared
  // total to the other lines; otherwise it is published with them.
  const byModeRows = modeRows(figures);
  const byMode = figures.mode.available
    ? suppressLine(cells(byModeRows), threshold)
    : suppressLineWithin(cells(byModeRows), WITHHELD, threshold);
  const totalHidden = [byCategory, byChannel, ...(figures.mode.available ? [byMode] : [])].some(
    (l) => l.total.kind === 'withheld',
  );
  const received = totalHidden ? WITHHELD : suppressCount(figures.received, threshold);
  const retaliationCell = byCategory.cells.find((c) => c.key === 'retaliation')?.published ?? WITHHELD;
  const retaliationRows: CountRow[] = [
    {
      key: 'investigated_upheld',
      label: 'Investigated: substantiated (fully or partly)',
      count: figures.retaliation.substantiated,
    },
    {
      key: 'investigated_not_upheld',
      label: 'Investigated: not substantiated',
      count: figures.retaliation.investigated - figures.retaliation.substantiated,
    },
  ];
  // Referrals by body: the rows add up to the cases closed as referred externally, so the line's total
  // is that outcome's cell of the closures line, published only where that line shows it.
  const closures = suppressLine(cells(figures.closedByOutcome), threshold);
  const referredCell = closures.cells.find((c) => c.key === 'referred_externally')?.published ?? WITHHELD;
  const bodyRows = referralBodyRows(figures);
  const ack = figures.acknowledgement;
  const fb = figures.feedback;
  return {
    period: figures.period,
    policy: figures.policy,
    threshold,
    received,
    receivedText: publishedText(received),
    byCategory: line(byCategory, figures.byCategory, totalHidden ? WITHHELD : undefined),
    byChannel: line(byChannel, figures.byChannel, totalHidden ? WITHHELD : undefined),
    byMode: line(byMode, byModeRows, received),
    triage: line(suppressLine(cells(figures.triage), threshold), figures.triage),
    closedByOutcome: line(closures, figures.closedByOutcome),
    referralsByBody: line(suppressLineWithin(cells(bodyRows), referredCell, threshold), bodyRows),
    // Retaliation cases closed after investigation, split by finding; the line's total is its own (the
    // closed ones), published only where that count is safe on its own.
    retaliation: line(
      suppressLineWithin(
        cells(retaliationRows),
        retaliationCell.kind === 'shown'
          ? suppressCount(figures.retaliation.investigated, threshold)
          : WITHHELD,
        threshold,
      ),
      retaliationRows,
    ),
    openAtEnd: suppressCount(figures.openAtEnd.total, threshold),
    openAtEndText: publishedText(suppressCount(figures.openAtEnd.total, threshold)),
    acknowledgedWithinStatutory: rate(
      ack.percentWithinStatutory,
      [ack.withinStatutory, ack.late],
      threshold,
      '%',
    ),
    medianDaysToAcknowledge: rate(ack.medianDays, [ack.measured], threshold, ' days'),
    feedbackWithin: rate(fb.percentWithin, [fb.within, fb.late], threshold, '%'),
    medianTimeToClose: rate(figures.timeToClose.medianDays, [figures.timeToClose.closed], threshold, ' days'),
    notes: [
      `Counts below ${threshold} are shown as "fewer than ${threshold}"; where one hidden count could be worked out from a total, another count is withheld too.`,
      'A percentage or median is published only when every count behind it is at least the threshold.',
      figures.policy.description,
    ],
  };
}
