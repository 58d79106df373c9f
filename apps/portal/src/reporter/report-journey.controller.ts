/**
 * Raising a concern (issue #8, reporter journey): the council's start page, one page per thing asked,
 * check your answers, add evidence and send, and the receipt. No page sets a cookie or keeps anything:
 * each page posts the sealed draft to the next (multipart, so a long account never meets the small
 * urlencoded body limit), and each answer page responds with the next page, or itself with errors.
 * Everything works without JavaScript; with it, the ALTCHA widget does the proof of work.
 */
import {
  Body,
  Controller,
  Get,
  Inject,
  NotFoundException,
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
import { type HumanCheckPurpose, ReporterApi, type UploadedEvidence } from '../api/reporter-api';
import { PORTAL_CONFIG, type PortalConfig } from '../app/portal-config';
import { Sealer } from '../common/sealed';
import { assertSlug, CouncilForms } from './council-forms.service';
import { openDraft, openReceipt } from './draft-seal';
import { HumanProofService, isProofProblem } from './human-proof.service';
import {
  applyStep,
  emptyDraft,
  type FieldError,
  findStep,
  firstIncomplete,
  nextStep,
  previousStep,
  toSubmission,
} from './journey';
import { JourneyPages, megabytes } from './journey-pages';
import { ReporterUnavailableFilter, UploadProblemFilter } from './reporter-filters';

type Body = Record<string, unknown>;

/** What multer hands over for each file (memory storage). */
export interface UploadedFile {
  readonly originalname: string;
  readonly size: number;
  readonly buffer: Buffer;
}

/**
 * Multer's own limits sit above the council's (checked with clear messages in sendReport), so that
 * only a grossly oversized upload is cut off early; UploadProblemFilter turns that into a page too.
 */
export const EVIDENCE_UPLOAD = {
  field: 'evidence',
  limits: { fileSize: 50 * 1024 * 1024 + 1, files: 20, fields: 20, fieldSize: 1024 * 1024, parts: 50 },
};

const ANSWER_PAGE_LIMITS = { limits: { fields: 40, fieldSize: 1024 * 1024, files: 0, parts: 60 } };

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

  /** The first question, with an empty draft. */
  @Get('report/:slug/concern')
  async concern(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const form = await this.forms.get(slug);
    const draft = emptyDraft(slug);
    this.pages.step(res, 200, { form, draft, step: firstIncomplete(form, draft) });
  }

  /**
   * An answer page sent: Continue checks it and shows the next page (or this one with errors), Back
   * keeps what was typed and shows the previous page, and a Change button on the check page reopens
   * the page it names.
   */
  @Post('report/:slug/answers/:step')
  @UseInterceptors(NoFilesInterceptor(ANSWER_PAGE_LIMITS))
  async answer(
    @Param('slug') slug: string,
    @Param('step') key: string,
    @Body() body: Body,
    @Res() res: Response,
  ): Promise<void> {
    const form = await this.forms.get(slug);
    const draft = openDraft(this.sealer, body.draft, slug);
    if (!draft) return res.status(400).render('pages/form-expired');
    const step = findStep(form, draft, key);
    if (!step) return this.pages.step(res, 200, { form, draft, step: firstIncomplete(form, draft) });
    const action = typeof body._action === 'string' ? body._action : 'continue';

    // Back is a form of its own carrying only the draft (see backButton): what was typed on the page
    // being left is not kept, as with a browser's back button.
    if (action === 'back')
      return this.pages.step(res, 200, { form, draft, step: previousStep(form, draft, step) ?? step });
    if (action.startsWith('change:')) {
      const target = findStep(form, draft, action.slice('change:'.length));
      if (!target) throw new NotFoundException();
      return this.pages.step(res, 200, { form, draft: { ...draft, returnToCheck: true }, step: target });
    }

    if (step.kind === 'check') {
      const missing = firstIncomplete(form, draft);
      if (missing.kind !== 'check') return this.pages.step(res, 200, { form, draft, step: missing });
      return this.pages.send(res, 200, form, draft, await this.human.ticketForPage(slug, 'submission'));
    }
    const { draft: updated, errors } = applyStep(form, draft, step, body);
    if (errors.length) {
      const involvesTicked = step.kind === 'involves' ? asList(body.involves) : undefined;
      return this.pages.step(res, 400, { form, draft: updated, step, errors, involvesTicked });
    }
    const next = nextStep(form, updated, step);
    const onward = next.kind === 'check' ? { ...updated, returnToCheck: false } : updated;
    return this.pages.step(res, 200, { form, draft: onward, step: next });
  }

  /** Evidence and the proof of work arrive together; the report goes to the API and the receipt comes back. */
  @Post('report/:slug/send')
  @UseFilters(UploadProblemFilter)
  @UseInterceptors(
    FilesInterceptor(EVIDENCE_UPLOAD.field, EVIDENCE_UPLOAD.limits.files, { limits: EVIDENCE_UPLOAD.limits }),
  )
  async send(
    @Param('slug') slug: string,
    @Body() body: Body,
    @UploadedFiles() uploads: UploadedFile[] | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const form = await this.forms.get(slug);
    const draft = openDraft(this.sealer, body.draft, slug);
    if (!draft) return res.status(400).render('pages/form-expired');
    const missing = firstIncomplete(form, draft);
    if (missing.kind !== 'check') return this.pages.step(res, 200, { form, draft, step: missing });

    const files: UploadedEvidence[] = (uploads ?? [])
      .filter((f) => f.size > 0 || f.originalname)
      .map((f) => ({ name: f.originalname || 'evidence', bytes: f.buffer }));
    const problems = evidenceProblems(form.attachments, files);
    const again = async (status: number, errors: FieldError[]) =>
      this.pages.send(res, status, form, draft, await this.human.ticketForPage(slug, 'submission'), errors);
    if (problems.length) return again(400, problems);

    try {
      const sent = await this.human.withProof(slug, 'submission', body, (proof) =>
        this.api.submit(slug, toSubmission(form, draft), proof, files),
      );
      return this.pages.sent(res, 201, form, sent);
    } catch (error) {
      const refused = sendRefusal(error, files.length > 0);
      if (refused) return again(refused.status, refused.errors);
      throw error;
    }
  }

  /** "I have written it down": the last step before leaving the receipt page. */
  @Post('report/:slug/receipt')
  async receipt(@Param('slug') slug: string, @Body() body: Body, @Res() res: Response): Promise<void> {
    const form = await this.forms.get(slug);
    const sent = openReceipt(this.sealer, body.receipt, slug);
    if (!sent) return res.status(400).render('pages/form-expired');
    if (body.writtenDown !== 'yes')
      return this.pages.sent(res, 400, form, sent, [
        { field: 'writtenDown', message: 'Confirm that you have written down your receipt' },
      ]);
    res.status(200).render('reporter/next-steps', {
      pageTitle: 'What happens next',
      slug,
      council: form.tenant.name,
      reference: sent.reference,
    });
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
}

function asList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The council's file limits, checked before anything is sent (the API checks them again). */
export function evidenceProblems(
  limits: { maxFiles: number; maxFileBytes: number; maxTotalBytes: number },
  files: readonly UploadedEvidence[],
): FieldError[] {
  const problems: FieldError[] = [];
  if (files.length > limits.maxFiles)
    problems.push({ field: 'evidence', message: `Select ${limits.maxFiles} files or fewer` });
  for (const file of files) {
    if (file.bytes.length === 0) problems.push({ field: 'evidence', message: `${file.name} is empty` });
    else if (file.bytes.length > limits.maxFileBytes)
      problems.push({
        field: 'evidence',
        message: `${file.name} must be smaller than ${megabytes(limits.maxFileBytes)}`,
      });
  }
  const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
  if (total > limits.maxTotalBytes)
    problems.push({
      field: 'evidence',
      message: `The selected files must be smaller than ${megabytes(limits.maxTotalBytes)} in total`,
    });
  return problems;
}

/**
 * Why the API did not take the report, as errors on the evidence page (the answers are still in the
 * page, so nothing is lost): the proof, the files, the answers, too many reports without JavaScript,
 * or the API being down. Undefined for anything unexpected.
 */
function sendRefusal(
  error: unknown,
  hadFiles: boolean,
): { status: number; errors: FieldError[] } | undefined {
  const reselect = hadFiles ? ' Select your files again.' : '';
  if (error instanceof ApiUnavailable)
    return {
      status: 503,
      errors: [
        {
          field: 'evidence',
          message: `The service is not available at the moment. Nothing has been sent. Try again in a few minutes.${reselect}`,
        },
      ],
    };
  if (!(error instanceof ApiProblem)) return undefined;
  if (error.status === 429)
    return { status: 429, errors: error.messages.map((message) => ({ field: 'send', message })) };
  if (isProofProblem(error))
    return {
      status: 400,
      errors: [
        {
          field: 'send',
          message: `We could not check that a person is sending this report. Nothing has been sent. Press "Send report" again.${reselect}`,
        },
      ],
    };
  if (error.status === 400 || error.status === 413 || error.status === 415)
    return {
      status: error.status,
      errors: error.messages.map((message) => ({ field: 'evidence', message: `${message}${reselect}` })),
    };
  return undefined;
}
