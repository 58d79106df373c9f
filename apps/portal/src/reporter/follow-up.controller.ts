/**
 * Following up with the receipt (issue #8): sign in with the 7 words (the proof of work again, as the
 * API asks), then the report's status, the council's feedback, the conversation with the handlers, a
 * reply form with files, downloads, and sign-out. Signing in is the first time the reporter gets a
 * cookie (see reporter-session.ts); every form after it carries a CSRF token. The receipt is never
 * logged, never put back into a page and never kept: it goes to the API once.
 *
 * Addresses (stable, for tests and links): GET/POST /report/:slug/sign-in, GET /report/:slug/case,
 * POST /report/:slug/case/messages, GET /report/:slug/case/files/:id, POST /report/:slug/sign-out.
 */
import {
  type ArgumentsHost,
  BadRequestException,
  Body,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { receiptWords } from '@nolan/domain';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { ApiProblem, ApiUnavailable } from '../api/api-http';
import { type IntakeForm, type ReporterCase, ReporterApi, type UploadedEvidence } from '../api/reporter-api';
import { acceptOf } from './file-accept';
import { PORTAL_CONFIG, type PortalConfig } from '../app/portal-config';
import { Sealer } from '../common/sealed';
import { CouncilForms } from './council-forms.service';
import { HumanProofService, isProofProblem } from './human-proof.service';
import type { FieldError } from './journey';
import { errorModel } from './journey-pages';
import { EVIDENCE_UPLOAD, evidenceProblems, type UploadedFile } from './report-journey.controller';
import { ReporterUnavailableFilter, uploadRefusal } from './reporter-filters';
import {
  clearReporterSession,
  type OpenedSession,
  readReporterSession,
  startReporterSession,
  touchReporterSession,
} from './reporter-session';
import { caseModel } from './case-view';

type Body = Record<string, unknown>;

const MAX_MESSAGE = 20000;

/** The case page, drawn the same way by the controller and the reply upload filter. */
@Injectable()
export class CasePage {
  constructor(
    @Inject(PORTAL_CONFIG) private readonly config: PortalConfig,
    private readonly api: ReporterApi,
    private readonly forms: CouncilForms,
    private readonly sealer: Sealer,
  ) {}

  get secure(): boolean {
    return this.config.nodeEnv === 'production';
  }

  session(req: Request, slug: string): OpenedSession | undefined {
    return readReporterSession(req, this.sealer, slug);
  }

  /** Signed out, or the API ended the session: back to sign-in, saying so. */
  ended(res: Response, slug: string): void {
    clearReporterSession(res, this.secure);
    res.redirect(303, `/report/${slug}/sign-in?ended=1`);
  }

  async render(
    res: Response,
    slug: string,
    opened: OpenedSession,
    options: { status?: number; errors?: readonly FieldError[]; text?: string; notice?: string } = {},
  ): Promise<void> {
    const form = await this.forms.get(slug);
    let view: ReporterCase;
    try {
      view = await this.api.view(opened.session.token);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return this.ended(res, slug);
      throw error;
    }
    touchReporterSession(res, opened.cookie, this.secure);
    res.status(options.status ?? 200).render('reporter/case', {
      ...errorModel(options.errors ?? []),
      ...caseModel(form, view, slug),
      pageTitle: 'Your report',
      slug,
      council: form.tenant.name,
      text: options.text ?? '',
      notice: options.notice,
      maxMessage: MAX_MESSAGE,
      accept: acceptOf(form.attachments),
    });
  }
}

/** A reply whose files the parser refused: the case page again, with the message kept. */
@Catch(PayloadTooLargeException, BadRequestException)
@Injectable()
export class ReplyUploadFilter implements ExceptionFilter {
  constructor(
    private readonly page: CasePage,
    private readonly forms: CouncilForms,
  ) {}

  async catch(error: PayloadTooLargeException | BadRequestException, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const slug = String(req.params.slug ?? '');
    try {
      const opened = this.page.session(req, slug);
      if (!opened) return this.page.ended(res, slug);
      const form = await this.forms.get(slug);
      const text = (req.body as Body | undefined)?.text;
      await this.page.render(res, slug, opened, {
        status: error.getStatus(),
        errors: [{ field: 'files', message: uploadRefusal(error, form.attachments) }],
        text: typeof text === 'string' ? text : '',
      });
    } catch {
      if (!res.headersSent) res.status(error.getStatus()).render('pages/bad-request');
    }
  }
}

@Controller('report/:slug')
@UseFilters(ReporterUnavailableFilter)
export class FollowUpController {
  constructor(
    private readonly api: ReporterApi,
    private readonly forms: CouncilForms,
    private readonly human: HumanProofService,
    private readonly sealer: Sealer,
    private readonly page: CasePage,
  ) {}

  @Get('sign-in')
  async signInPage(
    @Param('slug') slug: string,
    @Query('ended') ended: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const form = await this.forms.get(slug);
    await this.renderSignIn(res, 200, form, [], ended === '1');
  }

  @Post('sign-in')
  async signIn(@Param('slug') slug: string, @Body() body: Body, @Res() res: Response): Promise<void> {
    const form = await this.forms.get(slug);
    const receipt = typeof body.receipt === 'string' ? body.receipt.trim() : '';
    if (!receipt)
      return this.renderSignIn(res, 400, form, [
        { field: 'receipt', message: 'Enter the 7 words of your receipt' },
      ]);
    if (receipt.length > 500)
      return this.renderSignIn(res, 400, form, [
        { field: 'receipt', message: 'Your receipt is 7 words: check what you entered' },
      ]);
    try {
      const { token } = await this.human.withProof(slug, 'reporter-session', body, (proof) =>
        this.api.signIn(slug, receipt, proof),
      );
      startReporterSession(res, this.sealer, { token, slug }, this.page.secure);
      res.redirect(303, `/report/${slug}/case`);
    } catch (error) {
      const refused = signInRefusal(error);
      if (refused) return this.renderSignIn(res, refused.status, form, [refused.error]);
      throw error;
    }
  }

  @Get('case')
  async case(
    @Param('slug') slug: string,
    @Query('sent') sent: string | undefined,
    @Query('added') added: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const opened = this.page.session(req, slug);
    if (!opened) return this.page.ended(res, slug);
    const notice =
      sent === '1'
        ? 'Your message has been sent'
        : added === 'identity'
          ? 'Your details have been added. Only the person looking after your concern can see them.'
          : added === 'involved'
            ? 'Thank you. The people you named can no longer see your report.'
            : undefined;
    await this.page.render(res, slug, opened, { notice });
  }

  @Post('case/messages')
  @UseFilters(ReplyUploadFilter)
  @UseInterceptors(
    FilesInterceptor('files', EVIDENCE_UPLOAD.limits.files, { limits: EVIDENCE_UPLOAD.limits }),
  )
  async message(
    @Param('slug') slug: string,
    @Body() body: Body,
    @UploadedFiles() uploads: UploadedFile[] | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const opened = this.page.session(req, slug);
    if (!opened) return this.page.ended(res, slug);
    const form = await this.forms.get(slug);
    const text = typeof body.text === 'string' ? body.text.replace(/\r\n/g, '\n') : '';
    const files: UploadedEvidence[] = (uploads ?? [])
      .filter((f) => f.size > 0 || f.originalname)
      .map((f) => ({ name: f.originalname || 'file', bytes: f.buffer }));
    const errors: FieldError[] = [];
    if (!text.trim() && !files.length)
      errors.push({ field: 'text', message: 'Enter a message, or select a file to send' });
    if (text.length > MAX_MESSAGE)
      errors.push({
        field: 'text',
        message: `Your message must be ${MAX_MESSAGE.toLocaleString('en-GB')} characters or fewer`,
      });
    errors.push(...evidenceProblems(form.attachments, files).map((e) => ({ ...e, field: 'files' })));
    if (errors.length) return this.page.render(res, slug, opened, { status: 400, errors, text });
    try {
      await this.api.sendMessage(opened.session.token, text.trim(), files);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return this.page.ended(res, slug);
      const reselect = files.length ? ' Select your files again.' : '';
      if (error instanceof ApiProblem && [400, 413, 415].includes(error.status))
        return this.page.render(res, slug, opened, {
          status: error.status,
          errors: error.messages.map((m) => ({
            field: files.length ? 'files' : 'text',
            message: `${m}${reselect}`,
          })),
          text,
        });
      throw error;
    }
    touchReporterSession(res, opened.cookie, this.page.secure);
    res.redirect(303, `/report/${slug}/case?sent=1`);
  }

  /**
   * Replaces the receipt (docs/architecture.md "Replacing a receipt"): the new one is shown on this
   * response only (pages are no-store) and never kept by the portal. A plain form post: no JavaScript.
   */
  @Post('case/receipt')
  async replaceReceipt(
    @Param('slug') slug: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const opened = this.page.session(req, slug);
    if (!opened) return this.page.ended(res, slug);
    let receipt: string;
    try {
      ({ receipt } = await this.api.replaceReceipt(opened.session.token));
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return this.page.ended(res, slug);
      throw error;
    }
    touchReporterSession(res, opened.cookie, this.page.secure);
    const form = await this.forms.get(slug);
    res.status(200).render('reporter/new-receipt', {
      pageTitle: 'Your new receipt',
      slug,
      council: form.tenant.name,
      receiptWords: receiptWords(receipt),
    });
  }

  /** A file of the report (the reporter's own, or one a handler sent), passed through from the API. */
  @Get('case/files/:id')
  async file(
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const opened = this.page.session(req, slug);
    if (!opened) return this.page.ended(res, slug);
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new NotFoundException();
    try {
      const file = await this.api.file(opened.session.token, id);
      touchReporterSession(res, opened.cookie, this.page.secure);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Disposition', file.contentDisposition ?? 'attachment');
      res.send(file.body);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return this.page.ended(res, slug);
      if (error instanceof ApiProblem && (error.status === 404 || error.status === 400))
        throw new NotFoundException();
      throw error;
    }
  }

  @Post('sign-out')
  async signOut(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const opened = this.page.session(req, slug);
    if (opened) {
      try {
        await this.api.signOut(opened.session.token);
      } catch (error) {
        // Already ended on the API's side (idle), or the API is away: the cookie goes either way.
        if (!(error instanceof ApiProblem) && !(error instanceof ApiUnavailable)) throw error;
      }
    }
    clearReporterSession(res, this.page.secure);
    const form = await this.forms.get(slug);
    res
      .status(200)
      .render('reporter/signed-out', { pageTitle: 'You have signed out', slug, council: form.tenant.name });
  }

  private async renderSignIn(
    res: Response,
    status: number,
    form: IntakeForm,
    errors: readonly FieldError[],
    ended = false,
  ): Promise<void> {
    const slug = form.tenant.slug;
    const ticket = await this.human.ticketForPage(slug, 'reporter-session');
    res.status(status).render('reporter/sign-in', {
      ...errorModel(errors),
      pageTitle: 'Sign in with your receipt',
      slug,
      council: form.tenant.name,
      ended,
      action: `/report/${slug}/sign-in`,
      challengeUrl: `/report/${slug}/challenge?purpose=reporter-session`,
      ticket: 'ticket' in ticket ? ticket.ticket : undefined,
      ticketUnavailable: 'unavailable' in ticket ? ticket.unavailable : undefined,
    });
  }
}

/** Why sign-in failed, for the sign-in page. The receipt itself is never shown again. */
function signInRefusal(error: unknown): { status: number; error: FieldError } | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  const message = error.messages[0] ?? 'Sign-in did not work. Try again.';
  if (error.status === 401) return { status: 401, error: { field: 'receipt', message } };
  if (error.status === 429) return { status: 429, error: { field: 'receipt', message } };
  if (isProofProblem(error))
    return {
      status: 400,
      error: {
        field: 'receipt',
        message:
          'We could not check that a person is signing in. Enter your receipt and press "Sign in" again.',
      },
    };
  if (error.status === 400)
    return { status: 400, error: { field: 'receipt', message: 'Enter the 7 words of your receipt' } };
  return undefined;
}
