/**
 * The staff session cookie: the API's bearer token and who it belongs to, sealed by the Sealer (AES-GCM
 * under PORTAL_SESSION_SECRET), in an HttpOnly, SameSite=Strict cookie (Secure in production). The
 * portal keeps nothing else: the API's session in Redis is the session, with its idle timeout.
 *
 * The cookie's value never changes while the session lasts, because csrf-csrf binds each form's token
 * to it; only its Max-Age is renewed on every signed-in page, so the browser forgets it after the same
 * idle time as the API (which returns that time at sign-in). The sealed value also carries the API's
 * absolute limit, so an old cookie can never be replayed past it.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PORTAL_CONFIG, type PortalConfig } from '../app/portal-config';
import { STAFF_SESSION_COOKIE } from '../common/csrf';
import { Sealer } from '../common/sealed';

/** The API's absolute session limit (SESSION_MAX_HOURS, 12 by default): the sealed cookie never outlives it. */
const ABSOLUTE_LIMIT_SECONDS = 12 * 60 * 60;

export interface StaffSession {
  readonly token: string;
  readonly council: string;
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly string[];
  /**
   * 'totp_enrolment' until two-factor sign-in is set up: such a session may only enrol; 'password_change'
   * while the password is one someone else handed over: it may only choose the person's own.
   */
  readonly scope: 'full' | 'totp_enrolment' | 'password_change';
  /** The API's idle timeout, in seconds. */
  readonly idleSeconds: number;
}

@Injectable()
export class StaffSessions {
  private readonly secure: boolean;

  constructor(
    private readonly sealer: Sealer,
    @Inject(PORTAL_CONFIG) config: Pick<PortalConfig, 'nodeEnv'>,
  ) {
    this.secure = config.nodeEnv === 'production';
  }

  /** The session in the request's cookie, or undefined if there is none or it was not sealed by us. */
  read(req: Request): StaffSession | undefined {
    const raw = (req.cookies as Record<string, string | undefined> | undefined)?.[STAFF_SESSION_COOKIE];
    const session = this.sealer.open<StaffSession>('staff-session', raw);
    return session && typeof session.token === 'string' ? session : undefined;
  }

  /** Starts a session: a new cookie (and so a new CSRF binding). */
  start(res: Response, session: StaffSession): void {
    const value = this.sealer.seal('staff-session', session, ABSOLUTE_LIMIT_SECONDS);
    this.setCookie(res, value, session.idleSeconds);
  }

  /** Renews the cookie's idle lifetime with the same value (so CSRF tokens already issued stay valid). */
  touch(req: Request, res: Response, session: StaffSession): void {
    const raw = (req.cookies as Record<string, string>)[STAFF_SESSION_COOKIE];
    if (raw) this.setCookie(res, raw, session.idleSeconds);
  }

  clear(res: Response): void {
    res.clearCookie(STAFF_SESSION_COOKIE, this.options());
  }

  private setCookie(res: Response, value: string, idleSeconds: number): void {
    res.cookie(STAFF_SESSION_COOKIE, value, { ...this.options(), maxAge: idleSeconds * 1000 });
  }

  private options() {
    return { httpOnly: true, sameSite: 'strict' as const, secure: this.secure, path: '/' };
  }
}
