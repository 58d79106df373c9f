import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import { bearerToken, type ResolvedSession } from '../auth/sealed-sessions';
import { type ReporterSessionMeta, ReporterSessionStore } from './reporter-session-store';

interface ReporterRequest extends Request {
  reporter?: ResolvedSession<ReporterSessionMeta>;
}

const SIGN_IN_AGAIN = 'Your session has ended. Sign in again with your receipt.';

/** Requires a reporter session from `Authorization: Bearer <token>` (given for a receipt); 401 otherwise. */
@Injectable()
export class ReporterAuthGuard implements CanActivate {
  constructor(private readonly sessions: ReporterSessionStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ReporterRequest>();
    const token = bearerToken(req.headers.authorization);
    const resolved = token ? await this.sessions.resolve(token) : null;
    if (!resolved) throw new AppError('UNAUTHENTICATED', SIGN_IN_AGAIN);
    req.reporter = resolved;
    return true;
  }
}

export type ReporterSession = ResolvedSession<ReporterSessionMeta>;

export const CurrentReporter = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ReporterSession => {
    const reporter = context.switchToHttp().getRequest<ReporterRequest>().reporter;
    if (!reporter) throw new AppError('UNAUTHENTICATED', SIGN_IN_AGAIN);
    return reporter;
  },
);
