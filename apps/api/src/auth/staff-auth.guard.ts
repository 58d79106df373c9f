import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import { bearerToken } from './sealed-sessions';
import { SessionStore, type StaffSession } from './session-store';

/** A signed-in staff user: the session, and the token's secret that opens the key sealed in it. */
export interface AuthenticatedStaff {
  session: StaffSession;
  secret: Buffer;
}

export interface AuthenticatedRequest extends Request {
  staff?: AuthenticatedStaff;
}

const ALLOW_ENROLMENT = 'nolan:allow-totp-enrolment';
/** Marks a route an enrolment-only session may call (setting up two-factor sign-in). */
export const AllowTotpEnrolment = () => SetMetadata(ALLOW_ENROLMENT, true);
const ALLOW_PASSWORD_CHANGE = 'nolan:allow-password-change';
/**
 * Marks a route a password-change-only session may call: a password someone else handed over opens
 * nothing but choosing one's own (issue #15).
 */
export const AllowPasswordChange = () => SetMetadata(ALLOW_PASSWORD_CHANGE, true);

/** Requires a valid staff session from `Authorization: Bearer <token>`; 401 otherwise. */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionStore,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req.headers.authorization);
    const resolved = token ? await this.sessions.resolve(token) : null;
    if (!resolved) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    const allowed = (key: string) =>
      this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) === true;
    if (resolved.session.scope === 'totp_enrolment' && !allowed(ALLOW_ENROLMENT)) {
      throw new AppError('TOTP_ENROLMENT_REQUIRED', 'Set up two-factor sign-in before you continue.');
    }
    if (resolved.session.scope === 'password_change' && !allowed(ALLOW_PASSWORD_CHANGE)) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'Choose your own password before you continue.');
    }
    req.staff = resolved;
    return true;
  }
}

/** The signed-in staff session (use behind StaffAuthGuard). */
export const CurrentSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): StaffSession => {
    const staff = context.switchToHttp().getRequest<AuthenticatedRequest>().staff;
    if (!staff) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    return staff.session;
  },
);

/** The signed-in staff user with the secret to their session key (use behind StaffAuthGuard). */
export const CurrentStaff = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedStaff => {
    const staff = context.switchToHttp().getRequest<AuthenticatedRequest>().staff;
    if (!staff) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    return staff;
  },
);
