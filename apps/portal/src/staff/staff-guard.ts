/**
 * Staff pages need a staff session: StaffGuard opens the session cookie and puts the session on the
 * request (read with @CurrentStaff()), renewing the cookie's idle lifetime; without one the visitor is
 * sent to sign in (StaffPageFilter turns SignInRequired into that redirect). An enrolment-only session
 * (two-factor sign-in not yet set up) reaches only the pages marked @EnrolmentAllowed().
 */
import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HANDLER_ROLES, OVERSIGHT_ROLES } from '@nolan/domain';
import type { Request, Response } from 'express';
import { type StaffSession, StaffSessions } from './staff-session';

/** No usable staff session: go and sign in. */
export class SignInRequired extends HttpException {
  constructor(readonly reason: 'none' | 'expired' = 'none') {
    super('Sign in to continue', HttpStatus.UNAUTHORIZED);
  }
}

/** A full session is needed, and this one may only set up two-factor sign-in. */
export class EnrolmentRequired extends HttpException {
  constructor() {
    super('Set up two-factor sign-in first', HttpStatus.FORBIDDEN);
  }
}

const ENROLMENT_ALLOWED = 'nolan-portal:enrolment-allowed';
/** Marks a page an enrolment-only session may use (setting up two-factor sign-in, signing out). */
export const EnrolmentAllowed = () => SetMetadata(ENROLMENT_ALLOWED, true);

export interface StaffRequest extends Request {
  staff?: StaffSession;
}

@Injectable()
export class StaffGuard implements CanActivate {
  constructor(
    private readonly sessions: StaffSessions,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<StaffRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const session = this.sessions.read(req);
    if (!session) {
      if ((req.cookies as Record<string, string> | undefined)?.nolan_staff) this.sessions.clear(res);
      throw new SignInRequired();
    }
    const enrolmentAllowed = this.reflector.getAllAndOverride<boolean>(ENROLMENT_ALLOWED, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (session.scope !== 'full' && !enrolmentAllowed) throw new EnrolmentRequired();
    this.sessions.touch(req, res, session);
    req.staff = session;
    // What every staff page shows: who is signed in, their navigation, and the idle timeout for the warning.
    res.locals.staff = {
      navigation: navigationFor(session, req.path),
      name: session.name,
      roles: session.roles,
      idleSeconds: session.idleSeconds,
      isOverseer: isOverseer(session),
      isAdministrator: session.roles.includes('administrator'),
      isHandler: isHandler(session),
      full: session.scope === 'full',
    };
    return true;
  }
}

/** The signed-in staff session (behind StaffGuard). */
export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffSession => {
  const staff = context.switchToHttp().getRequest<StaffRequest>().staff;
  if (!staff) throw new SignInRequired();
  return staff;
});

/** Oversees cases and decides identity requests: the monitoring officer, or whoever stands in for them. */
export function isOverseer(session: Pick<StaffSession, 'roles'>): boolean {
  return session.roles.some((role) => (OVERSIGHT_ROLES as readonly string[]).includes(role));
}

/** Handles cases (administrators never read one). */
export function isHandler(session: Pick<StaffSession, 'roles'>): boolean {
  return session.roles.some((role) => (HANDLER_ROLES as readonly string[]).includes(role));
}

/** The staff menu for this user, the current section marked (GOV.UK service navigation). */
function navigationFor(session: StaffSession, path: string) {
  const items: { text: string; href: string }[] = [];
  if (session.scope === 'full') {
    if (isOverseer(session)) items.push({ text: 'Home', href: '/staff/home' });
    if (isHandler(session)) items.push({ text: 'Cases', href: '/staff/cases' });
    if (isHandler(session)) items.push({ text: 'Figures', href: '/staff/figures' });
    if (session.roles.includes('audit_committee_chair')) items.push({ text: 'Oversight', href: '/staff/committee' });
    if (session.roles.includes('administrator')) items.push({ text: 'Administration', href: '/staff/admin' });
  }
  if (session.scope === 'full') items.push({ text: 'Your account', href: '/staff/account' });
  items.push({ text: 'Sign out', href: '/staff/sign-out' });
  return items.map((item) => ({ ...item, active: path === item.href || path.startsWith(`${item.href}/`) }));
}
