/**
 * Recommendations as tracked actions on the case page (issue #19; docs/case-core.md
 * "Recommendations"): a form to record one — what should be done, its owner (you, or a team or post)
 * and its due date — and one to move it on. Same shape as the other case forms: 400 with the error
 * summary and the answers kept; the API decides and its messages are mapped to the fields.
 */
import { Body, Controller, Get, Param, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { CaseRecommendation } from '@nolan/contract';
import { RECOMMENDATION_STATUS_LABELS, type RecommendationStatus } from '@nolan/domain';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { type CaseDetail, StaffApi } from '../api/staff-api';
import { formatDate } from './case-view';
import { apiErrors, type FormErrors, formErrors } from './form-errors';
import { dateFrom } from './staff-case-actions.controller';
import { CurrentStaff, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

type Form = Record<string, unknown>;
const REFERENCE = /^[A-Za-z0-9-]{1,20}$/;
const ID = /^[0-9a-f-]{36}$/i;

function text(form: Form, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A recommendation as the case page shows it: owner, due date and status in plain words. */
export function recommendationRow(r: CaseRecommendation, userId: string) {
  return {
    id: r.id,
    text: r.text ?? 'You cannot read this recommendation.',
    owner: r.ownerStaff
      ? r.ownerStaff.id === userId
        ? 'You'
        : (r.ownerStaff.name ?? 'Someone who has left')
      : (r.owner ?? ''),
    due: r.dueOn ? formatDate(r.dueOn) : 'None set',
    status: RECOMMENDATION_STATUS_LABELS[r.status],
    overdue: r.overdue,
    reason: r.reason,
    canUpdate: r.next.length > 0,
  };
}

@Controller('staff/cases/:reference/recommendations')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffRecommendationsController {
  constructor(private readonly api: StaffApi) {}

  @Get()
  async addForm(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
  ) {
    res.render('staff/recommendation', { c: await this.requireCase(staff, reference), values: {} });
  }

  @Post()
  async add(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const c = await this.requireCase(staff, reference);
    const values = {
      text: text(body, 'text'),
      ownerKind: text(body, 'ownerKind'),
      owner: text(body, 'owner'),
      'dueOn-day': text(body, 'dueOn-day'),
      'dueOn-month': text(body, 'dueOn-month'),
      'dueOn-year': text(body, 'dueOn-year'),
    };
    const dueOn = dateFrom(body, 'dueOn');
    const problems: { id: string; text: string }[] = [];
    if (!values.text) problems.push({ id: 'text', text: 'Say what should be done' });
    if (values.ownerKind !== 'me' && values.ownerKind !== 'team')
      problems.push({ id: 'ownerKind', text: 'Say who owns the recommendation' });
    if (values.ownerKind === 'team' && !values.owner)
      problems.push({ id: 'owner', text: 'Name the team or post that owns it' });
    if (!dueOn) problems.push({ id: 'dueOn', text: 'Enter the due date as a real date, like 31 3 2027' });
    let errors: FormErrors | undefined = problems.length ? formErrors(problems) : undefined;
    if (!errors && dueOn) {
      try {
        await this.api.raiseRecommendation(staff.token, c.reference, {
          text: values.text,
          dueOn,
          ...(values.ownerKind === 'me' ? { ownerId: staff.userId } : { owner: values.owner }),
        });
        return res.redirect(
          303,
          `/staff/cases/${encodeURIComponent(c.reference)}?done=recommendation#recommendations`,
        );
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [
          { id: 'text', apiNames: ['text'] },
          { id: 'ownerKind', apiNames: ['ownerId', 'owner'] },
          { id: 'dueOn', apiNames: ['dueOn'] },
        ]);
      }
    }
    res.status(400).render('staff/recommendation', { c, values, errors });
  }

  @Get(':id')
  async statusForm(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Res() res: Response,
  ) {
    const page = await this.statusPage(staff, reference, id);
    if (!page) return res.status(404).render('pages/not-found');
    res.render('staff/recommendation-status', { ...page, values: {} });
  }

  @Post(':id')
  async updateStatus(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const page = await this.statusPage(staff, reference, id);
    if (!page) return res.status(404).render('pages/not-found');
    const values = { status: text(body, 'status'), reason: text(body, 'reason') };
    const problems: { id: string; text: string }[] = [];
    if (!page.next.some((n) => n.value === values.status))
      problems.push({ id: 'status', text: 'Choose what has happened to the recommendation' });
    if (values.status === 'rejected' && !values.reason)
      problems.push({ id: 'reason', text: 'Say why the recommendation was rejected' });
    let errors: FormErrors | undefined = problems.length ? formErrors(problems) : undefined;
    if (!errors) {
      try {
        await this.api.updateRecommendation(staff.token, page.c.reference, id, {
          status: values.status as RecommendationStatus,
          ...(values.reason ? { reason: values.reason } : {}),
        });
        return res.redirect(
          303,
          `/staff/cases/${encodeURIComponent(page.c.reference)}?done=recommendation-updated#recommendations`,
        );
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [
          { id: 'status', apiNames: ['status'] },
          { id: 'reason', apiNames: ['reason'] },
        ]);
      }
    }
    res.status(400).render('staff/recommendation-status', { ...page, values, errors });
  }

  private async statusPage(staff: StaffSession, reference: string, id: string) {
    const c = await this.requireCase(staff, reference);
    if (!ID.test(id)) return null;
    const found = (await this.api.recommendations(staff.token, c.reference)).items.find((r) => r.id === id);
    if (!found || !found.next.length) return null;
    return {
      c,
      recommendation: recommendationRow(found, staff.userId),
      next: found.next.map((s) => ({ value: s, text: RECOMMENDATION_STATUS_LABELS[s] })),
    };
  }

  private async requireCase(staff: StaffSession, reference: string): Promise<CaseDetail> {
    if (!REFERENCE.test(reference)) throw new ApiProblem(404, ['There is no case with this reference.']);
    return this.api.getCase(staff.token, reference);
  }
}
