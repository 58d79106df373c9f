/**
 * Closing a case needs its overseer's agreement (issue #15: an implicated handler must not bury a
 * concern; libs/domain lifecycle.ts `closingNeedsAgreement`). A handler who is neither the case's
 * overseer nor a statutory officer asks (POST /cases/:reference/closure-requests, with the outcome and
 * why); the overseer — whoever routing names now, the one rule every overseer decision uses — agrees or
 * refuses; the closing itself is then an ordinary transition, which uses the agreement once
 * (`useAgreement`, called by TransitionsService inside its transaction). The overseer may also close
 * the case themselves. The reasons are internal-scope content; the audit trail records the facts.
 */
import type { ClosureRequestView } from '@nolan/contract';
import { Injectable } from '@nestjs/common';
import { decryptWithScope } from '@nolan/crypto';
import { CASE_OUTCOMES, type CaseOutcome, toLondonDate } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { CaseAccessService } from '../access/case-access.service';
import { CaseDoor, type OpenCase } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { unpackJson } from '../record/item-codec';
import { CasesRepository } from '../store/cases.repository';
import { ClosureRequestEntity } from '../store/oversight-request.entity';

/** The message a closing refused for want of agreement carries. */
export const CLOSING_NEEDS_AGREEMENT =
  'Closing this case needs its overseer’s agreement: ask them to agree (POST /cases/{reference}/closure-requests with the outcome and why), then close it with that outcome once they have.';

@Injectable()
export class ClosureRequestService {
  constructor(
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
    private readonly recorder: CaseRecorder,
    private readonly cases: CasesRepository,
  ) {}

  /** A handler asks the overseer to agree to closing the case with `outcome`. */
  async request(
    staff: AuthenticatedStaff,
    reference: string,
    body: { outcome: string; reason: string },
  ): Promise<ClosureRequestView> {
    if (!(CASE_OUTCOMES as readonly string[]).includes(body.outcome))
      throw new AppError('INVALID_INPUT', [`outcome must be one of: ${CASE_OUTCOMES.join(', ')}`]);
    const reason = body.reason.trim();
    if (!reason) throw new AppError('INVALID_INPUT', ['reason is required']);
    return this.door.open(staff, reference, { roles: 'handler', require: ['internal'] }, async (opened) => {
      const { m, found, actor } = opened;
      if (found.status === 'closed') throw new AppError('CONFLICT', 'This case is already closed.');
      const open = await m
        .getRepository(ClosureRequestEntity)
        .count({ where: { caseId: found.id, requesterId: actor.userId, status: 'pending' } });
      if (open > 0)
        throw new AppError(
          'CONFLICT',
          'You already asked to close this case; wait for the overseer’s answer.',
        );
      const row = await m.getRepository(ClosureRequestEntity).save({
        tenantId: actor.tenantId,
        caseId: found.id,
        requesterId: actor.userId,
        outcome: body.outcome,
        status: 'pending' as const,
      });
      await this.recorder.record(
        m,
        { tenantId: actor.tenantId, caseId: found.id },
        {
          kind: 'closure_requested',
          by: { origin: 'staff', staffId: actor.userId },
          body: { requestId: row.id, outcome: body.outcome, reason },
          details: { requestId: row.id, outcome: body.outcome },
        },
      );
      const [view] = await this.views(opened, [row.id]);
      return view as ClosureRequestView;
    });
  }

  /** The overseer agrees to or refuses a closing. */
  async decide(
    staff: AuthenticatedStaff,
    reference: string,
    requestId: string,
    body: { agree: boolean; reason?: string },
  ): Promise<ClosureRequestView> {
    return this.door.open(staff, reference, {}, async (opened) => {
      const { m, found, actor } = opened;
      const row = await m
        .getRepository(ClosureRequestEntity)
        .findOne({ where: { id: requestId, caseId: found.id } });
      if (!row) throw new AppError('NOT_FOUND', 'There is no closure request with this id on this case.');
      if (!(await this.access.isOverseer(m, found.id, actor, opened.keys)))
        throw new AppError('FORBIDDEN', 'Only the overseer of this case can agree to closing it.');
      if (row.status !== 'pending')
        throw new AppError('CONFLICT', `This closure request was already ${row.status}.`);
      await m.getRepository(ClosureRequestEntity).update(
        { id: row.id },
        {
          status: body.agree ? 'agreed' : 'refused',
          decidedBy: actor.userId,
          decidedOn: toLondonDate(new Date()),
        },
      );
      await this.recorder.record(
        m,
        { tenantId: actor.tenantId, caseId: found.id },
        {
          kind: 'closure_decided',
          by: { origin: 'staff', staffId: actor.userId },
          body: { requestId: row.id, agreed: body.agree, reason: body.reason?.trim() || null },
          details: { requestId: row.id, agreed: body.agree },
        },
      );
      const [view] = await this.views(opened, [row.id]);
      return view as ClosureRequestView;
    });
  }

  /** The closure requests on a case, for anyone who holds it. */
  async list(staff: AuthenticatedStaff, reference: string): Promise<ClosureRequestView[]> {
    return this.door.open(staff, reference, {}, (opened) => this.views(opened));
  }

  /**
   * Uses the overseer's agreement to close the case with `outcome` (inside the transition's
   * transaction), or refuses with 409. An agreement counts only while the one who gave it still
   * oversees the case.
   */
  async useAgreement(opened: OpenCase, outcome: CaseOutcome | null): Promise<void> {
    const { m, found } = opened;
    const agreed = await m
      .getRepository(ClosureRequestEntity)
      .find({ where: { caseId: found.id, status: 'agreed', outcome: outcome ?? '' } });
    const routing = agreed.length > 0 ? await this.access.currentRouting(m, found.id, opened.keys) : null;
    const overseer = routing?.kind === 'routed' ? routing.overseer.userId : null;
    const row = agreed.find((r) => r.decidedBy === overseer);
    if (row) {
      await m.getRepository(ClosureRequestEntity).update({ id: row.id }, { status: 'used' });
      return;
    }
    throw new AppError('CONFLICT', CLOSING_NEEDS_AGREEMENT);
  }

  private async views(opened: OpenCase, ids?: string[]): Promise<ClosureRequestView[]> {
    const { m, found } = opened;
    const rows = (
      await m
        .getRepository(ClosureRequestEntity)
        .find({ where: { caseId: found.id }, order: { requestedOn: 'ASC' } })
    ).filter((r) => !ids || ids.includes(r.id));
    const reasons = await this.reasons(m, opened);
    return rows.map((r) => ({
      id: r.id,
      outcome: r.outcome,
      status: r.status,
      requestedBy: r.requesterId,
      requestedOn: r.requestedOn,
      reason: reasons.get(r.id) ?? null,
      decidedBy: r.decidedBy,
      decidedOn: r.decidedOn,
    }));
  }

  private async reasons(m: EntityManager, opened: OpenCase): Promise<Map<string, string>> {
    const reasons = new Map<string, string>();
    const scopeKey = await opened.key('internal');
    if (!scopeKey) return reasons;
    for (const item of await this.cases.items(m, opened.found.id, 'internal')) {
      if (item.kind !== 'closure_request') continue;
      const body = unpackJson<{ requestId: string; reason: string }>(
        await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey),
      );
      reasons.set(body.requestId, body.reason);
    }
    return reasons;
  }
}
