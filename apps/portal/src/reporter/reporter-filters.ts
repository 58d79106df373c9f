/**
 * Errors on the reporter's pages that deserve a page of their own rather than the generic one:
 * - the API cannot be reached: a 503 page with the other ways to raise a concern;
 * - an upload cut off by the multipart parser (a file far over the limit, too many files): the
 *   evidence page again, saying what to change (the answers and earlier files are still kept).
 */
import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  Injectable,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiUnavailable } from '../api/api-http';
import { Sealer } from '../common/sealed';
import { CouncilForms } from './council-forms.service';
import { DraftRecords } from './draft-records';
import { openHandle } from './draft-seal';
import type { FieldError } from './journey';
import { draftPage, megabytes } from './journey-pages';

@Catch(ApiUnavailable)
export class ReporterUnavailableFilter implements ExceptionFilter {
  catch(_error: ApiUnavailable, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    res.status(503).render('pages/report-not-open', {
      pageTitle: 'Sorry, you cannot raise a concern online at the moment',
    });
  }
}

/** What to tell someone whose upload the parser refused. */
export function uploadRefusal(
  error: PayloadTooLargeException | BadRequestException,
  limits: { maxFiles: number; maxFileBytes: number },
): string {
  if (error instanceof PayloadTooLargeException)
    return `Each file must be smaller than ${megabytes(limits.maxFileBytes)}`;
  if (/too many files/i.test(error.message)) return `Select ${limits.maxFiles} files or fewer`;
  return 'The selected files could not be uploaded. Try again, with fewer or smaller files.';
}

@Catch(PayloadTooLargeException, BadRequestException)
@Injectable()
export class UploadProblemFilter implements ExceptionFilter {
  constructor(
    private readonly forms: CouncilForms,
    private readonly sealer: Sealer,
    private readonly records: DraftRecords,
  ) {}

  async catch(error: PayloadTooLargeException | BadRequestException, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const status = error.getStatus();
    try {
      const slug = String(req.params.slug ?? '');
      const form = await this.forms.get(slug);
      // The handle is the form's first field, so it has arrived even when a file was cut off.
      const handle = openHandle(this.sealer, (req.body as Record<string, unknown> | undefined)?.draft, slug);
      const record = handle && this.records.read(handle);
      if (!handle || record?.state !== 'draft') return res.status(status).render('pages/bad-request');
      const errors: FieldError[] = [{ field: 'evidence', message: uploadRefusal(error, form.attachments) }];
      this.records.save(handle, { ...record, problems: { step: 'files', status, errors } });
      res.redirect(303, draftPage(slug, handle, 'files'));
    } catch {
      if (!res.headersSent) res.status(status).render('pages/bad-request');
    }
  }
}
