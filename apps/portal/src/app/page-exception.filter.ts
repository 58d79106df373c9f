import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HourlyErrorTally } from '@nolan/domain';
import type { Response } from 'express';
import { refusalOf } from './form-body';

/**
 * Friendly GOV.UK error pages with no detail: never a message, stack or request echo (hmpps errorHandler).
 * Every page but the staff pages (which have StaffPageFilter) is a reporter's: the form, sending, the
 * receipt and the reporter's case. An error answered there is not logged when it happens, since a log
 * line carries the time to the millisecond: it is counted, by the error's class, and the count is written
 * once its clock hour is over, as the API does for its reporter routes (docs/architecture.md "Logs and
 * the reporter's cookie").
 */
@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PortalErrors');
  readonly pageErrors = new HourlyErrorTally((level, fields, line) =>
    this.logger[level === 'error' ? 'error' : 'warn'](`${line} ${JSON.stringify(fields)}`),
  );

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // A form the body parser refused, or one in a type the page does not read: say why (app/form-body.ts).
    const refused = refusalOf(exception) ?? unsupportedType(exception);
    if (refused) {
      if (!res.headersSent)
        res.status(refused.status).render('pages/request-refused', { reason: refused.reason });
      return;
    }
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500)
      this.pageErrors.add('error', 'Unhandled errors on reporters’ pages', {
        errorType: exception instanceof Error ? exception.name : 'unknown',
      });
    if (res.headersSent) return;
    const view = status === 404 ? 'pages/not-found' : status < 500 ? 'pages/bad-request' : 'pages/error';
    res.status(status).render(view);
  }
}

function unsupportedType(exception: unknown): { status: number; reason: string } | null {
  if (!(exception instanceof HttpException) || exception.getStatus() !== 415) return null;
  return { status: 415, reason: exception.message };
}
