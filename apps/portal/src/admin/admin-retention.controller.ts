/**
 * Retention (issue #8 "retention"; docs/architecture.md "Retention and crypto-shredding"): how long a closed
 * case is kept, by category and outcome, and, per category, a page to change the council's periods or restore
 * the defaults. The API keeps the council's overrides and replaces the whole set on each change (PUT
 * /admin/retention), so the other categories' overrides are sent back unchanged (retention-form.ts); a period
 * is a whole number of years from 1 to 100, optionally to the end of that calendar year.
 */
import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { AdminApi, type PolicyView, type RetentionEntry } from '../api/admin-api';
import { ApiProblem } from '../api/api-http';
import { formatDate } from '../staff/case-view';
import { type FormErrors, formErrors } from '../staff/form-errors';
import { CurrentStaff, StaffGuard } from '../staff/staff-guard';
import { StaffPageFilter } from '../staff/staff-page.filter';
import type { StaffSession } from '../staff/staff-session';
import { type Form, textField } from './admin-forms';
import { AdministratorsOnly } from './administrators-only.guard';
import {
  endOfYearId,
  overridesWith,
  overridesWithout,
  periodText,
  retentionErrors,
  type RetentionFormValues,
  retentionFormValues,
  retentionFromForm,
  retentionGroups,
  yearsId,
} from './retention-form';

@Controller('staff/admin/retention')
@UseGuards(StaffGuard, AdministratorsOnly)
@UseFilters(StaffPageFilter)
export class AdminRetentionController {
  constructor(private readonly api: AdminApi) {}

  @Get()
  async overview(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    this.renderOverview(res, await this.api.policy(staff.token));
  }

  @Get(':category')
  async edit(@CurrentStaff() staff: StaffSession, @Param('category') category: string, @Res() res: Response) {
    const entry = this.editable(await this.api.policy(staff.token), category);
    this.renderEdit(res, entry, retentionFormValues(entry.outcomes), undefined);
  }

  @Post(':category')
  async update(
    @CurrentStaff() staff: StaffSession,
    @Param('category') category: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const policy = await this.api.policy(staff.token);
    const entry = this.editable(policy, category);
    const existing = policy.retentionOverrides;
    let overrides;
    let values: RetentionFormValues;
    if (textField(body, 'action') === 'restore') {
      overrides = overridesWithout(existing, entry.category);
      values = retentionFormValues(entry.outcomes);
    } else {
      const read = retentionFromForm(body, entry.outcomes);
      values = read.values;
      if (read.problems.length)
        return this.renderEdit(res.status(400), entry, values, formErrors(read.problems));
      overrides = overridesWith(existing, entry.category, entry.outcomes, read.settings);
    }
    try {
      this.renderOverview(res, await this.api.putRetention(staff.token, overrides));
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status !== 400) throw error;
      this.renderEdit(
        res.status(400),
        entry,
        values,
        retentionErrors(error.messages, entry.category, entry.outcomes),
      );
    }
  }

  private renderOverview(res: Response, policy: PolicyView) {
    res.render('admin/retention', {
      section: 'admin',
      note: policy.retentionNote,
      updated: formatDate(policy.retentionUpdatedAt),
      customised: Object.keys(policy.retentionOverrides).length > 0,
      categories: policy.retention.map((e) => ({
        category: e.category,
        title: e.title,
        groups: retentionGroups(e),
        changed: e.outcomes.some((o) => o.overridden),
      })),
      notice: policy.notice,
    });
  }

  private renderEdit(
    res: Response,
    entry: RetentionEntry,
    values: RetentionFormValues,
    errors: FormErrors | undefined,
  ) {
    res.render('admin/retention-edit', {
      section: 'admin',
      entry,
      changed: entry.outcomes.some((o) => o.overridden),
      outcomes: entry.outcomes.map((o) => ({
        ...o,
        yearsId: yearsId(o.outcome),
        endOfYearId: endOfYearId(o.outcome),
        years: values[o.outcome]?.years ?? '',
        untilEndOfYear: values[o.outcome]?.untilEndOfYear ?? false,
        defaultText: periodText({ years: o.defaultYears, untilEndOfYear: o.defaultUntilEndOfYear }),
      })),
      errors,
    });
  }

  /** The category's entry; 404 for a category there is not. */
  private editable(policy: PolicyView, category: string): RetentionEntry {
    const entry = policy.retention.find((e) => e.category === category);
    if (!entry) throw new NotFoundException();
    return entry;
  }
}
