/**
 * The reporter's session after receipt sign-in: the API's reporter token, sealed (Sealer,
 * 'reporter-session') into the REPORTER_SESSION_COOKIE: HttpOnly, SameSite=Strict, Secure in
 * production. This is the first cookie a reporter ever gets (with it comes the CSRF cookie for their
 * forms).
 *
 * A session cookie, with no Max-Age or Expires (docs/architecture.md "Reporter time"): the browser
 * keeps it in memory only, never on disk, and forgets it when it closes, as the case page tells the
 * reporter. Idle timeout: 15 minutes, kept by the API, which ends an idle session (a 401, after which
 * the portal clears the cookie). The cookie is sent again on each signed-in page with the same value,
 * because the CSRF tokens of the pages are bound to it; its sealed expiry is the API session's
 * absolute limit (2 hours).
 */
import type { Request, Response } from 'express';
import { CSRF_COOKIE, REPORTER_SESSION_COOKIE } from '../common/csrf';
import type { Sealer } from '../common/sealed';

export const REPORTER_IDLE_SECONDS = 15 * 60;
export const REPORTER_MAX_SECONDS = 2 * 3600;

export interface ReporterSession {
  readonly token: string;
  readonly slug: string;
}

export interface OpenedSession {
  readonly session: ReporterSession;
  /** The cookie's value as sent, to send back unchanged. */
  readonly cookie: string;
}

function cookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'strict' as const, secure, path: '/' };
}

export function readReporterSession(req: Request, sealer: Sealer, slug: string): OpenedSession | undefined {
  const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
  const cookie = cookies[REPORTER_SESSION_COOKIE];
  const session = sealer.open<ReporterSession>('reporter-session', cookie);
  return cookie && session && session.slug === slug && typeof session.token === 'string'
    ? { session, cookie }
    : undefined;
}

export function startReporterSession(
  res: Response,
  sealer: Sealer,
  session: ReporterSession,
  secure: boolean,
): void {
  touchReporterSession(res, sealer.seal('reporter-session', session, REPORTER_MAX_SECONDS), secure);
}

/** The same cookie again, still a session cookie (no Max-Age, no Expires). */
export function touchReporterSession(res: Response, cookie: string, secure: boolean): void {
  res.cookie(REPORTER_SESSION_COOKIE, cookie, cookieOptions(secure));
}

export function clearReporterSession(res: Response, secure: boolean): void {
  res.clearCookie(REPORTER_SESSION_COOKIE, cookieOptions(secure));
  res.clearCookie(CSRF_COOKIE, cookieOptions(secure));
}
