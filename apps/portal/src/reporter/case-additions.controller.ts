/**
 * Adding to a report after sending it (issue #5's "add identity later", and naming someone as
 * involved later): each a page of its own behind receipt sign-in, with CSRF, posting to the API and
 * returning to the case page with a confirmation.
 *
 * Addresses: GET/POST /report/:slug/case/identity, GET/POST /report/:slug/case/involved.
 */
import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { type IntakeForm, ReporterApi } from '../api/reporter-api';
import { CouncilForms } from './council-forms.service';
import { CasePage } from './follow-up.controller';
import type { FieldError } from './journey';
import { errorModel } from './journey-pages';
import { ReporterUnavailableFilter } from './reporter-filters';
import { type OpenedSession, touchReporterSession } from './reporter-session';

type Body = Record<string, unknown>;

const MAX_REASON = 2000;

function textOf(body: Body, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '';
}

@Controller('report/:slug/case')
@UseFilters(ReporterUnavailableFilter)
export class CaseAdditionsController {
  constructor(
    private readonly api: ReporterApi,
    private readonly forms: CouncilForms,
    private readonly page: CasePage,
  ) {}

  @Get('identity')
  async identityPage(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const opened = this.page.session(req, slug);
    if (!opened) return this.page.ended(res, slug);
    this.renderIdentity(res, 200, await this.forms.get(slug), opened, {}, []);
  }

  @Post('identity')
  async identity(
    @Param('slug') slug: string,
    @Body() body: Body,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const opened = this.page.session(req, slug);
    if (!opened) return this.page.ended(res, slug);
    const form = await this.forms.get(slug);
    const values: Record<string, string> = {};
    const errors: FieldError[] = [];
    for (const field of laterFields(form)) {
      const value = textOf(body, field.id);
      if (value) values[field.id] = value;
      if (field.maxLength && value.length > field.maxLength)
        errors.push({
          field: field.id,
          message: `Your answer to "${field.label}" must be ${field.maxLength.toLocaleString('en-GB')} characters or fewer`,
        });
    }
    if (!Object.keys(values).length)
      errors.push({
        field: laterFields(form)[0]?.id ?? 'name',
        message: 'Enter your name, your job title or how we can contact you',
      });
    if (errors.length) return this.renderIdentity(res, 400, form, opened, values, errors);
    try {
      await this.api.addIdentity(opened.session.token, values);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return this.page.ended(res, slug);
      if (error instanceof ApiProblem && error.status === 400)
        return this.renderIdentity(
          res,
          400,
          form,
          opened,
          values,
          error.messages.map((message) => ({ field: laterFields(form)[0]?.id ?? 'name', message })),
        );
      throw error;
    }
    touchReporterSession(res, opened.cookie, this.page.secure);
    res.redirect(303, `/report/${slug}/case?added=identity`);
  }

  @Get('involved')
  async involvedPage(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const opened = this.page.session(req, slug);
    if (!opened) return this.page.ended(res, slug);
    this.renderInvolved(res, 200, await this.forms.get(slug), opened, [], '', []);
  }

  @Post('involved')
  async involved(
    @Param('slug') slug: string,
    @Body() body: Body,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const opened = this.page.session(req, slug);
    if (!opened) return this.page.ended(res, slug);
    const form = await this.forms.get(slug);
    const ticked = (Array.isArray(body.roles) ? body.roles : [body.roles]).filter(
      (r): r is string => typeof r === 'string' && form.involves.options.some((o) => o.value === r),
    );
    const reason = textOf(body, 'reason');
    const errors: FieldError[] = [];
    if (!ticked.length) errors.push({ field: 'roles', message: 'Select who your concern also involves' });
    if (reason.length > MAX_REASON)
      errors.push({
        field: 'reason',
        message: `What you tell us must be ${MAX_REASON.toLocaleString('en-GB')} characters or fewer`,
      });
    if (errors.length) return this.renderInvolved(res, 400, form, opened, ticked, reason, errors);
    try {
      await this.api.nameInvolved(opened.session.token, ticked, reason || undefined);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return this.page.ended(res, slug);
      if (error instanceof ApiProblem && error.status === 400)
        return this.renderInvolved(
          res,
          400,
          form,
          opened,
          ticked,
          reason,
          error.messages.map((message) => ({ field: 'roles', message })),
        );
      throw error;
    }
    touchReporterSession(res, opened.cookie, this.page.secure);
    res.redirect(303, `/report/${slug}/case?added=involved`);
  }

  private renderIdentity(
    res: Response,
    status: number,
    form: IntakeForm,
    opened: OpenedSession,
    values: Record<string, string>,
    errors: readonly FieldError[],
  ): void {
    const model = errorModel(errors);
    touchReporterSession(res, opened.cookie, this.page.secure);
    res.status(status).render('reporter/identity-later', {
      ...model,
      pageTitle: 'Tell us who you are',
      slug: form.tenant.slug,
      statement: form.identity.statement,
      fields: laterFields(form).map((f) => ({
        id: f.id,
        name: f.id,
        label: { text: f.label, classes: 'govuk-label--s' },
        hint: f.hint ? { text: f.hint } : undefined,
        value: values[f.id],
        errorMessage: model.errorFor[f.id],
        autocomplete: 'off',
      })),
    });
  }

  private renderInvolved(
    res: Response,
    status: number,
    form: IntakeForm,
    opened: OpenedSession,
    ticked: readonly string[],
    reason: string,
    errors: readonly FieldError[],
  ): void {
    const model = errorModel(errors);
    touchReporterSession(res, opened.cookie, this.page.secure);
    res.status(status).render('reporter/involved-later', {
      ...model,
      pageTitle: 'Tell us who else your concern involves',
      slug: form.tenant.slug,
      hasOptions: form.involves.options.length > 0,
      roles: {
        idPrefix: 'roles',
        name: 'roles',
        fieldset: {
          legend: {
            text: 'Tell us who else your concern involves',
            isPageHeading: true,
            classes: 'govuk-fieldset__legend--l',
          },
        },
        hint: {
          text: 'Anyone holding a role you select stops seeing your report straight away, and it goes to someone independent of them. They are not told.',
        },
        errorMessage: model.errorFor.roles,
        items: form.involves.options.map((o) => ({
          value: o.value,
          text: o.label,
          hint: o.holders.length ? { text: o.holders.join(', ') } : undefined,
          checked: ticked.includes(o.value),
        })),
      },
      reason,
      maxReason: MAX_REASON,
    });
  }
}

/**
 * The identity details a reporter can add to a case later: the text fields. Whether they may be named
 * is asked with the report only, where it sets the report's mode (docs/dashboard.md "Reports by mode").
 */
function laterFields(form: IntakeForm): IntakeForm['identity']['fields'] {
  return form.identity.fields.filter((f) => f.type !== 'choice');
}
