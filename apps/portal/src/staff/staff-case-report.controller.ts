/**
 * The printable case report (issue #19): one page with everything the user may read of a case — its
 * summary, the report, the case file in plain words, the messages and the timeline's events — laid out
 * for paper by the print styles in staff-pages.css. It needs no key of the user's own, unlike the
 * OpenPGP export, and it is read through the same API calls as the case page, so the same access
 * rules and audit entries apply.
 */
import { Controller, Get, Param, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  actorLabel,
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  type CaseOutcome,
  type CaseStatus,
  timelineTitle,
  toLondonDate,
} from '@nolan/domain';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { StaffApi } from '../api/staff-api';
import { caseRecord } from './case-record';
import { describeAnswers, formatDate } from './case-view';
import { CurrentStaff, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

const REFERENCE = /^[A-Za-z0-9-]{1,20}$/;

@Controller('staff/cases/:reference/report')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffCaseReportController {
  constructor(private readonly api: StaffApi) {}

  @Get()
  async show(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
  ) {
    if (!REFERENCE.test(reference)) throw new ApiProblem(404, ['There is no case with this reference.']);
    const c = await this.api.getCase(staff.token, reference);
    const timeline = await this.api.timeline(staff.token, c.reference).catch((error: unknown) => {
      if (error instanceof ApiProblem && [403, 404].includes(error.status)) return null;
      throw error;
    });
    res.render('staff/case-report', {
      section: 'cases',
      c,
      statusLabel: CASE_STATUS_LABELS[c.status as CaseStatus] ?? c.status,
      outcomeLabel: c.outcome ? (CASE_OUTCOME_LABELS[c.outcome as CaseOutcome] ?? c.outcome) : null,
      assignee: c.assigneeId ? (c.assigneeName ?? 'Someone who can no longer be shown') : 'Nobody',
      dates: {
        received: formatDate(c.receivedOn),
        acknowledged: c.acknowledgedOn ? formatDate(c.acknowledgedOn) : 'Not yet',
        feedback: c.feedbackGivenOn ? formatDate(c.feedbackGivenOn) : 'Not given',
        closed: c.closedOn ? formatDate(c.closedOn) : null,
        printed: formatDate(toLondonDate(new Date())),
      },
      answers: describeAnswers(c.report),
      record: caseRecord(timeline),
      messages: c.messages.map((m) => ({
        who: m.from === 'reporter' ? 'The reporter' : 'Staff',
        sentOn: formatDate(m.sentOn),
        text: m.text,
      })),
      events: (timeline?.events ?? []).map((e) => ({
        on: formatDate(toLondonDate(new Date(e.at))),
        title: timelineTitle(e),
        who: actorLabel(e.actor),
      })),
    });
  }
}
