import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { refusalOf } from './form-body';

/** Friendly GOV.UK error pages with no detail: never a message, stack or request echo (hmpps errorHandler). */
@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PortalErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // A form the body parser refused, or one in a type the page does not read: say why (app/form-body.ts).
    const refused = refusalOf(exception) ?? unsupportedType(exception);
    if (refused) {
      if (!res.headersSent) res.status(refused.status).render('pages/request-refused', { reason: refused.reason });
      return;
    }
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500)
      this.logger.error(`Unhandled error: ${exception instanceof Error ? exception.name : 'unknown'}`);
    if (res.headersSent) return;
    const view = status === 404 ? 'pages/not-found' : status < 500 ? 'pages/bad-request' : 'pages/error';
    res.status(status).render(view);
  }
}

function unsupportedType(exception: unknown): { status: number; reason: string } | null {
  if (!(exception instanceof HttpException) || exception.getStatus() !== 415) return null;
  return { status: 415, reason: exception.message };
}
