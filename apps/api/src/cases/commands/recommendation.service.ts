/**
 * Recommendations as tracked actions (issue #19; docs/case-core.md "Recommendations"): a handler of
 * the case (an investigator, the overseer) records what should be done, by whom and by when, and moves
 * it on — open, in progress, implemented, or rejected with a reason. Each change is one case event
 * through the recorder: the words, a free-text owner and a rejection's reason are encrypted to the
 * internal scope; the status, due date and a named owner's id are kept readable in
 * case_recommendations, for the dashboard's counts and the reminders (sla.service.ts).
 *
 * A closing decision's recommendations become tracked ones in the same transaction
 * (`trackDecision`, from transitions.service.ts), read from the decision's own item, so the dashboard
 * counts one source and closing records one event, as it always has.
 */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RecommendationBody, RecommendationStatusBody } from '@nolan/contract';
import {
  isRecommendationStatus,
  RECOMMENDATION_STATUSES,
  recommendationChangeProblem,
  recommendationProblems,
  toLondonDate,
} from '@nolan/domain';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { CaseDoor, type OpenCase } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { RecommendationEntity } from '../store/recommendation.entity';
import { INTERNAL } from './evidence.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class RecommendationService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
  ) {}

  async raise(staff: AuthenticatedStaff, reference: string, body: Partial<RecommendationBody>) {
    const problems = recommendationProblems(body);
    if (typeof body.ownerId === 'string' && body.ownerId !== '' && !UUID.test(body.ownerId))
      problems.push('ownerId must be the id of a member of staff who holds the case.');
    if (problems.length) throw new AppError('INVALID_INPUT', problems);
    return this.door.open(staff, reference, INTERNAL, async (opened) => {
      const id = await this.raiseWithin(opened, body as RecommendationBody);
      return { id };
    });
  }

  /**
   * Tracks a closing decision's recommendations: their words and owners are in the decision's own
   * `transition` item (`itemId`), at their place in its list; status and due date start here.
   */
  async trackDecision(
    opened: OpenCase,
    itemId: string,
    recommendations: readonly { dueDate?: string }[],
  ): Promise<void> {
    const today = toLondonDate(new Date());
    const repo = opened.m.getRepository(RecommendationEntity);
    for (const [i, r] of recommendations.entries())
      await repo.insert({
        tenantId: opened.actor.tenantId,
        caseId: opened.found.id,
        itemId,
        itemPart: i,
        ownerId: null,
        dueOn: r.dueDate ?? null,
        status: 'open',
        raisedOn: today,
        statusOn: today,
      });
  }

  /**
   * Records a recommendation on a case already opened. A named owner must
   * hold the case and not be ruled out of it: a reminder goes to them, and nobody else should be told
   * of a case they cannot open.
   */
  async raiseWithin(opened: OpenCase, input: RecommendationBody): Promise<string> {
    const { m, found, actor } = opened;
    const ownerId = input.ownerId || null;
    if (ownerId) {
      const [holds]: unknown[] = await m.query(
        `SELECT 1 FROM case_grants g JOIN staff_users u ON u.id = g.grantee_id
          WHERE g.case_id = $1 AND g.grantee_kind = 'staff' AND g.grantee_id = $2 AND u.deactivated_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM case_exclusions e WHERE e.case_id = g.case_id AND e.user_id = $2)
          LIMIT 1`,
        [found.id, ownerId],
      );
      if (!holds)
        throw new AppError('INVALID_INPUT', [
          'ownerId must be a member of staff who holds the case; name a team or post as owner instead.',
        ]);
    }
    const today = toLondonDate(new Date());
    const row = m.getRepository(RecommendationEntity).create({
      tenantId: actor.tenantId,
      caseId: found.id,
      ownerId,
      dueOn: input.dueOn ?? null,
      status: 'open',
      raisedOn: today,
      statusOn: today,
    });
    row.id = randomUUID();
    const { itemId } = await this.recorder.record(
      m,
      { tenantId: actor.tenantId, caseId: found.id },
      {
        kind: 'recommendation_raised',
        by: { origin: 'staff', staffId: actor.userId },
        body: {
          recommendationId: row.id,
          text: input.text.trim(),
          ...(ownerId ? {} : { owner: (input.owner ?? '').trim() }),
        },
        details: { recommendationId: row.id, dueOn: row.dueOn, ownerId },
        signal: { recommendationId: row.id },
      },
    );
    row.itemId = itemId;
    await m.getRepository(RecommendationEntity).insert(row);
    return row.id;
  }

  async update(
    staff: AuthenticatedStaff,
    reference: string,
    id: string,
    body: Partial<RecommendationStatusBody>,
  ): Promise<{ id: string; status: string }> {
    if (!isRecommendationStatus(body.status))
      throw new AppError('INVALID_INPUT', [`status must be one of: ${RECOMMENDATION_STATUSES.join(', ')}`]);
    if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 5000))
      throw new AppError('INVALID_INPUT', ['reason must be text of 5,000 characters or fewer.']);
    const to = body.status;
    return this.door.open(staff, reference, INTERNAL, async ({ m, found, actor }) => {
      const row = UUID.test(id)
        ? await m
            .getRepository(RecommendationEntity)
            .findOne({ where: { id, caseId: found.id }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!row) throw new AppError('NOT_FOUND', 'There is no recommendation with this id on the case.');
      const problem = recommendationChangeProblem(row.status, to, body.reason);
      if (problem?.code === 'illegal') throw new AppError('CONFLICT', problem.reason);
      if (problem) throw new AppError('INVALID_INPUT', [problem.reason]);
      const { itemId } = await this.recorder.record(
        m,
        { tenantId: actor.tenantId, caseId: found.id },
        {
          kind: 'recommendation_updated',
          by: { origin: 'staff', staffId: actor.userId },
          body: {
            recommendationId: row.id,
            from: row.status,
            to,
            ...(body.reason?.trim() ? { reason: body.reason.trim() } : {}),
          },
          details: { recommendationId: row.id, from: row.status, to },
          signal: { recommendationId: row.id, to },
        },
      );
      await m
        .getRepository(RecommendationEntity)
        .update({ id: row.id }, { status: to, statusOn: toLondonDate(new Date()), statusItemId: itemId });
      return { id: row.id, status: to };
    });
  }
}
