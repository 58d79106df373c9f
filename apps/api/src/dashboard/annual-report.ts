/**
 * The annual report to the audit and standards committee for a financial year (issue #16; docs/dashboard.md
 * "The annual report"): the public summary (suppressed counts only) and the exempt detail (the
 * monitoring officer's full figures) as separate PDFs with real text (pdf-lib, standard fonts), each
 * table as CSV, and the Transparency Code fraud figures as a CSV of their own (docs/regulatory.md UK-24).
 */
import type {
  AnnualReportBreakdown,
  AnnualReportTable,
  DashboardFigures,
  PublishedLine,
  PublishedSummary,
} from '@nolan/contract';
import { publishedText, suppressCount } from '@nolan/domain';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { CaseFacts, Computed } from './figures';

/**
 * One table of the report. `note` says what its figures were measured against (the SLA policy, for the
 * clocks): the PDF prints it under the table and the CSV as its last row, so each says its policy.
 */
type Table = { title: string; header: [string, string]; rows: [string, string][]; note?: string };

const fmt = (v: number | null, unit = ''): string => (v === null ? 'none' : `${v}${unit}`);

function publishedTable(title: string, line: PublishedLine, total = 'Total'): Table {
  return {
    title,
    header: ['', 'Number'],
    rows: [...line.rows.map((r): [string, string] => [r.label, r.text]), [total, line.totalText]],
  };
}

/** The public summary's tables, in the order the PDF prints them. */
export function summaryTables(s: PublishedSummary): Record<string, Table> {
  return {
    'summary-headlines': {
      title: 'Headline figures',
      header: ['Figure', 'Value'],
      rows: [
        ['Reports received', s.receivedText],
        ['Open at the end of the year', s.openAtEndText],
        ['Acknowledged within 7 days', s.acknowledgedWithinStatutory.text],
        ['Median days to acknowledge', s.medianDaysToAcknowledge.text],
        [`Feedback within ${s.policy.feedbackMonths} months`, s.feedbackWithin.text],
        ['Median days to close', s.medianTimeToClose.text],
      ],
      note: s.policy.description,
    },
    'summary-by-category': publishedTable('Reports by category', s.byCategory),
    'summary-by-channel': publishedTable('Reports by channel', s.byChannel),
    'summary-by-mode': publishedTable('Reports by mode', s.byMode),
    'summary-triage': publishedTable('Assessment outcomes', s.triage),
    'summary-outcomes': publishedTable('Cases closed, by outcome', s.closedByOutcome),
    'summary-retaliation': publishedTable(
      'Retaliation reports investigated',
      s.retaliation,
      'Investigated and closed',
    ),
    'summary-referrals': publishedTable(
      'Cases referred externally, by body',
      s.referralsByBody,
      'Referred externally',
    ),
  };
}

const count = (rows: { label: string; count: number }[]): [string, string][] =>
  rows.map((r) => [r.label, String(r.count)]);

/** The exempt detail's tables: every figure, unsuppressed. */
export function exemptTables(f: DashboardFigures): Record<string, Table> {
  const a = f.acknowledgement;
  const fb = f.feedback;
  return {
    'exempt-by-category': {
      title: 'Reports by category',
      header: ['Category', 'Number'],
      rows: [...count(f.byCategory), ['Total', String(f.received)]],
    },
    'exempt-by-channel': {
      title: 'Reports by channel',
      header: ['Channel', 'Number'],
      rows: [...count(f.byChannel), ['Total', String(f.received)]],
    },
    'exempt-by-month': {
      title: 'Reports by month',
      header: ['Month', 'Number'],
      rows: [...count(f.byMonth), ['Total', String(f.received)]],
    },
    'exempt-open': {
      title: 'Open at the end of the period',
      header: ['Status or age', 'Number'],
      rows: [
        ...count(f.openAtEnd.byStatus),
        ...count(f.openAtEnd.byAge),
        ['Total open', String(f.openAtEnd.total)],
      ],
    },
    'exempt-clocks': {
      title: 'Acknowledgement and feedback',
      header: ['Figure', 'Value'],
      rows: [
        ['Acknowledgements measured', String(a.measured)],
        ['Acknowledged within 7 days', String(a.withinStatutory)],
        ['Acknowledged by the policy due date', String(a.withinPolicy)],
        ['Acknowledged late or overdue', String(a.late)],
        ['Not yet due', String(a.pending)],
        ['Percentage within 7 days', fmt(a.percentWithinStatutory, '%')],
        ['Median days to acknowledge', fmt(a.medianDays)],
        ['Feedback measured', String(fb.measured)],
        ['Feedback by its due date', String(fb.within)],
        ['Feedback late or overdue', String(fb.late)],
        ['Feedback not yet due', String(fb.pending)],
        ['Percentage with feedback in time', fmt(fb.percentWithin, '%')],
        ['Median days to feedback', fmt(fb.medianDays)],
      ],
      note: f.policy.description,
    },
    'exempt-triage': { title: 'Assessment outcomes', header: ['Outcome', 'Number'], rows: count(f.triage) },
    'exempt-outcomes': {
      title: 'Cases closed, by outcome',
      header: ['Outcome', 'Number'],
      rows: count(f.closedByOutcome),
    },
    'exempt-substantiation': {
      title: 'Substantiation rate by category',
      header: ['Category', 'Investigated; upheld; rate'],
      rows: f.substantiation.map((r): [string, string] => [
        r.label,
        `${r.investigated}; ${r.substantiated + r.partiallySubstantiated}; ${fmt(r.rate, '%')}`,
      ]),
    },
    'exempt-other': {
      title: 'Other figures',
      header: ['Figure', 'Value'],
      rows: [
        ['Cases closed', String(f.timeToClose.closed)],
        ['Median days to close', fmt(f.timeToClose.medianDays)],
        ['90th percentile days to close', fmt(f.timeToClose.p90Days)],
        ['Referred externally', String(f.referrals.referredExternally)],
        ['Retaliation reports received', String(f.retaliation.received)],
        ['Retaliation reports investigated', String(f.retaliation.investigated)],
        ['Retaliation reports substantiated', String(f.retaliation.substantiated)],
        ['Reopened', String(f.reopened)],
        ['Transferred to another handler', String(f.transferred)],
        ['Cases with a recusal', String(f.accessExceptions.recusals)],
        ['Cases with someone named later', String(f.accessExceptions.namedLater)],
        ['Identity disclosures', String(f.accessExceptions.identityDisclosures)],
        ['Recommendations raised', String(f.recommendations.raised)],
        ['Recommendations implemented', String(f.recommendations.implemented)],
        ['Recommendations overdue', String(f.recommendations.overdue)],
      ],
    },
  };
}

/** The exempt breakdowns besides the exempt tables (contract ANNUAL_REPORT_BREAKDOWNS), unsuppressed. */
export function breakdownTables(f: DashboardFigures): Record<AnnualReportBreakdown, Table> {
  const byBody = f.referrals.byBody;
  const mode = f.mode;
  return {
    'exempt-referrals-by-body': {
      title: 'Cases referred externally, by body',
      header: ['Body', 'Number'],
      rows: [
        ...(byBody.available
          ? count(byBody.rows)
          : [['Body not recorded', String(f.referrals.referredExternally)] as [string, string]]),
        ['Referred externally', String(f.referrals.referredExternally)],
      ],
      ...(byBody.available ? {} : { note: byBody.reason }),
    },
    // Reports by mode, from when the mode was recorded (docs/dashboard.md "Reports by mode").
    'exempt-by-mode': {
      title: 'Reports by mode',
      header: ['Mode', 'Number'],
      rows: [
        ...(mode.available
          ? count(mode.rows)
          : [['Mode not recorded', String(f.received)] as [string, string]]),
        ['Total', String(f.received)],
      ],
      ...(mode.available ? {} : { note: mode.reason }),
    },
  };
}

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const toCsv = (rows: string[][]): Buffer =>
  Buffer.from(rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n', 'utf8');

export function annualReportCsv(table: AnnualReportTable, s: PublishedSummary, f: DashboardFigures): Buffer {
  const t = (table.startsWith('summary-') ? summaryTables(s) : { ...exemptTables(f), ...breakdownTables(f) })[
    table
  ];
  if (!t) throw new RangeError(`No table ${table}`);
  const header = [t.header[0] || 'Row', t.header[1]];
  const note = table === 'exempt-referrals-by-body' || table === 'exempt-by-mode' ? 'Note' : 'SLA policy';
  return toCsv([header, ...t.rows, ...(t.note ? [[note, t.note]] : [])]);
}

const FRAUD_CATEGORIES = ['fraud_theft', 'bribery_corruption', 'misuse_of_public_funds'];

/**
 * The Local Government Transparency Code 2015 fraud dataset (UK-24). Nolan records only the last of its
 * measures, the number of fraud cases investigated: fraud, bribery and misuse-of-funds cases whose
 * assessment opened an investigation in the year. The others (staff, specialists, spend, housing-fraud
 * powers) are not case data and are marked as not recorded.
 */
export function transparencyFraudCsv(
  f: DashboardFigures,
  computed: Computed,
  cases: readonly CaseFacts[],
): Buffer {
  const investigated = computed.tally.get('triage')?.get('investigation') ?? [];
  const byId = new Map(cases.map((c) => [c.id, c]));
  const fraud = investigated.filter((id) => FRAUD_CATEGORIES.includes(byId.get(id)?.category ?? '')).length;
  const notRecorded = 'not recorded in Nolan';
  return toCsv([
    ['Measure', 'Value', 'Period', 'Note'],
    [
      'Number of occasions powers under the Prevention of Social Housing Fraud Regulations 2014 were used',
      notRecorded,
      f.period.label,
      '',
    ],
    [
      'Total number (absolute and full-time equivalent) of employees undertaking fraud investigations and prosecutions',
      notRecorded,
      f.period.label,
      '',
    ],
    [
      'Total number (absolute and full-time equivalent) of professionally accredited counter fraud specialists',
      notRecorded,
      f.period.label,
      '',
    ],
    ['Total amount spent on the investigation and prosecution of fraud', notRecorded, f.period.label, ''],
    [
      'Total number of fraud cases investigated',
      publishedText(suppressCount(fraud)),
      f.period.label,
      'Fraud, bribery and misuse of public money cases whose assessment opened an investigation in the year; counts below 5 are shown as "fewer than 5".',
    ],
  ]);
}

/** Standard PDF fonts encode WinAnsi only: anything else is replaced rather than failing the download. */
const winAnsi = (text: string): string =>
  text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/[^\x20-\x7e£]/g, '?');

class Writer {
  private page!: PDFPage;
  private y = 0;
  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }
  private newPage(): void {
    this.page = this.doc.addPage([595, 842]);
    this.y = 790;
  }
  private room(height: number): void {
    if (this.y - height < 50) this.newPage();
  }
  text(text: string, size = 10, bold = false, x = 50): void {
    const font = bold ? this.bold : this.font;
    const words = winAnsi(text).split(' ');
    let lineText = '';
    const lines: string[] = [];
    for (const w of words) {
      const next = lineText ? `${lineText} ${w}` : w;
      if (font.widthOfTextAtSize(next, size) > 545 - x && lineText) {
        lines.push(lineText);
        lineText = w;
      } else lineText = next;
    }
    if (lineText) lines.push(lineText);
    for (const l of lines) {
      this.room(size + 4);
      this.page.drawText(l, { x, y: this.y, size, font, color: rgb(0.04, 0.05, 0.05) });
      this.y -= size + 4;
    }
  }
  gap(h = 8): void {
    this.y -= h;
  }
  table(t: Table): void {
    this.room(60);
    this.text(t.title, 12, true);
    for (const [label, value] of t.rows) {
      this.room(14);
      this.page.drawText(winAnsi(label).slice(0, 80), { x: 60, y: this.y, size: 10, font: this.font });
      this.page.drawText(winAnsi(value), { x: 400, y: this.y, size: 10, font: this.bold });
      this.y -= 14;
    }
    if (t.note) this.text(t.note, 9, false, 60);
    this.gap();
  }
}

export async function annualReportPdf(
  council: string,
  part: 'summary' | 'exempt',
  s: PublishedSummary,
  f: DashboardFigures,
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const title =
    part === 'summary'
      ? `Whistleblowing annual report ${s.period.label}: public summary`
      : `Whistleblowing annual report ${f.period.label}: exempt detail`;
  doc.setTitle(title);
  doc.setAuthor(council);
  doc.setCreator('Nolan');
  doc.setProducer('Nolan');
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  w.text(council, 12, true);
  w.text(title, 16, true);
  w.text(`Financial year ${f.period.from} to ${f.period.to}. ${f.policy.description}`);
  w.gap(12);
  if (part === 'summary') {
    w.text('For publication. Small numbers are suppressed so that no one can be identified.', 10);
    for (const note of s.notes) w.text(note, 9);
    w.gap(8);
    for (const t of Object.values(summaryTables(s))) w.table(t);
  } else {
    w.text(
      'Not for publication: exempt information (Local Government Act 1972, Schedule 12A). Every figure is shown without suppression.',
      10,
      true,
    );
    w.gap(8);
    for (const t of Object.values(exemptTables(f))) w.table(t);
    for (const t of Object.values(breakdownTables(f))) w.table(t);
    w.text('Not available', 12, true);
    w.text(f.discontinuedForAnonymity.reason, 9);
  }
  return Buffer.from(await doc.save());
}
