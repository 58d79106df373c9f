/**
 * Moving a case through the investigation lifecycle (issue #7; docs/architecture.md "Investigation lifecycle").
 * The domain's state machine decides; this service records the result with who, when and why: the
 * status and dates in the readable metadata, the transition's own data (first response, plan,
 * findings, recommendations, reasons) encrypted to the internal scope, the first response — and a
 * referral to another procedure — also sent to the reporter, an audit entry and an outbox event, all
 * in one transaction.
 *
 * What the domain cannot see, this service reads from the case and passes as a TransitionContext:
 * the allegations of the current plan (findings must answer each one, once), the findings a decision
 * rests on (a knowingly false one needs confirming) and whether the actor is the case's overseer (only
 * the overseer decides an investigated case). The plan and findings are internal-scope content, read
 * with the actor's own grant.
 *
 * Request bodies, by `to` (documented in OpenAPI on POST /cases/:reference/transitions):
 * - acknowledged: { firstResponse: { proposedHandling, whoIsInvolved, estimatedTimescale, supportAvailable } }
 * - assessment:   {}
 * - investigation: { reason, plan: { scope, allegations: string[], targetDate? } }
 * - decision:     { findings: [{ allegation (as worded in the plan), finding, reason, evidence?: ids }] },
 *                 one per allegation; evidence cites evidence / interview records on the case
 * - closed:       { outcome, reason, referral?: { body, details? }, procedureReferral?: { procedure, details? },
 *                   duplicateOf? (the reference of the case a duplicate duplicates; linked to it),
 *                   recommendations?: [{ action, owner, dueDate? }], knowinglyFalseConfirmed?,
 *                   noFeedbackReason? (needed when the reporter was never given feedback: 409 otherwise) }
 * - reopened:     { reason }
 */
import type { TransitionResult } from '@nolan/contract';
import { Injectable } from '@nestjs/common';
import { decryptWithScope } from '@nolan/crypto';
import {
  type AllegationFindingValue,
  allowedTransitions,
  applyTransition,
  CASE_STATUSES,
  type CaseStatus,
  closingNeedsAgreement,
  computeSlaDates,
  externalBodyGroup,
  getCategory,
  isCategoryId,
  OTHER_PROCEDURE_LABELS,
  recordedTransitionData,
  type StaffRole,
  toLondonDate,
  type TransitionCommand,
  type TransitionContext,
} from '@nolan/domain';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor, type OpenCase } from '../access/case-door';
import { AppError } from '../../errors/app-error';
import { CaseAccessService } from '../access/case-access.service';
import { CaseEntity, CaseItemEntity } from '../store/case.entity';
import { CasesRepository } from '../store/cases.repository';
import { mapCaseSummary } from '../reads/cases.service';
import { CaseRecorder } from '../record/case-recorder';
import { unpackJson } from '../record/item-codec';
import { tenantSlaPolicy } from '../../tenants/tenant-sla';
import { ClosureRequestService } from './closure-request.service';
import { LinksService } from './links.service';
import { RecommendationService } from './recommendation.service';

@Injectable()
export class TransitionsService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly recorder: CaseRecorder,
    private readonly access: CaseAccessService,
    private readonly door: CaseDoor,
    private readonly links: LinksService,
    private readonly recommendations: RecommendationService,
    private readonly closures: ClosureRequestService,
  ) {}

  async transition(staff: AuthenticatedStaff, reference: string, body: unknown): Promise<TransitionResult> {
    const { session } = staff;
    const to = (body as { to?: unknown } | null)?.to;
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof to !== 'string' ||
      !CASE_STATUSES.includes(to as CaseStatus)
    ) {
      throw new AppError('INVALID_INPUT', [`to must be one of: ${CASE_STATUSES.join(', ')}`]);
    }
    // Findings and decisions are checked against internal content, read with the actor's own key.
    const outcome = (body as { outcome?: unknown }).outcome;
    const needsContext = to === 'decision' || (to === 'closed' && outcome !== 'withdrawn');
    // Closing may need the overseer's agreement, which routing (read with the actor's key) decides.
    return this.door.open(staff, reference, { unlock: needsContext || to === 'closed' }, async (opened) => {
      const { m, found } = opened;
      const command = body as TransitionCommand;
      const context = needsContext
        ? await this.context(opened, to as CaseStatus)
        : ({} satisfies TransitionContext);
      const result = applyTransition(
        found.status as CaseStatus,
        command,
        session.roles as StaffRole[],
        context,
      );
      if (!result.ok) {
        if (result.code === 'illegal_transition') throw new AppError('CONFLICT', result.reason);
        if (result.code === 'not_permitted') throw new AppError('FORBIDDEN', result.reason);
        throw new AppError('INVALID_INPUT', [result.reason]);
      }
      // Closing as a duplicate writes to the other case too (a link, an entry): it is held with this
      // one before the first write here (docs/architecture.md "Placement"); linkWithin answers for it.
      if (command.to === 'closed' && command.outcome === 'duplicate' && command.duplicateOf)
        await opened.otherToWrite(command.duplicateOf.trim().toUpperCase());
      // Closing short of the overseer's own decision needs their agreement (issue #15): an implicated
      // handler must not bury a concern. The agreement is used once, in this transaction.
      if (
        closingNeedsAgreement(
          result.from,
          result.to,
          result.outcome,
          session.roles as StaffRole[],
          result.to === 'closed' && (await this.access.isOverseer(m, found.id, opened.actor, opened.keys)),
        )
      )
        await this.closures.useAgreement(opened, result.outcome);
      // A duplicate names the case it duplicates: linked in this transaction, so the two are found
      // together (a link the two already have is kept). An unknown or unheld reference is a bad field
      // of this request, answered alike for both, so nothing is learnt of a case the closer cannot open.
      if (command.to === 'closed' && command.outcome === 'duplicate' && command.duplicateOf) {
        try {
          await this.links.linkWithin(
            opened,
            command.duplicateOf,
            'duplicate',
            `Closed as a duplicate of this case: ${command.reason.trim()}`,
            true,
          );
        } catch (error) {
          if (!(error instanceof AppError) || !['NOT_FOUND', 'INVALID_INPUT'].includes(error.code))
            throw error;
          throw new AppError('INVALID_INPUT', [
            error.code === 'NOT_FOUND'
              ? 'There is no case with that reference that you can open; give the reference of the case this one duplicates (duplicateOf).'
              : 'A case cannot be a duplicate of itself; give the reference of the other case (duplicateOf).',
          ]);
        }
      }
      const today = toLondonDate(new Date());
      const data = recordedTransitionData(command);
      const changes: Partial<CaseEntity> = { status: result.to, outcome: result.outcome };
      const { policy } = await tenantSlaPolicy(m);
      const feedbackDue = (dates: { acknowledgedOn: string | null; reopenedOn: string | null }) =>
        computeSlaDates({
          policy,
          receivedOn: toLondonDate(found.receivedAt),
          ...dates,
          clock: isCategoryId(found.category) ? getCategory(found.category).clock : 'standard',
        }).feedbackDue;
      if (result.to === 'acknowledged') {
        const dates = { acknowledgedOn: today, reopenedOn: found.reopenedOn };
        Object.assign(changes, { acknowledgedOn: today, feedbackDue: feedbackDue(dates) });
      }
      if (result.to === 'closed') {
        changes.closedOn = today;
        // Only the body's group, readable for the dashboard's referrals by body; the exact body and the
        // details stay in the encrypted decision (docs/dashboard.md "What each figure counts").
        changes.referralGroup =
          data.to === 'closed' && data.outcome === 'referred_externally'
            ? externalBodyGroup(data.referral?.body)
            : null;
      }
      // The plan's target date is kept readable for its reminder (sla.service.ts): set by a plan, gone
      // once the case leaves investigation (the timers then find nothing to do).
      changes.planTargetDate = command.to === 'investigation' ? (command.plan.targetDate ?? null) : null;
      // Reopening starts a new feedback clock, 3 months from today (libs/domain sla.ts): feedback given
      // before it answered the case as it was closed, so it no longer meets the clock.
      if (result.to === 'reopened') {
        const dates = { acknowledgedOn: found.acknowledgedOn, reopenedOn: today };
        Object.assign(changes, {
          closedOn: null,
          outcome: null,
          referralGroup: null,
          reopenedOn: today,
          feedbackDue: feedbackDue(dates),
          feedbackGivenOn: null,
        });
      }
      await m.getRepository(CaseEntity).update({ id: found.id }, changes);

      const toReporter = messageToReporter(data);
      const recorded = await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        {
          kind: 'transitioned',
          by: { origin: 'staff', staffId: session.userId },
          body: { from: result.from, to: result.to, outcome: result.outcome, on: today, data },
          details: { from: result.from, to: result.to, outcome: result.outcome },
          signal: { from: result.from, to: result.to },
          ...(toReporter ? { notice: toReporter } : {}),
        },
      );
      // A decision's recommendations become tracked ones (docs/case-core.md "Recommendations").
      if (data.to === 'closed' && data.recommendations?.length)
        await this.recommendations.trackDecision(opened, recorded.itemId, data.recommendations);
      const updated = await m.getRepository(CaseEntity).findOneOrFail({ where: { id: found.id } });
      return {
        ...mapCaseSummary(updated, { policy, today }),
        allowedTransitions: allowedTransitions(result.to, session.roles as StaffRole[]),
      };
    });
  }

  /**
   * What the move needs to know about the case: for findings, the current plan's allegations and the
   * evidence and interview records on the case (findings may cite them by id); for a
   * decision, the findings it rests on and whether the actor is the case's overseer
   * (CaseAccessService.isOverseer: routing as it stands, the one rule every overseer decision uses).
   */
  private async context(opened: OpenCase, to: CaseStatus): Promise<TransitionContext> {
    const { m, found, actor } = opened;
    if (to === 'decision' && found.status === 'investigation') {
      const plan = await this.latestTransitionData(opened, 'investigation');
      const allegations = (plan as { plan?: { allegations?: unknown } } | null)?.plan?.allegations;
      const evidence = await m.getRepository(CaseItemEntity).find({
        select: { id: true },
        where: { caseId: found.id, scope: 'internal', kind: 'evidence' },
      });
      return {
        evidenceIds: evidence.map((item) => item.id),
        ...(Array.isArray(allegations) ? { planAllegations: allegations as string[] } : {}),
      };
    }
    // Feedback given since the case was received or reopened (reopening clears feedbackGivenOn):
    // closing needs it, or a recorded reason for none (libs/domain feedbackOwedAtClosure).
    const feedbackGiven = found.feedbackGivenOn !== null;
    if (to === 'closed' && found.status === 'decision') {
      const recorded = await this.latestTransitionData(opened, 'decision');
      const findings = (recorded as { findings?: { finding: AllegationFindingValue }[] } | null)?.findings;
      return {
        actorIsOverseer: await this.access.isOverseer(m, found.id, actor, opened.keys),
        ...(Array.isArray(findings) ? { findings: findings.map((f) => f.finding) } : {}),
        feedbackGiven,
      };
    }
    return to === 'closed' ? { feedbackGiven } : {};
  }

  /**
   * The data of the latest transition into `to`, from the internal scope. A handler without the
   * internal scope cannot read the plan or the findings, so cannot act on them: 409 with the reason.
   */
  private async latestTransitionData(opened: OpenCase, to: CaseStatus): Promise<unknown> {
    const { m, found } = opened;
    const scopeKey = await opened.key('internal');
    if (!scopeKey) {
      throw new AppError(
        'CONFLICT',
        'You cannot read this case’s internal record (its plan and findings), so you cannot move it on from here.',
      );
    }
    const items = (await this.cases.items(m, found.id, 'internal')).filter((i) => i.kind === 'transition');
    for (const item of items.reverse()) {
      const recorded = unpackJson<{ to?: string; data?: unknown }>(
        await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey),
      );
      if (recorded.to === to) return recorded.data ?? null;
    }
    return null;
  }
}

/**
 * What the reporter is told in writing when the case moves: the first response on acknowledgement
 * (GP-06), and that the case was referred to another procedure (docs/regulatory.md §4, note 4). Outcomes of
 * an investigation reach the reporter as feedback, written by a handler, not from here.
 */
function messageToReporter(data: TransitionCommand): string | null {
  if (data.to === 'acknowledged') {
    const { proposedHandling, whoIsInvolved, estimatedTimescale, supportAvailable } = data.firstResponse;
    return (
      `We have received your concern.\n\nWhat we will do: ${proposedHandling}\n\n` +
      `Who is involved: ${whoIsInvolved}\n\nHow long it should take: ${estimatedTimescale}\n\n` +
      `Support available to you: ${supportAvailable}`
    );
  }
  if (data.to === 'closed' && data.outcome === 'referred_to_another_procedure' && data.procedureReferral) {
    const { procedure, details } = data.procedureReferral;
    const named = procedure === 'other' && details ? details : OTHER_PROCEDURE_LABELS[procedure];
    return (
      `We have assessed your concern and referred it to ${named}, which is the right way to deal ` +
      `with it. Your report stays on record and your receipt still works.`
    );
  }
  if (data.to === 'closed' && data.outcome === 'duplicate') {
    return (
      'We have assessed your concern. The council already knew about what you reported and is dealing ' +
      'with it as part of another report. Your report stays on record and your receipt still works.'
    );
  }
  return null;
}
