/**
 * The figures pages (issue #16; docs/dashboard.md): the monitoring officer's dashboard (a handler sees
 * the same page over their own cases), the cases behind a figure, and the annual report's downloads.
 * The period is chosen with GET forms, the charts are SVG drawn on the server with a table of the same
 * numbers beside each, so every page works with JavaScript off. The API decides who sees what; the
 * chair is sent to their own page (the published summary) and an administrator gets "you cannot use
 * this page".
 */
import { Controller, Get, Param, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  CATEGORIES,
  financialYearLabel,
  financialYearOf,
  toLondonDate,
} from '@nolan/domain';
import type { CountRow, DashboardFigures } from '@nolan/contract';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { DashboardApi, type PeriodChoice } from '../api/dashboard-api';
import { formatDate } from './case-view';
import { barChart } from './dashboard-charts';
import { CurrentStaff, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const onlyChair = (staff: StaffSession) => staff.roles.every((r) => r === 'audit_committee_chair');

/** The period fields of a query, blanks dropped (the forms send every field). */
function choice(query: Record<string, unknown>): PeriodChoice {
  const pick = (name: string) => {
    const v = query[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 20) : undefined;
  };
  const from = pick('from');
  const to = pick('to');
  const year = pick('year');
  return from || to ? { from, to } : year ? { year } : {};
}

/** The last six financial years, newest first, for the year chooser. */
export function yearOptions(today: string, selected?: string) {
  const start = Number(financialYearOf(today).from.slice(0, 4));
  return Array.from({ length: 6 }, (_, i) => {
    const year = String(start - i);
    const period = financialYearOf(`${year}-04-01`);
    return { value: year, text: financialYearLabel(period), selected: year === selected };
  });
}

function drillHref(figure: string, key: string, f: DashboardFigures): string {
  const q = new URLSearchParams({ figure, from: f.period.from, to: f.period.to });
  if (key) q.set('key', key);
  return `/staff/figures/cases?${q.toString()}`;
}

/** A count linked to its drill-down (plain text when there is nothing to list). */
function countCell(count: number, figure: string, key: string, f: DashboardFigures, label: string) {
  if (count === 0) return { text: '0', format: 'numeric' };
  return {
    html: `<a class="govuk-link" href="${escapeHtml(drillHref(figure, key, f))}">${count}<span class="govuk-visually-hidden"> cases: ${escapeHtml(label)}</span></a>`,
    format: 'numeric',
  };
}

function tableRows(rows: readonly CountRow[], figure: string, f: DashboardFigures) {
  return rows.map((r) => [{ text: r.label }, countCell(r.count, figure, r.key, f, r.label)]);
}

const CATEGORY_TITLE = new Map(CATEGORIES.map((c) => [c.id as string, c.title]));

@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class DashboardController {
  constructor(private readonly api: DashboardApi) {}

  @Get('figures')
  async figures(
    @CurrentStaff() staff: StaffSession,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ) {
    if (onlyChair(staff)) return res.redirect(303, '/staff/committee');
    const period = choice(query);
    const today = toLondonDate(new Date());
    let f: DashboardFigures;
    try {
      f = await this.api.figures(staff.token, period);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 400) {
        const summary = error.messages.map((text) => ({
          text,
          href: text.startsWith('to') ? '#to' : text.startsWith('year') ? '#year' : '#from',
        }));
        return res.status(400).render('staff/figures', {
          section: 'figures',
          errors: { summary },
          form: { from: period.from ?? '', to: period.to ?? '' },
          years: yearOptions(today),
        });
      }
      throw error;
    }
    const charts = {
      byCategory: await barChart(
        'chart-category',
        'Reports received by category',
        f.byCategory.filter((r) => r.count > 0),
        'Reports',
      ),
      byChannel: await barChart('chart-channel', 'Reports received by channel', f.byChannel, 'Reports'),
      byMonth: await barChart('chart-month', 'Reports received by month', f.byMonth, 'Reports'),
      byAge: await barChart('chart-age', 'Open cases by age', f.openAtEnd.byAge, 'Cases'),
      triage: await barChart('chart-triage', 'Assessment outcomes', f.triage, 'Cases'),
      referralsByBody: f.referrals.byBody.available
        ? await barChart('chart-referrals', 'Referrals by body', f.referrals.byBody.rows, 'Cases')
        : '',
    };
    const a = f.acknowledgement;
    const fb = f.feedback;
    const pct = (v: number | null) => (v === null ? 'none measured' : `${v}%`);
    const days = (v: number | null) => (v === null ? 'none' : `${v} days`);
    res.render('staff/figures', {
      section: 'figures',
      f,
      council: f.scope === 'council',
      form: { from: period.from ?? '', to: period.to ?? '' },
      years: yearOptions(
        today,
        period.year ?? (f.period.financialYear ? f.period.from.slice(0, 4) : undefined),
      ),
      periodText: f.period.financialYear
        ? `Financial year ${f.period.label} (${formatDate(f.period.from)} to ${formatDate(f.period.to)})`
        : `${formatDate(f.period.from)} to ${formatDate(f.period.to)}`,
      charts,
      receivedCell: countCell(f.received, 'received', '', f, 'received'),
      categoryRows: tableRows(
        f.byCategory.filter((r) => r.count > 0),
        'byCategory',
        f,
      ),
      channelRows: tableRows(f.byChannel, 'byChannel', f),
      monthRows: tableRows(f.byMonth, 'byMonth', f),
      // Reports by mode (docs/dashboard.md "Reports by mode"): a table when any of the period's reports
      // has its mode recorded, else the reason among the figures Nolan cannot give.
      modeRows: f.mode.available ? tableRows(f.mode.rows, 'byMode', f) : [],
      statusRows: tableRows(f.openAtEnd.byStatus, 'openByStatus', f),
      ageRows: tableRows(f.openAtEnd.byAge, 'openByAge', f),
      triageRows: tableRows(f.triage, 'triage', f),
      // Referrals by body (docs/dashboard.md "What each figure counts"): a chart and table when any of
      // the period's referrals has its body recorded, else the reason among the figures Nolan cannot give.
      referralRows: f.referrals.byBody.available
        ? tableRows(f.referrals.byBody.rows, 'referralsByBody', f)
        : [],
      outcomeRows: tableRows(
        f.closedByOutcome.filter((r) => r.count > 0),
        'closedByOutcome',
        f,
      ),
      clockRows: [
        [
          { text: 'Acknowledged within 7 days' },
          countCell(a.withinStatutory, 'ackWithinStatutory', '', f, 'acknowledged within 7 days'),
          { text: pct(a.percentWithinStatutory), format: 'numeric' },
        ],
        [
          {
            text: `Acknowledged by the policy’s due date (${f.policy.acknowledgementDays} ${f.policy.acknowledgementUnit} days)`,
          },
          countCell(a.withinPolicy, 'ackWithinPolicy', '', f, 'acknowledged by the due date'),
          { text: pct(a.percentWithinPolicy), format: 'numeric' },
        ],
        [
          { text: 'Acknowledged late, or overdue' },
          countCell(a.late, 'ackLate', '', f, 'acknowledged late'),
          { text: '' },
        ],
        [
          { text: 'Not yet acknowledged, still in time' },
          countCell(a.pending, 'ackPending', '', f, 'not yet acknowledged'),
          { text: '' },
        ],
        [
          { text: `Feedback within ${f.policy.feedbackMonths} months` },
          countCell(fb.within, 'feedbackWithin', '', f, 'feedback in time'),
          { text: pct(fb.percentWithin), format: 'numeric' },
        ],
        [
          { text: 'Feedback late, or overdue' },
          countCell(fb.late, 'feedbackLate', '', f, 'feedback late'),
          { text: '' },
        ],
        [
          { text: 'No feedback yet, still in time' },
          countCell(fb.pending, 'feedbackPending', '', f, 'no feedback yet'),
          { text: '' },
        ],
      ],
      medians: [
        { key: { text: 'Median days to acknowledge' }, value: { text: days(a.medianDays) } },
        { key: { text: 'Median days to feedback' }, value: { text: days(fb.medianDays) } },
        { key: { text: 'Median days to close' }, value: { text: days(f.timeToClose.medianDays) } },
        { key: { text: '90th percentile days to close' }, value: { text: days(f.timeToClose.p90Days) } },
      ],
      substantiationRows: f.substantiation.map((r) => [
        { text: r.label },
        countCell(r.investigated, 'investigated', r.key, f, `investigated, ${r.label}`),
        countCell(
          r.substantiated + r.partiallySubstantiated,
          'substantiated',
          r.key,
          f,
          `substantiated, ${r.label}`,
        ),
        { text: pct(r.rate), format: 'numeric' },
      ]),
      otherRows: [
        [{ text: 'Cases closed' }, countCell(f.timeToClose.closed, 'closed', '', f, 'closed')],
        [
          { text: 'Referred externally' },
          countCell(f.referrals.referredExternally, 'referredExternally', '', f, 'referred externally'),
        ],
        [
          { text: 'Retaliation reports received' },
          countCell(f.retaliation.received, 'retaliation', 'received', f, 'retaliation received'),
        ],
        [
          { text: 'Retaliation reports investigated' },
          countCell(f.retaliation.investigated, 'retaliation', 'investigated', f, 'retaliation investigated'),
        ],
        [
          { text: 'Retaliation reports substantiated' },
          countCell(
            f.retaliation.substantiated,
            'retaliation',
            'substantiated',
            f,
            'retaliation substantiated',
          ),
        ],
        [{ text: 'Reopened' }, countCell(f.reopened, 'reopened', '', f, 'reopened')],
        // Counted per recommendation, not per case, so no list of cases behind them.
        [{ text: 'Recommendations raised' }, { text: String(f.recommendations.raised), format: 'numeric' }],
        [
          { text: 'Recommendations implemented' },
          { text: String(f.recommendations.implemented), format: 'numeric' },
        ],
        [{ text: 'Recommendations overdue' }, { text: String(f.recommendations.overdue), format: 'numeric' }],
        [
          { text: 'Transferred to another handler' },
          countCell(f.transferred, 'transferred', '', f, 'transferred'),
        ],
        [
          { text: 'Cases with a recusal' },
          countCell(f.accessExceptions.recusals, 'recusals', '', f, 'with a recusal'),
        ],
        [
          { text: 'Cases with someone named later as involved' },
          countCell(f.accessExceptions.namedLater, 'namedLater', '', f, 'named later'),
        ],
        [
          { text: 'Reporter’s identity disclosed to a handler' },
          countCell(
            f.accessExceptions.identityDisclosures,
            'identityDisclosures',
            '',
            f,
            'identity disclosed',
          ),
        ],
      ],
      unavailable: [
        ...(f.mode.available
          ? []
          : [{ title: 'Reports by mode (anonymous, confidential, open)', reason: f.mode.reason }]),
        ...(f.referrals.byBody.available
          ? []
          : [{ title: 'Referrals by body', reason: f.referrals.byBody.reason }]),
        {
          title: 'Investigations discontinued because of anonymity',
          reason: f.discontinuedForAnonymity.reason,
        },
      ],
    });
  }

  @Get('figures/cases')
  async cases(
    @CurrentStaff() staff: StaffSession,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ) {
    if (onlyChair(staff)) return res.redirect(303, '/staff/committee');
    const figure = typeof query['figure'] === 'string' ? query['figure'].slice(0, 40) : '';
    const key =
      typeof query['key'] === 'string' && query['key'] !== '' ? query['key'].slice(0, 40) : undefined;
    const period = choice(query);
    const d = await this.api.drill(staff.token, period, figure, key);
    const back = new URLSearchParams({ from: d.period.from, to: d.period.to });
    res.render('staff/figures-cases', {
      section: 'figures',
      d,
      backHref: `/staff/figures?${back.toString()}`,
      periodText: d.period.financialYear
        ? `Financial year ${d.period.label}`
        : `${formatDate(d.period.from)} to ${formatDate(d.period.to)}`,
      rows: d.cases.map((c) => [
        {
          html: `<a class="govuk-link" href="/staff/cases/${escapeHtml(c.reference)}">${escapeHtml(c.reference)}</a>`,
        },
        { text: CATEGORY_TITLE.get(c.category) ?? c.category },
        { text: (CASE_STATUS_LABELS as Record<string, string>)[c.status] ?? c.status },
        { text: formatDate(c.receivedOn) },
        { text: formatDate(c.acknowledgedOn) || '—' },
        { text: c.outcome ? ((CASE_OUTCOME_LABELS as Record<string, string>)[c.outcome] ?? c.outcome) : '—' },
      ]),
    });
  }

  @Get('figures/annual-report')
  annualReport(
    @CurrentStaff() staff: StaffSession,
    @Query('year') year: string | undefined,
    @Res() res: Response,
  ) {
    if (staff.roles.includes('administrator')) return res.status(403).render('staff/forbidden');
    const council = staff.roles.some((r) => r === 'monitoring_officer' || r === 'deputy_monitoring_officer');
    const chair = staff.roles.includes('audit_committee_chair');
    if (!council && !chair) return res.status(403).render('staff/forbidden');
    const today = toLondonDate(new Date());
    const years = yearOptions(today, typeof year === 'string' ? year : undefined);
    const chosen = years.find((y) => y.selected) ?? (years[1] as (typeof years)[number]);
    const summaryTables = [
      'summary-headlines',
      'summary-by-category',
      'summary-by-channel',
      'summary-by-mode',
      'summary-triage',
      'summary-outcomes',
      'summary-retaliation',
      'summary-referrals',
    ];
    const exemptTables = [
      'exempt-by-category',
      'exempt-by-channel',
      'exempt-by-month',
      'exempt-open',
      'exempt-clocks',
      'exempt-triage',
      'exempt-outcomes',
      'exempt-substantiation',
      'exempt-other',
      'exempt-referrals-by-body',
      'exempt-by-mode',
    ];
    const link = (file: string) => `/staff/figures/annual-report/${chosen.value}/${file}`;
    res.render('staff/annual-report', {
      section: 'figures',
      council,
      years: years.map((y) => ({ ...y, selected: y.value === chosen.value })),
      label: chosen.text,
      summaryPdf: link('summary.pdf'),
      exemptPdf: link('exempt.pdf'),
      fraudCsv: link('transparency-fraud.csv'),
      summaryCsv: summaryTables.map((t) => ({
        href: link(`${t}.csv`),
        text: t.replace(/^summary-/, '').replace(/-/g, ' '),
      })),
      exemptCsv: exemptTables.map((t) => ({
        href: link(`${t}.csv`),
        text: t.replace(/^exempt-/, '').replace(/-/g, ' '),
      })),
    });
  }

  @Get('figures/annual-report/:year/:file')
  async download(
    @CurrentStaff() staff: StaffSession,
    @Param('year') year: string,
    @Param('file') file: string,
    @Res() res: Response,
  ) {
    if (!/^\d{4}$/.test(year) || !/^[a-z-]{1,40}\.(pdf|csv)$/.test(file))
      return res.status(404).render('pages/not-found');
    const made = await this.api.download(staff.token, year, file);
    res.setHeader('Content-Type', made.contentType);
    res.setHeader('Content-Disposition', made.contentDisposition ?? 'attachment');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.send(made.body);
  }
}
