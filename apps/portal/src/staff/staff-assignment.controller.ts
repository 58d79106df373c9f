/**
 * Assigning a case, or transferring it, from the portal (issue #19): the case's overseer picks a person
 * by name from those the API says may handle it (GET /cases/:ref/assignees applies the exclusion rules,
 * docs/case-core.md "Exclusion rules"), seeing each one's open cases. The API decides; its refusals are
 * shown on the form.
 */
import { Body, Controller, Get, Param, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { STAFF_ROLE_LABELS, type StaffRole } from '@nolan/domain';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { type AssigneeOption, type CaseDetail, StaffApi } from '../api/staff-api';
import { apiErrors, type FormErrors, formErrors } from './form-errors';
import { CurrentStaff, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

const REFERENCE = /^[A-Za-z0-9-]{1,20}$/;

/** "Investigator – 2 open cases": what the radio's hint says about each person. */
export function assigneeHint(option: AssigneeOption): string {
  const roles = option.roles.map((r) => STAFF_ROLE_LABELS[r as StaffRole] ?? r).join(', ');
  const load = option.openCases === 0 ? 'no open cases' : option.openCases === 1 ? '1 open case' : `${option.openCases} open cases`;
  return `${roles} – ${load}`;
}

@Controller('staff/cases/:reference/assign')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffAssignmentController {
  constructor(private readonly api: StaffApi) {}

  @Get()
  async form(@CurrentStaff() staff: StaffSession, @Param('reference') reference: string, @Res() res: Response) {
    res.render('staff/assign', await this.page(staff, reference));
  }

  @Post()
  async assign(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const page = await this.page(staff, reference);
    const chosen = typeof body.assigneeId === 'string' ? body.assigneeId : '';
    let errors: FormErrors | undefined;
    if (!page.options.some((o) => o.value === chosen))
      errors = formErrors([{ id: 'assigneeId', text: page.c.assigneeId ? 'Select who to transfer the case to' : 'Select who to assign the case to' }]);
    if (!errors) {
      try {
        await this.api.assign(staff.token, page.c.reference, chosen);
        return res.redirect(303, `/staff/cases/${encodeURIComponent(page.c.reference)}?done=${page.c.assigneeId ? 'transferred' : 'assigned'}`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [{ id: 'assigneeId', apiNames: ['assigneeId'] }]);
      }
    }
    res.status(400).render('staff/assign', { ...page, errors, options: page.options.map((o) => ({ ...o, checked: o.value === chosen })) });
  }

  private async page(staff: StaffSession, reference: string) {
    if (!REFERENCE.test(reference)) throw new ApiProblem(404, ['There is no case with this reference.']);
    const c: CaseDetail = await this.api.getCase(staff.token, reference);
    const { items } = await this.api.assignees(staff.token, c.reference);
    const current = items.find((o) => o.current);
    return {
      section: 'cases',
      c,
      currentName: c.assigneeId ? (c.assigneeName ?? current?.name ?? null) : null,
      options: items
        .filter((o) => !o.current)
        .map((o) => ({ value: o.userId, text: o.userId === staff.userId ? `${o.name} (you)` : o.name, hint: { text: assigneeHint(o) } })),
    };
  }
}
