/**
 * CSRF protection for every form posted by someone signed in (a staff user, or a reporter signed in
 * with their receipt), with csrf-csrf's signed double-submit token bound to the session cookie. Forms
 * posted before any sign-in (the anonymous report itself, the sign-in forms) carry no session a forged
 * request could ride on, and must set no cookie at all (no cookies before receipt sign-in), so they
 * are not part of it.
 *
 * Templates put `csrfToken` (set in res.locals for signed-in requests) in a hidden `_csrf` field; a
 * multipart form, whose body is read later by the upload handler, puts it in its action's query
 * (`?_csrf=…`) instead.
 */
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The cookies that mean "signed in"; each holds a sealed API token (see Sealer). */
export const STAFF_SESSION_COOKIE = 'nolan_staff';
export const REPORTER_SESSION_COOKIE = 'nolan_reporter';
export const CSRF_COOKIE = 'nolan_csrf';

function sessionOf(req: Request): string | undefined {
  const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
  return cookies[STAFF_SESSION_COOKIE] ?? cookies[REPORTER_SESSION_COOKIE];
}

export interface CsrfOptions {
  readonly secret: string;
  /** Secure cookies (HTTPS); false only for local development and tests over plain HTTP. */
  readonly secureCookies: boolean;
}

/**
 * The middleware chain: cookie parsing, the check on unsafe methods, and a fresh token for the
 * templates. A failed check renders the "form expired" page (403) rather than an error with detail.
 */
export function csrfMiddleware(options: CsrfOptions): RequestHandler[] {
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => options.secret,
    getSessionIdentifier: (req) => sessionOf(req) ?? '',
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'strict', path: '/', secure: options.secureCookies, httpOnly: true },
    getCsrfTokenFromRequest: (req) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      const fromQuery = req.query._csrf;
      return typeof fromQuery === 'string' ? fromQuery : undefined;
    },
    skipCsrfProtection: (req) => sessionOf(req) === undefined,
  });
  const check = (req: Request, res: Response, next: NextFunction) =>
    doubleCsrfProtection(req, res, (error?: unknown) => {
      if (!error) return next();
      res.status(403).render('pages/form-expired');
    });
  const token = (req: Request, res: Response, next: NextFunction) => {
    if (sessionOf(req) !== undefined) res.locals.csrfToken = generateCsrfToken(req, res);
    next();
  };
  return [cookieParser(), check, token];
}
