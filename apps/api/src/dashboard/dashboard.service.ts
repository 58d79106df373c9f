/**
 * The monitoring officer's dashboard, handlers' own figures, the chair's published summary and the
 * annual report (issue #16; docs/dashboard.md). Who sees what is libs/domain's figureScopeFor; which
 * cases count is DashboardRepository.cases (grants and exclusions); what each figure counts is
 * figures.ts. Nothing here opens a key: it works with no key unlocked.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ANNUAL_REPORT_BREAKDOWNS,
  ANNUAL_REPORT_TABLES,
  type AnnualReportTable,
  type DashboardFigures,
  DRILL_FIGURES,
  type DrillDown,
  type DrillFigure,
  type MeasuredPolicy,
  type PublishedSummary,
} from '@nolan/contract';
import {
  DEFAULT_SUPPRESSION_THRESHOLD,
  type FigureScope,
  figureScopeFor,
  financialYearOf,
  type Period,
  toLondonDate,
  validatePeriod,
} from '@nolan/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { tenantSlaPolicy } from '../tenants/tenant-sla';
import { AuditService } from '../audit/audit.service';
import type { StaffSession } from '../auth/session-store';
import { inTenant } from '../database/tenant-transaction';
import { AppError } from '../errors/app-error';
import { TenantsRepository } from '../tenants/tenants.repository';
import { annualReportCsv, annualReportPdf, transparencyFraudCsv } from './annual-report';
import { DashboardRepository } from './dashboard.repository';
import {
  type CaseFacts,
  type Computed,
  drillCases,
  drillTitle,
  figuresFrom,
  measuredPolicy,
  openFiguresDay,
  tally,
} from './figures';
import { publishSummary } from './published-summary';
import { ReportModes } from './report-modes';

export interface PeriodQuery {
  from?: string;
  to?: string;
  year?: string;
}

export interface Download {
  body: Buffer;
  type: string;
  filename: string;
}

const NO_FIGURES = 'Administrators see no figures about cases.';

/**
 * Whose reports by mode a computation counts: the whole council's (the published summary and the annual
 * report's tables, aggregates of a year) or only the cases whose reporter's identity the viewer holds.
 */
type ModesShown = 'whole council' | 'custodied';

@Injectable()
export class DashboardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: DashboardRepository,
    private readonly audit: AuditService,
    private readonly tenants: TenantsRepository,
    private readonly modes: ReportModes,
  ) {}

  /** The period asked for: `from` and `to`, or a financial `year` (2025 for 2025-26), else this financial year. */
  period(query: PeriodQuery): Period {
    const { from, to, year } = query;
    if (year !== undefined) {
      if (from !== undefined || to !== undefined)
        throw new AppError('INVALID_INPUT', ['Give either year or from and to, not both.']);
      if (!/^\d{4}$/.test(year) || Number(year) < 2000 || Number(year) > 2100)
        throw new AppError('INVALID_INPUT', [
          'year must be the year a financial year starts, for example 2025.',
        ]);
      return financialYearOf(`${year}-04-01`);
    }
    if (from === undefined && to === undefined) return financialYearOf(this.today());
    const problems = validatePeriod(from, to);
    if (problems.length) throw new AppError('INVALID_INPUT', problems);
    return { from: from as string, to: to as string };
  }

  today(): string {
    return toLondonDate(new Date());
  }

  private detailScope(session: StaffSession): 'council' | 'own' {
    const scope = figureScopeFor(session.roles);
    if (scope === 'none') throw new AppError('FORBIDDEN', NO_FIGURES);
    if (scope === 'summary')
      throw new AppError(
        'FORBIDDEN',
        'The audit committee chair sees the published summary only (GET /dashboard/summary).',
      );
    return scope;
  }

  private async compute(
    session: StaffSession,
    scope: FigureScope,
    period: Period,
    whole = false,
    modes: ModesShown = 'whole council',
  ): Promise<{ cases: CaseFacts[]; computed: Computed; policy: MeasuredPolicy }> {
    return inTenant(this.dataSource, session.tenantId, (m) =>
      this.read(m, session, scope, period, whole, modes),
    );
  }

  /** The viewer's cases, their events and the council's SLA policy, in the caller's transaction. */
  private async read(
    m: EntityManager,
    session: StaffSession,
    scope: FigureScope,
    period: Period,
    whole = true,
    modes: ModesShown = 'whole council',
  ) {
    const sla = await tenantSlaPolicy(m);
    // A list of cases (a drill-down, the report's downloads) reads every case whole; the figures alone
    // read the cases that are only open at the end in groups (DashboardRepository.figureCases).
    const { cases, quiet } = whole
      ? { cases: await this.repository.cases(m, session.userId, scope, period), quiet: [] }
      : await this.repository.figureCases(
          m,
          session.userId,
          scope,
          period,
          openFiguresDay(period, this.today()),
        );
    // Reports by mode: the period's received cases' tags, read with the mode tag key (report-modes.ts).
    // A case's mode says whether its reporter gave their identity, which only the identity's custodian
    // may know: figures any period can be asked of, and lists of cases, show the modes of the viewer's
    // custodied cases alone; the year's published and exempt tables count the council's (aggregates).
    if (modes === 'custodied') {
      const held = await this.repository.identityHeld(m, session.userId);
      for (const c of cases) if (!held.has(c.id)) c.modeHidden = true;
    }
    this.modes.resolve(
      session.tenantId,
      cases.filter((c) => !c.modeHidden),
    );
    const events = await this.repository.events(m, period);
    const recommendations = await this.repository.recommendations(m, period);
    return {
      cases,
      computed: tally(cases, events, period, this.today(), sla.policy, recommendations, quiet),
      policy: measuredPolicy(sla.policy, sla.source),
    };
  }

  async figures(session: StaffSession, query: PeriodQuery): Promise<DashboardFigures> {
    const scope = this.detailScope(session);
    const period = this.period(query);
    const { computed, policy } = await this.compute(session, scope, period, false, 'custodied');
    return figuresFrom(computed, period, scope, this.today(), policy);
  }

  async drill(
    session: StaffSession,
    query: PeriodQuery & { figure?: string; key?: string },
  ): Promise<DrillDown> {
    const scope = this.detailScope(session);
    const { figure, key, ...rest } = query;
    if (!figure || !(DRILL_FIGURES as readonly string[]).includes(figure))
      throw new AppError('INVALID_INPUT', [`figure must be one of ${DRILL_FIGURES.join(', ')}.`]);
    if (key !== undefined && !/^[a-z0-9_+-]{1,40}$/.test(key))
      throw new AppError('INVALID_INPUT', [
        'key must be a row of the figure, such as fraud_theft or 2025-04.',
      ]);
    const period = this.period(rest);
    const { cases, computed, policy } = await this.compute(session, scope, period, true, 'custodied');
    const ids = computed.tally.get(figure as DrillFigure)?.get(key ?? '') ?? [];
    const figures = figuresFrom(computed, period, scope, this.today(), policy);
    return {
      period: figures.period,
      figure: figure as DrillFigure,
      key: key ?? null,
      title: drillTitle(figure as DrillFigure, key ?? null),
      cases: drillCases(cases, ids),
    };
  }

  /** The published summary over the viewer's cases (the chair: every case that does not name them). */
  async summary(session: StaffSession, query: PeriodQuery): Promise<PublishedSummary> {
    const scope = figureScopeFor(session.roles);
    if (scope === 'none') throw new AppError('FORBIDDEN', NO_FIGURES);
    if (scope === 'own')
      throw new AppError(
        'FORBIDDEN',
        'The published summary is for the monitoring officer and the audit committee chair.',
      );
    const period = this.period(query);
    const { computed, policy } = await this.compute(session, scope, period);
    const figures = figuresFrom(
      computed,
      period,
      scope === 'summary' ? 'council' : scope,
      this.today(),
      policy,
    );
    return publishSummary(figures, DEFAULT_SUPPRESSION_THRESHOLD);
  }

  /**
   * One download of the annual report for financial year `year`: `summary.pdf` (the public summary),
   * `exempt.pdf` (the exempt detail, the monitoring officer only), `<table>.csv`, or
   * `transparency-fraud.csv`. Audited (`report.downloaded`) in the transaction that reads the figures.
   */
  async download(session: StaffSession, year: string, file: string): Promise<Download> {
    const scope = figureScopeFor(session.roles);
    if (scope === 'none') throw new AppError('FORBIDDEN', NO_FIGURES);
    if (scope === 'own')
      throw new AppError(
        'FORBIDDEN',
        'The annual report is for the monitoring officer and the audit committee chair.',
      );
    const period = this.period({ year });
    const match = /^(summary\.pdf|exempt\.pdf|transparency-fraud\.csv|([a-z-]+)\.csv)$/.exec(file);
    const table = match?.[2] as AnnualReportTable | undefined;
    const tables: readonly string[] = [...ANNUAL_REPORT_TABLES, ...ANNUAL_REPORT_BREAKDOWNS];
    if (!match || (table && match[1] !== 'transparency-fraud.csv' && !tables.includes(table)))
      throw new AppError(
        'NOT_FOUND',
        `There is no such part of the annual report. Ask for summary.pdf, exempt.pdf, transparency-fraud.csv or one of ${tables.map((t) => `${t}.csv`).join(', ')}.`,
      );
    const exempt =
      file === 'exempt.pdf' || file === 'transparency-fraud.csv' || (table?.startsWith('exempt-') ?? false);
    if (exempt && scope !== 'council')
      throw new AppError(
        'FORBIDDEN',
        'The exempt detail is for the monitoring officer; the chair has the public summary.',
      );
    const tenant = await this.tenants.findById(session.tenantId);
    if (!tenant) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      const { cases, computed, policy } = await this.read(m, session, scope, period);
      const figures = figuresFrom(computed, period, 'council', this.today(), policy);
      const summary = publishSummary(figures, DEFAULT_SUPPRESSION_THRESHOLD);
      const base = `nolan-${tenant.slug}-${figures.period.label}`;
      let made: Download;
      if (file === 'summary.pdf' || file === 'exempt.pdf') {
        const part = file === 'summary.pdf' ? 'summary' : 'exempt';
        made = {
          body: await annualReportPdf(tenant.name, part, summary, figures),
          type: 'application/pdf',
          filename: `${base}-${part}.pdf`,
        };
      } else if (file === 'transparency-fraud.csv') {
        made = {
          body: transparencyFraudCsv(figures, computed, cases),
          type: 'text/csv; charset=utf-8',
          filename: `${base}-transparency-fraud.csv`,
        };
      } else {
        made = {
          body: annualReportCsv(table as AnnualReportTable, summary, figures),
          type: 'text/csv; charset=utf-8',
          filename: `${base}-${table}.csv`,
        };
      }
      await this.audit.append(m, {
        actor: { type: 'staff', id: session.userId },
        action: 'report.downloaded',
        details: { year: Number(year), file, exempt },
      });
      return made;
    });
  }
}
