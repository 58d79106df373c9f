/**
 * The policies in force, read-only (issue #8 "categories and questions, SLA policy, tenant keys"): the
 * deadlines every case runs to, the council's form as reporters see it with each category's clock and
 * default route, and the fingerprints of the council's keys. The numbers come from the API
 * (GET /admin/policy, which reads them from libs/domain, as the workers do) and the form from the public
 * form endpoint, so these pages show what actually happens; the default routes are libs/domain's.
 */
import { Controller, Get, Res, UseFilters, UseGuards } from '@nestjs/common';
import { getCategory, isCategoryId } from '@nolan/domain';
import type { Response } from 'express';
import { AdminApi, type AttachmentLimits, type FormQuestionView } from '../api/admin-api';
import { formatDate } from '../staff/case-view';
import { CurrentStaff, StaffGuard } from '../staff/staff-guard';
import { StaffPageFilter } from '../staff/staff-page.filter';
import type { StaffSession } from '../staff/staff-session';
import { formatFingerprint } from './admin-forms';
import { AdministratorsOnly } from './administrators-only.guard';
import { describeRoles } from './conflict-route-form';

const CLOCK_NAMES: Record<string, string> = {
  standard: 'Standard',
  safeguarding: 'Safeguarding: also a referral within 1 working day',
};

const QUESTION_TYPES: Record<string, string> = {
  text: 'A short answer',
  textarea: 'A longer answer',
  choice: 'One choice',
};

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** A category's default route in words: "Section 151 officer … and monitoring officer; safeguarding lead told". */
export function defaultRouteText(categoryId: string): string {
  if (!isCategoryId(categoryId)) return 'Not known';
  const { owners, notify } = getCategory(categoryId).route;
  const handled = `Handled by ${describeRoles(owners, 'and').replace(/^./, (c) => c.toLowerCase())}`;
  return notify.length
    ? `${handled}; ${describeRoles(notify, 'and').replace(/^./, (c) => c.toLowerCase())} told`
    : handled;
}

function attachmentRows(limits: AttachmentLimits) {
  return [
    {
      key: { text: 'Files a reporter can send' },
      value: {
        text: `Up to ${limits.maxFiles}, at most ${formatBytes(limits.maxFileBytes)} each and ${formatBytes(limits.maxTotalBytes)} in all`,
      },
    },
    {
      key: { text: 'Kinds of file' },
      value: { text: limits.acceptedTypes.map((t) => `${t.label} (${t.extensions.join(', ')})`).join('; ') },
    },
  ];
}

function questionRow(q: FormQuestionView, titles: Map<string, string>) {
  const answer =
    q.type === 'choice' && q.options?.length
      ? `One of: ${q.options.map((o) => o.label).join('; ')}`
      : (QUESTION_TYPES[q.type] ?? q.type);
  return {
    label: q.label,
    hint: q.hint ?? '',
    answer: q.maxLength ? `${answer} (up to ${q.maxLength.toLocaleString('en-GB')} characters)` : answer,
    required: q.required ? 'Yes' : 'No',
    askedFor: q.categories?.length
      ? q.categories.map((c) => titles.get(c) ?? c).join(', ')
      : 'Every category',
  };
}

@Controller('staff/admin')
@UseGuards(StaffGuard, AdministratorsOnly)
@UseFilters(StaffPageFilter)
export class AdminPolicyController {
  constructor(private readonly api: AdminApi) {}

  @Get('sla')
  async sla(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    const { sla } = await this.api.policy(staff.token);
    res.render('admin/sla', {
      section: 'admin',
      sla,
      unit: sla.acknowledgementUnit === 'working' ? 'working days' : 'calendar days',
      clocks: sla.clocks.map((c) => ({ title: c.title, clock: CLOCK_NAMES[c.clock] ?? c.clock })),
      closureDays: sla.extraClosureDays.map(formatDate),
    });
  }

  @Get('categories')
  async categories(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    const [form, policy] = await Promise.all([
      this.api.councilForm(staff.council),
      this.api.policy(staff.token),
    ]);
    const clocks = new Map(policy.sla.clocks.map((c) => [c.category, c.clock]));
    const titles = new Map(form.categories.map((c) => [c.id, c.title]));
    res.render('admin/categories', {
      section: 'admin',
      council: form.tenant.name,
      categories: form.categories.map((c) => ({
        ...c,
        clock: CLOCK_NAMES[clocks.get(c.id) ?? ''] ?? 'Not known',
        route: defaultRouteText(c.id),
      })),
      questions: form.questions.map((q) => questionRow(q, titles)),
      involves: form.involves,
      identityFields: (form.identity?.fields ?? []).map((q) => questionRow(q, titles)),
      attachmentRows: attachmentRows(policy.attachments),
    });
  }

  @Get('keys')
  async keys(@CurrentStaff() staff: StaffSession, @Res() res: Response) {
    const { keys } = await this.api.policy(staff.token);
    res.render('admin/keys', {
      section: 'admin',
      signing: {
        ...keys.signing,
        fingerprint: formatFingerprint(keys.signing.fingerprint),
        created: formatDate(keys.signing.createdAt),
      },
      escrow: { fingerprint: formatFingerprint(keys.escrow.fingerprint) },
    });
  }
}
