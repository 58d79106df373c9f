/**
 * The case list (filters, SLA badges, MOJ filter + sortable table) and the case page (summary, report,
 * timeline, messages with a reply form, notes and evidence, the actions allowed now, recusal and the
 * identity request). Only cases the user holds a grant for exist here: the API answers 404 for any
 * other, and so does this page.
 */
import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Res,
  UploadedFiles,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import {
  actorLabel,
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  type CaseOutcome,
  type CaseStatus,
  CATEGORIES,
  isCategoryId,
  getCategory,
  STAFF_ROLE_LABELS,
  type StaffRole,
  toLondonDate,
} from '@nolan/domain';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import {
  type CaseDetail,
  type CaseLink,
  type CaseSummary,
  type IdentityRequest,
  StaffApi,
  type Timeline,
} from '../api/staff-api';
import { apiErrors, type FormErrors, formErrors } from './form-errors';
import { CurrentStaff, isOverseer, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';
import { mostUrgentClock, SLA_CLOCK_LABELS, slaBadge } from './sla-status';
import { describeAnswers, formatDate, formatShortDate, timelineItems } from './case-view';
import type { CaseRecommendation } from '@nolan/contract';
import { caseRecord } from './case-record';
import { recommendationRow } from './staff-recommendations.controller';

const PAGE_SIZE = 25;
/** As the API's own upload limits for a message: 10 files of up to 20 MB (the API refuses more with 413). */
const REPLY_UPLOAD = {
  fileSize: 20 * 1024 * 1024 + 1,
  files: 10,
  fields: 10,
  fieldSize: 100 * 1024,
  parts: 30,
};
const REFERENCE = /^[A-Za-z0-9-]{1,20}$/;
/** As the API's search: words of letters, numbers, spaces, hyphens and apostrophes (metadata only). */
const SEARCH = /^[\p{L}\p{N} '’.-]{1,60}$/u;

export interface ListFilters {
  status?: string;
  category?: string;
  deadline?: 'overdue' | 'due_soon';
  /** 'me': assigned to the user; 'none': nobody is assigned yet. */
  assigned?: 'me' | 'none';
  q?: string;
  page: number;
  /**
   * Where this page starts, from the page before's Next link: the API's cursor (its `next`), so a deep
   * page is read from where it starts rather than counted to (docs/performance.md "Keyset pages and the
   * counts"). Only the Next link carries it; the page numbers still count by offset.
   */
  after?: string;
}

/** The API's case-list cursor: the last case's acknowledgement due date and its reference. */
const CURSOR = /^\d{4}-\d{2}-\d{2}_NLN-[A-Z0-9]{4}-[A-Z0-9]{4}$/;

/** The list's query string, validated: an unknown value is dropped rather than passed to the API. */
export function parseFilters(query: Record<string, unknown>): ListFilters {
  const one = (value: unknown) =>
    typeof value === 'string' ? value.trim() : Array.isArray(value) ? String(value[0] ?? '').trim() : '';
  const status = one(query.status);
  const category = one(query.category);
  const deadline = one(query.deadline);
  const q = one(query.q).replace(/\s+/g, ' ');
  const assigned = one(query.assigned) || (one(query.mine) === 'yes' ? 'me' : '');
  const page = Number.parseInt(one(query.page), 10);
  const after = one(query.after);
  return {
    status: (CASE_STATUSES as readonly string[]).includes(status) ? status : undefined,
    category: isCategoryId(category) ? category : undefined,
    deadline: deadline === 'overdue' || deadline === 'due_soon' ? deadline : undefined,
    assigned: assigned === 'me' || assigned === 'none' ? assigned : undefined,
    q: q && SEARCH.test(q) ? q : undefined,
    page: Number.isSafeInteger(page) && page > 0 && page < 10_000 ? page : 1,
    after: CURSOR.test(after) ? after : undefined,
  };
}

export function filtersQuery(filters: Omit<ListFilters, 'page'> & { page?: number }): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.category) params.set('category', filters.category);
  if (filters.deadline) params.set('deadline', filters.deadline);
  if (filters.assigned) params.set('assigned', filters.assigned);
  if (filters.q) params.set('q', filters.q);
  if (filters.page && filters.page > 1) params.set('page', String(filters.page));
  if (filters.after && filters.page && filters.page > 1) params.set('after', filters.after);
  const text = params.toString();
  return text ? `?${text}` : '';
}

@Controller('staff/cases')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffCasesController {
  constructor(private readonly api: StaffApi) {}

  @Get()
  async list(
    @CurrentStaff() staff: StaffSession,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const filters = parseFilters(query);
    const today = toLondonDate(new Date());
    const apiQuery = {
      status: filters.status,
      category: filters.category,
      q: filters.q,
      assignee: filters.assigned === 'me' ? ('me' as const) : undefined,
      unassigned: filters.assigned === 'none' ? true : undefined,
    };
    const page = await this.api.listCases(staff.token, {
      ...apiQuery,
      deadline: filters.deadline,
      limit: PAGE_SIZE,
      ...(filters.after && filters.page > 1
        ? { after: filters.after, offset: 0 }
        : { offset: (filters.page - 1) * PAGE_SIZE }),
    });
    const { items, total } = page;
    res.render('staff/cases', {
      section: 'cases',
      filters,
      rows: items.map((c) => caseRow(c, today, staff.userId)),
      total,
      pagination: pagination(filters, total, page.next),
      selected: selectedFilters(filters),
      statusItems: [
        { value: '', text: 'Any status' },
        ...CASE_STATUSES.map((s) => ({ value: s, text: CASE_STATUS_LABELS[s] })),
      ].map((item) => ({ ...item, checked: (filters.status ?? '') === item.value })),
      categoryItems: [
        { value: '', text: 'Any category' },
        ...CATEGORIES.map((c) => ({ value: c.id, text: c.title })),
      ].map((item) => ({ ...item, selected: (filters.category ?? '') === item.value })),
      assignedItems: [
        { value: '', text: 'Anyone or nobody' },
        { value: 'me', text: 'Assigned to me' },
        { value: 'none', text: 'Not assigned yet' },
      ].map((item) => ({ ...item, checked: (filters.assigned ?? '') === item.value })),
      deadlineItems: [
        { value: '', text: 'Any deadline' },
        { value: 'due_soon', text: 'Due soon or overdue' },
        { value: 'overdue', text: 'Overdue' },
      ].map((item) => ({ ...item, checked: (filters.deadline ?? '') === item.value })),
    });
  }

  @Get(':reference')
  async show(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
    @Query('done') done?: string,
  ) {
    if (!REFERENCE.test(reference)) return res.status(404).render('pages/not-found');
    res.render('staff/case', {
      ...(await this.casePage(staff, reference)),
      notice: NOTICES[String(done ?? '')],
    });
  }

  /**
   * A reply to the reporter, from the form on the case page, with files if any (multipart: the CSRF
   * token is in the form's action, ?_csrf=, read before the body is); re-rendered with the error on a
   * problem. Files go to the API as they came: it checks and strips them.
   */
  @Post(':reference/messages')
  @UseInterceptors(FilesInterceptor('files', REPLY_UPLOAD.files, { limits: REPLY_UPLOAD }))
  async reply(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Record<string, unknown>,
    @UploadedFiles()
    uploads: { originalname: string; mimetype: string; buffer: Buffer; size: number }[] | undefined,
    @Res() res: Response,
  ) {
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    const files = (uploads ?? []).filter((f) => f.size > 0 && f.originalname);
    let errors: FormErrors | undefined;
    if (!text) errors = formErrors([{ id: 'reply-text', text: 'Enter your message to the reporter' }]);
    else if (text.length > 20000)
      errors = formErrors([{ id: 'reply-text', text: 'Your message must be 20,000 characters or fewer' }]);
    if (!errors) {
      try {
        if (files.length) {
          const form = new FormData();
          form.set('text', text);
          for (const file of files)
            form.append(
              'files',
              new Blob([new Uint8Array(file.buffer)], { type: file.mimetype || 'application/octet-stream' }),
              file.originalname,
            );
          await this.api.reply(staff.token, reference, form);
        } else await this.api.sendMessage(staff.token, reference, text);
        return res.redirect(303, `/staff/cases/${encodeURIComponent(reference)}?done=message#messages`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 413, 415].includes(error.status)) throw error;
        const fileProblem = error.status !== 400;
        errors = apiErrors(
          error.messages.map((m) => (fileProblem ? `${m} Select the files again.` : m)),
          [
            { id: fileProblem ? 'reply-files' : 'reply-text', apiNames: ['text'] },
            { id: 'reply-files', apiNames: ['files', 'file'] },
          ],
        );
      }
    }
    res
      .status(400)
      .render('staff/case', { ...(await this.casePage(staff, reference)), errors, replyText: text });
  }

  /** A file of the case, passed through from the API as a download (never shown inline in our origin). */
  @Get(':reference/files/:id')
  async file(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Res() res: Response,
  ) {
    if (!REFERENCE.test(reference) || !/^[A-Za-z0-9-]{1,64}$/.test(id))
      return res.status(404).render('pages/not-found');
    const file = await this.api.downloadFile(staff.token, reference, id);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', file.contentDisposition ?? 'attachment');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(file.body);
  }

  private async casePage(staff: StaffSession, reference: string) {
    const detail = await this.api.getCase(staff.token, reference);
    const [timeline, identityRequests, identity, links, recommendations] = await Promise.all([
      this.api.timeline(staff.token, reference).catch(optional<Timeline>),
      this.api.identityRequests(staff.token, reference).catch(optional<IdentityRequest[]>),
      this.api
        .revealIdentity(staff.token, reference)
        .catch(optional<{ anonymous: boolean; identity: Record<string, string> | null }>),
      this.api.links(staff.token, reference).catch(optional<{ items: CaseLink[] }>),
      this.api.recommendations(staff.token, reference).catch(optional<{ items: CaseRecommendation[] }>),
    ]);
    const names = namesFrom(timeline);
    const isMine = (id: string | null) => id === staff.userId;
    return {
      section: 'cases',
      c: detail,
      statusLabel: CASE_STATUS_LABELS[detail.status as CaseStatus] ?? detail.status,
      outcomeLabel: detail.outcome
        ? (CASE_OUTCOME_LABELS[detail.outcome as CaseOutcome] ?? detail.outcome)
        : null,
      categoryDescription: isCategoryId(detail.category) ? getCategory(detail.category).description : '',
      clocks: detail.clocks.map((clock) => ({
        label: SLA_CLOCK_LABELS[clock.clock],
        due: formatDate(clock.due),
        badge: slaBadge(clock),
      })),
      answers: describeAnswers(detail.report),
      reportVerification: detail.reportVerification,
      involves: (detail.report?.involves ?? []).map((role) => STAFF_ROLE_LABELS[role as StaffRole] ?? role),
      // Files sent with staff replies are in the report scope too; they are not "files from the reporter".
      reporterFiles: detail.attachments.filter(
        (a) => !detail.messages.some((m) => m.from === 'staff' && m.attachments.includes(a.id)),
      ),
      messages: detail.messages.map((m) => ({
        ...m,
        files: m.attachments.flatMap((id) => detail.attachments.filter((a) => a.id === id)),
        who:
          m.from === 'reporter'
            ? 'The reporter'
            : isMine(m.authorId)
              ? 'You'
              : (names.get(m.authorId ?? '') ?? 'A handler'),
        sentOn: formatDate(m.sentOn),
      })),
      timeline: timeline ? timelineItems(timeline.events, reference) : null,
      record: timeline ? caseRecord(timeline) : null,
      recommendations: recommendations
        ? recommendations.items.map((r) => recommendationRow(r, staff.userId))
        : null,
      notes: timeline ? timeline.events.filter((e) => e.type === 'note' || e.type === 'evidence') : null,
      actions: detail.allowedTransitions.flatMap((t) =>
        t.to === 'closed'
          ? [
              {
                to: t.to,
                text:
                  t.outcomes.length === 1 && t.outcomes[0] === 'withdrawn'
                    ? 'Record that the reporter withdrew'
                    : 'Close the case',
              },
            ]
          : [{ to: t.to, text: ACTION_TEXT[t.to] ?? `Move to ${t.to}` }],
      ),
      identity,
      identityRequests: (identityRequests ?? []).map((r) => ({
        ...r,
        who: isMine(r.requesterId) ? 'You' : (names.get(r.requesterId) ?? 'A handler'),
        requestedOn: formatDate(r.requestedOn),
        decidedOn: r.decidedOn ? formatDate(r.decidedOn) : null,
        canDecide: r.status === 'pending' && isOverseer(staff) && !isMine(r.requesterId) && !!identity,
      })),
      canRequestIdentity:
        !identity && !(identityRequests ?? []).some((r) => r.status === 'pending' && isMine(r.requesterId)),
      staffUserId: staff.userId,
      links: (links?.items ?? []).map((l) => ({
        ...l,
        kindText:
          l.kind === 'same_subject'
            ? 'The same person or body'
            : l.kind === 'same_pattern'
              ? 'The same kind of wrongdoing'
              : l.kind === 'duplicate'
                ? 'One is a duplicate of the other'
                : l.kind,
        linkedOn: formatDate(l.linkedOn),
      })),
      canConfirmOwnership:
        detail.assigneeId === staff.userId && !detail.ownershipConfirmedOn && detail.status !== 'closed',
      isOverseer: isOverseer(staff),
      assigneeText: detail.assigneeId
        ? `${detail.assigneeName ?? 'Someone who can no longer be shown'}${isMine(detail.assigneeId) ? ' (you)' : ''}`
        : 'Nobody yet',
      canAssign: isOverseer(staff) && detail.status !== 'closed',
      // A closed case takes a reply only once the reporter has written again (the last word is theirs).
      canReply: detail.status !== 'closed' || detail.messages.at(-1)?.from === 'reporter',
      receivedText: formatDate(detail.receivedOn),
      feedbackGivenText: formatDate(detail.feedbackGivenOn ?? null),
      acknowledgedText: detail.acknowledgedOn ? formatDate(detail.acknowledgedOn) : 'Not yet',
    };
  }
}

/** What the banner on the case page says after an action (the action redirects with ?done=…). */
export const NOTICES: Record<string, string> = {
  recommendation: 'The recommendation was added. It is tracked until it is implemented or rejected.',
  'recommendation-updated': 'The recommendation’s status was saved.',
  message: 'Your message was sent to the reporter.',
  assigned: 'The case is assigned. The person you chose can read it now.',
  transferred:
    'The case is transferred. The person who had it can no longer see it, unless their role gives them the case.',
  transition: 'The case has moved to its next stage.',
  'to-assessment': 'The assessment has started.',
  'to-investigation': 'The investigation has started, with its plan.',
  'to-decision': 'The findings have gone to the decision maker.',
  'to-closed': 'The case is closed, with its outcome.',
  'to-reopened': 'The case is open again.',
  acknowledged: 'The case is acknowledged and the first response was sent to the reporter.',
  feedback: 'Your feedback was sent to the reporter.',
  note: 'Your note was added.',
  'identity-request': 'Your request was sent to the custodian of the reporter’s identity.',
  'identity-approved':
    'You approved the request. The reporter has been told their identity was shared, and why.',
  'identity-refused': 'You refused the request.',
  evidence: 'The evidence was added.',
  ownership: 'You have confirmed that you own this case.',
  'hold-set': 'The case is on legal hold: retention will not destroy it.',
  'hold-cleared': 'The legal hold has ended.',
  linked: 'The cases are linked.',
  unlinked: 'The link was removed.',
};

const ACTION_TEXT: Record<string, string> = {
  acknowledged: 'Acknowledge and send the first response',
  assessment: 'Start the assessment',
  investigation: 'Open an investigation',
  decision: 'Submit the findings for a decision',
  reopened: 'Reopen the case',
};

/** Parts of the case page whose API may refuse this user (or not exist yet) are left out, not fatal. */
function optional<T>(error: unknown): T | null {
  if (error instanceof ApiProblem && [403, 404, 405].includes(error.status)) return null;
  throw error;
}

function namesFrom(timeline: Timeline | null): Map<string, string> {
  const names = new Map<string, string>();
  for (const event of timeline?.events ?? [])
    if (event.actor.id) names.set(event.actor.id, actorLabel(event.actor));
  return names;
}

/** Whole days since the case was received, as the list's "Age" column says it. */
export function ageInDays(receivedOn: string, today: string): number {
  return Math.max(
    0,
    Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${receivedOn}T00:00:00Z`)) / 86_400_000),
  );
}

function caseRow(c: CaseSummary, today: string, userId: string) {
  const clock = mostUrgentClock(c);
  const age = ageInDays(c.receivedOn, today);
  return {
    newMessage: c.newMessage === true,
    assignee: c.assigneeId
      ? `${c.assigneeName ?? 'Someone'}${c.assigneeId === userId ? ' (you)' : ''}`
      : 'Not assigned',
    age,
    ageText: age === 1 ? '1 day' : `${age} days`,
    reference: c.reference,
    categoryTitle: c.categoryTitle,
    status: CASE_STATUS_LABELS[c.status as CaseStatus] ?? c.status,
    outcome: c.outcome ? (CASE_OUTCOME_LABELS[c.outcome as CaseOutcome] ?? c.outcome) : null,
    receivedOn: c.receivedOn,
    received: formatShortDate(c.receivedOn),
    clockLabel: clock ? SLA_CLOCK_LABELS[clock.clock] : null,
    due: clock?.due ?? '',
    dueText: clock ? formatShortDate(clock.due) : 'None',
    badge: slaBadge(clock),
  };
}

/**
 * The GOV.UK pagination: page numbers by offset, and a Next link that carries the API's cursor for the
 * page after this one (`next`), so following Next never costs more than the first page.
 */
export function pagination(filters: ListFilters, total: number, next?: string | null) {
  const pages = Math.ceil(total / PAGE_SIZE);
  if (pages <= 1) return null;
  const href = (page: number, after?: string) => `/staff/cases${filtersQuery({ ...filters, page, after })}`;
  return {
    previous: filters.page > 1 ? { href: href(filters.page - 1) } : undefined,
    next: filters.page < pages ? { href: href(filters.page + 1, next ?? undefined) } : undefined,
    items: Array.from({ length: pages }, (_, i) => ({
      number: i + 1,
      href: href(i + 1),
      current: i + 1 === filters.page,
    })),
  };
}

/** The MOJ filter's "selected filters" tags, each a link that removes it. */
function selectedFilters(filters: ListFilters) {
  const categories: { heading: { text: string }; items: { href: string; text: string }[] }[] = [];
  const without = (change: Partial<ListFilters>) =>
    `/staff/cases${filtersQuery({ ...filters, ...change, page: 1 })}`;
  if (filters.status)
    categories.push({
      heading: { text: 'Status' },
      items: [
        { href: without({ status: undefined }), text: CASE_STATUS_LABELS[filters.status as CaseStatus] },
      ],
    });
  if (filters.category && isCategoryId(filters.category))
    categories.push({
      heading: { text: 'Category' },
      items: [{ href: without({ category: undefined }), text: getCategory(filters.category).title }],
    });
  if (filters.deadline)
    categories.push({
      heading: { text: 'Deadline' },
      items: [
        {
          href: without({ deadline: undefined }),
          text: filters.deadline === 'overdue' ? 'Overdue' : 'Due soon or overdue',
        },
      ],
    });
  if (filters.assigned)
    categories.push({
      heading: { text: 'Assigned' },
      items: [
        {
          href: without({ assigned: undefined }),
          text: filters.assigned === 'me' ? 'Assigned to me' : 'Not assigned yet',
        },
      ],
    });
  if (filters.q)
    categories.push({
      heading: { text: 'Search' },
      items: [{ href: without({ q: undefined }), text: filters.q }],
    });
  if (!categories.length) return undefined;
  return {
    heading: { text: 'Selected filters' },
    clearLink: { text: 'Clear filters', href: '/staff/cases' },
    categories,
  };
}

export type { CaseDetail };
