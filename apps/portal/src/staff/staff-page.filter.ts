/**
 * How staff pages fail: no session → the sign-in page; the API's session gone (idle timeout, signed out
 * elsewhere, password changed) → the cookie is cleared and the sign-in page says why; a case the API
 * says does not exist for this user → 404 (never a hint that it exists); a page the user's roles do not
 * allow (the portal's or the API's 403) → "you cannot use this page", within the staff pages; any other
 * refusal → the "problem with your request" page with the status; the API unreachable → 503. Never a stack or the
 * API's internals (hmpps errorHandler).
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProblem, ApiUnavailable } from '../api/api-http';
import { EnrolmentRequired, SignInRequired } from './staff-guard';
import { StaffSessions } from './staff-session';

@Catch()
export class StaffPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('StaffPages');

  constructor(private readonly sessions: StaffSessions) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof SignInRequired) return res.redirect(303, '/staff/sign-in');
    if (exception instanceof EnrolmentRequired) return res.redirect(303, '/staff/two-factor');
    if (exception instanceof ApiProblem) {
      if (exception.status === 401) {
        this.sessions.clear(res);
        return res.redirect(303, '/staff/sign-in?signedOut=expired');
      }
      if (exception.status === 404) return res.status(404).render('pages/not-found');
      if (exception.status === 403) return res.status(403).render('staff/forbidden');
      if (exception.status < 500) return res.status(exception.status).render('pages/bad-request');
      this.logger.error(`The API answered ${exception.status}`);
      return res.status(502).render('pages/error');
    }
    if (exception instanceof ApiUnavailable) {
      this.logger.error('The API is not reachable');
      return res.status(503).render('pages/error');
    }
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500)
      this.logger.error(`Unhandled error: ${exception instanceof Error ? exception.name : 'unknown'}`);
    const view =
      status === 404
        ? 'pages/not-found'
        : status === 403
          ? 'staff/forbidden'
          : status < 500
            ? 'pages/bad-request'
            : 'pages/error';
    res.status(status).render(view);
  }
}
