/**
 * The audit committee chair's landing page (issue #19): the chair oversees the council's whistleblowing
 * arrangements without reading any case, so their home says what they can see in Nolan and what they
 * will see, and the published summary for the period chosen (the annual report's counts, with small
 * numbers suppressed: docs/dashboard.md "The published summary"), from GET /dashboard/summary.
 */
import { Controller, Get, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { toLondonDate } from '@nolan/domain';
import type { Response } from 'express';
import { DashboardApi } from '../api/dashboard-api';
import { yearOptions } from './dashboard.controller';
import { CurrentStaff, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

export const COMMITTEE_CHAIR_ROLE = 'audit_committee_chair';

@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class CommitteeHomeController {
  constructor(private readonly dashboard: DashboardApi) {}

  @Get('committee')
  async committee(@CurrentStaff() staff: StaffSession, @Query('year') year: unknown, @Res() res: Response) {
    if (!staff.roles.includes(COMMITTEE_CHAIR_ROLE)) return res.status(403).render('staff/forbidden');
    const chosen = typeof year === 'string' && /^\d{4}$/.test(year) ? year : undefined;
    const summary = await this.dashboard.summary(staff.token, chosen ? { year: chosen } : {});
    const line = (l: { rows: { label: string; text: string }[]; totalText: string }, total = 'Total') => [
      ...l.rows.map((r) => [{ text: r.label }, { text: r.text, format: 'numeric' }]),
      [{ text: total }, { text: l.totalText, format: 'numeric' }],
    ];
    res.render('staff/committee-home', {
      summary,
      reportYear: summary.period.from.slice(0, 4),
      years: yearOptions(toLondonDate(new Date()), chosen ?? summary.period.from.slice(0, 4)),
      headlines: [
        { key: { text: 'Reports received' }, value: { text: summary.receivedText } },
        { key: { text: 'Open at the end of the period' }, value: { text: summary.openAtEndText } },
        {
          key: { text: 'Acknowledged within 7 days' },
          value: { text: summary.acknowledgedWithinStatutory.text },
        },
        {
          key: { text: 'Median days to acknowledge' },
          value: { text: summary.medianDaysToAcknowledge.text },
        },
        {
          key: { text: `Feedback within ${summary.policy.feedbackMonths} months` },
          value: { text: summary.feedbackWithin.text },
        },
        { key: { text: 'Median days to close' }, value: { text: summary.medianTimeToClose.text } },
      ],
      byCategory: line(summary.byCategory),
      byChannel: line(summary.byChannel),
      byMode: line(summary.byMode),
      triage: line(summary.triage),
      outcomes: line(summary.closedByOutcome),
      retaliation: line(summary.retaliation, 'Investigated and closed'),
      referrals: line(summary.referralsByBody, 'Referred externally'),
    });
  }
}
