import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { AppError } from '../errors/app-error';
import { bearerToken, type ResolvedSession } from '../auth/sealed-sessions';
import { ReporterKeyEntity } from '../cases/store/case.entity';
import { inTenant } from '../database/tenant-transaction';
import { receiptLock, type ReporterSessionMeta, ReporterSessionStore } from './reporter-session-store';

interface ReporterRequest extends Request {
  reporter?: ResolvedSession<ReporterSessionMeta>;
}

const SIGN_IN_AGAIN = 'Your session has ended. Sign in again with your receipt.';

/**
 * Requires a reporter session from `Authorization: Bearer <token>` (given for a receipt); 401 otherwise.
 * The session must also have been opened under the reporter key's current lock: once the receipt is
 * replaced (issue #15), every other session of the case — one the officer who handed the old receipt
 * over may have opened — ends at its next request, and is deleted.
 */
@Injectable()
export class ReporterAuthGuard implements CanActivate {
  constructor(
    private readonly sessions: ReporterSessionStore,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ReporterRequest>();
    const token = bearerToken(req.headers.authorization);
    const resolved = token ? await this.sessions.resolve(token) : null;
    if (!resolved) throw new AppError('UNAUTHENTICATED', SIGN_IN_AGAIN);
    const { tenantId, caseId, lock } = resolved.meta;
    const row = await inTenant(this.dataSource, tenantId, (m) =>
      m.getRepository(ReporterKeyEntity).findOne({ where: { caseId }, select: { caseId: true, salt: true } }),
    );
    if (!row || !lock || receiptLock(new Uint8Array(row.salt)) !== lock) {
      await this.sessions.destroy(resolved.sessionId);
      throw new AppError('UNAUTHENTICATED', SIGN_IN_AGAIN);
    }
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
