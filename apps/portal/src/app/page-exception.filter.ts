import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';

/** Friendly GOV.UK error pages with no detail: never a message, stack or request echo (hmpps errorHandler). */
@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PortalErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500)
      this.logger.error(`Unhandled error: ${exception instanceof Error ? exception.name : 'unknown'}`);
    if (res.headersSent) return;
    const view = status === 404 ? 'pages/not-found' : status < 500 ? 'pages/bad-request' : 'pages/error';
    res.status(status).render(view);
  }
}
