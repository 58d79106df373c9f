/**
 * Raising a concern (issue #8, reporter journey): the council's start page, one page per thing asked,
 * the evidence, check your answers (the last page, where the report is sent), the receipt, and what
 * happens next. Post/redirect/get throughout: every form post answers with a 303 to the page that
 * comes next (or the same page, with its errors), so the browser's Back and refresh only ever load a
 * page and never send a form again. The answers wait in the draft store, encrypted under a key that
 * only the page's address and forms carry (draft-store.ts); no page sets a cookie. A draft is sent
 * once: every later press, refresh or Back shows "This report has already been sent". Everything works
 * without JavaScript; with it, the ALTCHA widget does the proof of work.
 */
import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor, NoFilesInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { ApiProblem, ApiUnavailable } from '../api/api-http';
import {
  type HumanCheckPurpose,
  type IntakeForm,
  ReporterApi,
  type UploadedEvidence,
} from '../api/reporter-api';
import { PORTAL_CONFIG, type PortalConfig } from '../app/portal-config';
import { Sealer } from '../common/sealed';
import { assertSlug, CouncilForms } from './council-forms.service';
import { DraftRecords } from './draft-records';
import { type DraftHandle, type DraftRecord, newHandle, openHandle, type PageProblems } from './draft-seal';
import { DraftStoreFull } from './draft-store';
import { HumanProofService, isProofProblem } from './human-proof.service';
import {
  applyStep,
  type Draft,
  type DraftFile,
  emptyDraft,
  type FieldError,
  findStep,
  firstIncomplete,
  nextStep,
  previousStep,
  type Step,
  toSubmission,
} from './journey';
import { draftPage, JourneyPages, megabytes } from './journey-pages';
import { ReporterUnavailableFilter, UploadProblemFilter } from './reporter-filters';

type Body = Record<string, unknown>;

/** What multer hands over for each file (memory storage). */
export interface UploadedFile {
  readonly originalname: string;
  readonly size: number;
  readonly buffer: Buffer;
}

/**
 * Multer's own limits sit above the council's (checked with clear messages on the evidence page), so
 * that only a grossly oversized upload is cut off early; UploadProblemFilter turns that into a page too.
 */
export const EVIDENCE_UPLOAD = {
  field: 'evidence',
  limits: { fileSize: 50 * 1024 * 1024 + 1, files: 20, fields: 20, fieldSize: 1024 * 1024, parts: 50 },
};

const ANSWER_PAGE_LIMITS = { limits: { fields: 40, fieldSize: 1024 * 1024, files: 0, parts: 60 } };

/** The draft and the step a posted page belongs to, or why there is none. */
type Posted =
  | { readonly ok: true; readonly form: IntakeForm; readonly handle: DraftHandle; readonly draft: Draft }
  | { readonly ok: false };

@Controller()
@UseFilters(ReporterUnavailableFilter)
export class ReportJourneyController {
  constructor(
    @Inject(PORTAL_CONFIG) private readonly config: PortalConfig,
    private readonly forms: CouncilForms,
    private readonly pages: JourneyPages,
    private readonly api: ReporterApi,
    private readonly human: HumanProofService,
    private readonly sealer: Sealer,
    private readonly records: DraftRecords,
  ) {}

  /** A council's own start page. */
  @Get('report/:slug')
  async councilStart(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const form = await this.forms.get(slug);
    res.render('pages/start', {
      pageTitle: this.config.serviceName,
      council: form.tenant.name,
      startHref: `/report/${slug}/concern`,
      followUpHref: `/report/${slug}/sign-in`,
    });
  }

  /** "Start now": a new draft, whose first page is an address of its own (so Back returns to it). */
  @Get('report/:slug/concern')
  async concern(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    await this.forms.get(slug);
    res.redirect(303, draftPage(slug, newHandle(this.sealer, slug), 'concern'));
  }

  /** Any page of a draft: a question page, evidence, check your answers, the receipt, what happens next. */
  @Get('report/:slug/draft/:handle/:page')
  async page(
    @Param('slug') slug: string,
    @Param('handle') token: string,
    @Param('page') key: string,
    @Res() res: Response,
  ): Promise<void> {
    const form = await this.forms.get(slug);
    const handle = openHandle(this.sealer, token, slug);
    const record = handle && this.recordOf(handle, key);
    if (!handle || !record) return res.status(400).render('pages/form-expired');
    if (record.state === 'sent') {
      if (key !== 'sent') return this.pages.alreadySent(res, 200, form, handle, true);
      const problems = record.problems?.step === 'sent' ? record.problems : undefined;
      return this.pages.sent(res, problems ? 400 : 200, form, handle, record.sent, {
        errors: problems?.errors,
        pressedAgain: record.pressedAgain,
      });
    }
    if (record.state === 'done') {
      if (key !== 'next-steps') return this.pages.alreadySent(res, 200, form, handle, false);
      return res.status(200).render('reporter/next-steps', {
        pageTitle: 'What happens next',
        slug,
        council: form.tenant.name,
      });
    }
    const { draft } = record;
    const step = findStep(form, draft, key);
    const missing = firstIncomplete(form, draft);
    // Check your answers only once everything before it is answered; the receipt pages only after sending.
    if (!step || (step.kind === 'check' && missing.kind !== 'check'))
      return res.redirect(303, draftPage(slug, handle, missing.key));
    const problems = record.problems?.step === step.key ? record.problems : undefined;
    this.pages.step(res, problems ? (problems.status ?? 400) : 200, {
      form,
      handle,
      draft,
      step,
      errors: problems?.errors,
      involvesTicked: problems?.involvesTicked,
      ticket: step.kind === 'check' ? await this.human.ticketForPage(slug, 'submission') : undefined,
    });
  }

  /** The evidence page: files are added (or removed) here, and kept with the draft until it is sent. */
  @Post('report/:slug/answers/files')
  @UseFilters(UploadProblemFilter)
  @UseInterceptors(
    FilesInterceptor(EVIDENCE_UPLOAD.field, EVIDENCE_UPLOAD.limits.files, { limits: EVIDENCE_UPLOAD.limits }),
  )
  async files(
    @Param('slug') slug: string,
    @Body() body: Body,
    @UploadedFiles() uploads: UploadedFile[] | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const posted = await this.posted(slug, body, 'files', res);
    if (!posted.ok) return;
    const { form, handle, draft } = posted;
    const step = findStep(form, draft, 'files') as Step;
    const action = actionOf(body);
    if (action !== 'continue') return this.navigate(res, form, handle, draft, step, action);
    const chosen: UploadedEvidence[] = (uploads ?? [])
      .filter((f) => f.size > 0 || f.originalname)
      .map((f) => ({ name: f.originalname || 'evidence', bytes: f.buffer }));
    const kept = draft.files ?? [];
    const problems = fileProblems(form.attachments, [
      ...kept,
      ...chosen.map((f) => ({ name: f.name, size: f.bytes.length })),
    ]);
    if (problems.length) return this.refuse(res, handle, draft, { step: 'files', errors: problems });
    const added: DraftFile[] = [];
    try {
      for (const file of chosen) added.push(this.records.addFile(handle, file.name, file.bytes));
    } catch (error) {
      if (!(error instanceof DraftStoreFull)) throw error;
      added.forEach((f) => this.records.removeFile(handle, f.id));
      return this.refuse(res, handle, draft, {
        step: 'files',
        status: 503,
        errors: [
          {
            field: 'evidence',
            message:
              'We cannot take files at the moment. Try again in a few minutes, or send your report without them: you can add files later, after you sign in with your receipt.',
          },
        ],
      });
    }
    const updated: Draft = { ...draft, files: [...kept, ...added], filesDone: true };
    return this.advance(res, form, handle, updated, step);
  }

  /**
   * An answer page sent: Continue checks it and leads to the next page (or back to this one, with its
   * errors), Back leads to the previous page without keeping what was typed, as the browser's Back
   * would, and a Change button on the check page reopens the page it names.
   */
  @Post('report/:slug/answers/:step')
  @UseInterceptors(NoFilesInterceptor(ANSWER_PAGE_LIMITS))
  async answer(
    @Param('slug') slug: string,
    @Param('step') key: string,
    @Body() body: Body,
    @Res() res: Response,
  ): Promise<void> {
    const posted = await this.posted(slug, body, key, res);
    if (!posted.ok) return;
    const { form, handle, draft } = posted;
    const step = findStep(form, draft, key);
    if (!step) return this.go(res, handle, firstIncomplete(form, draft).key);
    const action = actionOf(body);
    if (action !== 'continue' || step.kind === 'check' || step.kind === 'files')
      return this.navigate(res, form, handle, draft, step, action);
    const { draft: updated, errors } = applyStep(form, draft, step, body);
    if (errors.length)
      return this.refuse(res, handle, updated, {
        step: step.key,
        errors,
        involvesTicked: step.kind === 'involves' ? asList(body.involves) : undefined,
      });
    return this.advance(res, form, handle, updated, step);
  }

  /**
   * "Send report", on the check page, with the proof of work. The report goes to the API once: a
   * second press while the first is on its way waits for it and then shows the same receipt; any press
   * after that, and any page of the draft, says the report has already been sent.
   */
  @Post('report/:slug/send')
  @UseInterceptors(NoFilesInterceptor(ANSWER_PAGE_LIMITS))
  async send(@Param('slug') slug: string, @Body() body: Body, @Res() res: Response): Promise<void> {
    const form = await this.forms.get(slug);
    const handle = openHandle(this.sealer, body.draft, slug);
    const record = handle && this.records.read(handle);
    if (!handle || !record) return res.status(400).render('pages/form-expired');
    // From here to once() nothing waits, so two presses cannot both find the draft unsent.
    const outcome = await this.records.once(handle, () => this.sendOnce(form, handle, body));
    if (outcome.ran) return this.go(res, handle, outcome.value);
    const after = this.records.read(handle);
    if (after?.state === 'sent') {
      this.records.save(handle, { ...after, pressedAgain: true });
      return this.go(res, handle, 'sent');
    }
    return this.go(res, handle, 'check');
  }

  /** "I have written it down": the receipt is then forgotten, and the draft is only "sent". */
  @Post('report/:slug/receipt')
  async receipt(@Param('slug') slug: string, @Body() body: Body, @Res() res: Response): Promise<void> {
    await this.forms.get(slug);
    const handle = openHandle(this.sealer, body.draft, slug);
    const record = handle && this.records.read(handle);
    if (!handle || !record || record.state === 'draft') return res.status(400).render('pages/form-expired');
    if (record.state === 'done') return this.go(res, handle, 'next-steps');
    if (body.writtenDown !== 'yes') {
      this.records.save(handle, {
        ...record,
        problems: {
          step: 'sent',
          errors: [{ field: 'writtenDown', message: 'Confirm that you have written down your receipt' }],
        },
      });
      return this.go(res, handle, 'sent');
    }
    this.records.save(handle, { state: 'done' });
    return this.go(res, handle, 'next-steps');
  }

  /** The ALTCHA challenge for the widget, fetched from our own origin (no third-party request). */
  @Get('report/:slug/challenge')
  async challenge(
    @Param('slug') slug: string,
    @Query('purpose') purpose: string,
    @Res() res: Response,
  ): Promise<void> {
    assertSlug(slug);
    const forPurpose: HumanCheckPurpose = purpose === 'reporter-session' ? 'reporter-session' : 'submission';
    try {
      res.json(await this.api.challenge(slug, forPurpose));
    } catch (error) {
      if (error instanceof ApiProblem) {
        res.status(error.status).json({ message: error.messages });
        return;
      }
      throw error;
    }
  }

  /** Sends the draft, and says which page of the draft comes next. */
  private async sendOnce(form: IntakeForm, handle: DraftHandle, body: Body): Promise<string> {
    const record = this.records.read(handle);
    if (!record || record.state !== 'draft') return 'check';
    const { draft } = record;
    const missing = firstIncomplete(form, draft);
    if (missing.kind !== 'check') return missing.key;
    const files = this.records.files(handle, draft);
    if (!files) {
      this.records.save(handle, {
        state: 'draft',
        draft: { ...draft, files: [], filesDone: false },
        problems: {
          step: 'files',
          errors: [
            {
              field: 'evidence',
              message: 'Your files were kept for a day and have been deleted. Select them again.',
            },
          ],
        },
      });
      return 'files';
    }
    try {
      const sent = await this.human.withProof(form.tenant.slug, 'submission', body, (proof) =>
        this.api.submit(form.tenant.slug, toSubmission(form, draft), proof, files),
      );
      this.records.save(handle, { state: 'sent', sent });
      for (const file of draft.files ?? []) this.records.removeFile(handle, file.id);
      return 'sent';
    } catch (error) {
      const refused = sendRefusal(error, files.length > 0);
      if (!refused) throw error;
      this.records.save(handle, { state: 'draft', draft, problems: refused });
      return refused.step;
    }
  }

  /** The record a page is drawn from: a new draft's first page has none yet. */
  private recordOf(handle: DraftHandle, key: string): DraftRecord | undefined {
    return (
      this.records.read(handle) ??
      (key === 'concern' ? { state: 'draft', draft: emptyDraft(handle.slug) } : undefined)
    );
  }

  /** The posted page's draft, or a page saying why there is none (already answered when not ok). */
  private async posted(slug: string, body: Body, key: string, res: Response): Promise<Posted> {
    const form = await this.forms.get(slug);
    const handle = openHandle(this.sealer, body.draft, slug);
    const record = handle && this.recordOf(handle, key);
    if (!handle || !record) {
      res.status(400).render('pages/form-expired');
      return { ok: false };
    }
    if (record.state !== 'draft') {
      this.go(res, handle, 'check');
      return { ok: false };
    }
    return { ok: true, form, handle, draft: record.draft };
  }

  /** Back, Change, or removing a file: nothing typed on the page is kept. */
  private navigate(
    res: Response,
    form: IntakeForm,
    handle: DraftHandle,
    draft: Draft,
    step: Step,
    action: string,
  ): void {
    if (action === 'back') return this.go(res, handle, (previousStep(form, draft, step) ?? step).key);
    if (action.startsWith('change:')) {
      const target = findStep(form, draft, action.slice('change:'.length));
      if (!target) return this.go(res, handle, step.key);
      this.records.save(handle, { state: 'draft', draft: { ...draft, returnToCheck: true } });
      return this.go(res, handle, target.key);
    }
    if (action.startsWith('remove:') && step.kind === 'files') {
      const id = action.slice('remove:'.length);
      this.records.removeFile(handle, id);
      this.records.save(handle, {
        state: 'draft',
        draft: { ...draft, files: (draft.files ?? []).filter((f) => f.id !== id) },
      });
      return this.go(res, handle, 'files');
    }
    return this.go(res, handle, firstIncomplete(form, draft).key);
  }

  private advance(res: Response, form: IntakeForm, handle: DraftHandle, updated: Draft, step: Step): void {
    const next = nextStep(form, updated, step);
    this.records.save(handle, {
      state: 'draft',
      draft: next.kind === 'check' ? { ...updated, returnToCheck: false } : updated,
    });
    return this.go(res, handle, next.key);
  }

  /** The answers as typed, kept, and the same page again with its errors. */
  private refuse(res: Response, handle: DraftHandle, draft: Draft, problems: PageProblems): void {
    this.records.save(handle, { state: 'draft', draft, problems });
    return this.go(res, handle, problems.step);
  }

  private go(res: Response, handle: DraftHandle, page: string): void {
    res.redirect(303, draftPage(handle.slug, handle, page));
  }
}

function actionOf(body: Body): string {
  return typeof body._action === 'string' ? body._action : 'continue';
}

function asList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The council's file limits, checked before anything is kept or sent (the API checks them again). */
export function fileProblems(
  limits: { maxFiles: number; maxFileBytes: number; maxTotalBytes: number },
  files: readonly { name: string; size: number }[],
): FieldError[] {
  const problems: FieldError[] = [];
  if (files.length > limits.maxFiles)
    problems.push({ field: 'evidence', message: `Select ${limits.maxFiles} files or fewer` });
  for (const file of files) {
    if (file.size === 0) problems.push({ field: 'evidence', message: `${file.name} is empty` });
    else if (file.size > limits.maxFileBytes)
      problems.push({
        field: 'evidence',
        message: `${file.name} must be smaller than ${megabytes(limits.maxFileBytes)}`,
      });
  }
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.maxTotalBytes)
    problems.push({
      field: 'evidence',
      message: `The selected files must be smaller than ${megabytes(limits.maxTotalBytes)} in total`,
    });
  return problems;
}

/** The same, for files as uploaded (a reply on the case page). */
export function evidenceProblems(
  limits: { maxFiles: number; maxFileBytes: number; maxTotalBytes: number },
  files: readonly UploadedEvidence[],
): FieldError[] {
  return fileProblems(
    limits,
    files.map((f) => ({ name: f.name, size: f.bytes.length })),
  );
}

/**
 * Why the API did not take the report, as errors on the check page, or on the evidence page when the
 * files were the problem (the answers and files are still kept, so nothing is lost): the proof, the
 * files, the answers, too many reports without JavaScript, the API being down, or the API answering that
 * it cannot take the report now (a 503 with Retry-After: busy, or Postgres or Redis down or saturated;
 * docs/abuse-resistance.md "Degrading, never a 500 (issue #17)"). Undefined for anything unexpected.
 */
function sendRefusal(error: unknown, hadFiles: boolean): PageProblems | undefined {
  const onCheck = (status: number, messages: readonly string[]): PageProblems => ({
    step: 'check',
    status,
    errors: messages.map((message) => ({ field: 'send', message })),
  });
  if (error instanceof ApiUnavailable)
    return onCheck(503, [
      'The service is not available at the moment. Nothing has been sent. Try again in a few minutes.',
    ]);
  if (!(error instanceof ApiProblem)) return undefined;
  if (error.status === 503)
    return onCheck(503, [
      'The service is busy at the moment. Nothing has been sent, and your answers are kept. Press "Send report" again in a few seconds.',
    ]);
  if (error.status === 429) return onCheck(429, error.messages);
  if (isProofProblem(error))
    return onCheck(400, [
      'We could not check that a person is sending this report. Nothing has been sent. Press "Send report" again.',
    ]);
  if (error.status === 400 || error.status === 413 || error.status === 415)
    return hadFiles
      ? {
          step: 'files',
          status: error.status,
          errors: error.messages.map((message) => ({ field: 'evidence', message })),
        }
      : onCheck(error.status, error.messages);
  return undefined;
}
