/**
 * A case's tracked recommendations (docs/case-core.md "Recommendations") for a handler holding its
 * internal scope: the readable status and due date, the words and any free-text owner decrypted from
 * their items, a rejection's reason from the latest status item. A read: audited as a decryption.
 * Recording and moving them on is commands/recommendation.service.ts.
 */
import { Injectable } from '@nestjs/common';
import type { CaseRecommendation } from '@nolan/contract';
import { decryptWithScope } from '@nolan/crypto';
import { nextRecommendationStatuses, recommendationOverdue, toLondonDate } from '@nolan/domain';
import { In } from 'typeorm';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { StaffUserEntity } from '../../staff/staff-user.entity';
import { CaseDoor } from '../access/case-door';
import { INTERNAL } from '../commands/evidence.service';
import { CaseRecorder } from '../record/case-recorder';
import { unpackJson } from '../record/item-codec';
import { CaseItemEntity } from '../store/case.entity';
import { RecommendationEntity } from '../store/recommendation.entity';

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
  ) {}

  async list(staff: AuthenticatedStaff, reference: string): Promise<{ items: CaseRecommendation[] }> {
    return this.door.open(
      staff,
      reference,
      { ...INTERNAL, unlock: true, reads: true },
      async ({ m, found, actor, key }) => {
        const rows = await m
          .getRepository(RecommendationEntity)
          .find({ where: { caseId: found.id }, order: { raisedOn: 'ASC', dueOn: 'ASC' } });
        if (!rows.length) return { items: [] };
        const scopeKey = await key('internal');
        const itemIds = rows.flatMap((r) => (r.statusItemId ? [r.itemId, r.statusItemId] : [r.itemId]));
        const bodies = new Map<string, Record<string, unknown>>();
        if (scopeKey) {
          const items = await m
            .getRepository(CaseItemEntity)
            .find({ where: { caseId: found.id, scope: 'internal', id: In(itemIds) } });
          for (const item of items)
            bodies.set(
              item.id,
              unpackJson<Record<string, unknown>>(
                await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey),
              ),
            );
        }
        const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((id): id is string => id !== null))];
        const owners = ownerIds.length
          ? await m.getRepository(StaffUserEntity).find({ where: { id: In(ownerIds) } })
          : [];
        const today = toLondonDate(new Date());
        const str = (v: unknown) => (typeof v === 'string' ? v : null);
        if (scopeKey)
          await this.recorder.trail(
            m,
            found.id,
            { origin: 'staff', staffId: actor.userId },
            'case.content_decrypted',
            { scope: 'internal', items: bodies.size, what: 'recommendations' },
          );
        return {
          items: rows.map((r) => {
            const raised = raisedBody(bodies.get(r.itemId), r.itemPart);
            const change = r.statusItemId ? bodies.get(r.statusItemId) : undefined;
            const owner = r.ownerId ? owners.find((o) => o.id === r.ownerId) : undefined;
            return {
              id: r.id,
              text: str(raised?.['text']),
              ownerStaff: r.ownerId ? { id: r.ownerId, name: owner?.displayName ?? null } : null,
              owner: str(raised?.['owner']),
              dueOn: r.dueOn,
              status: r.status,
              reason: r.status === 'rejected' ? str(change?.['reason']) : null,
              raisedOn: r.raisedOn,
              statusOn: r.statusOn,
              overdue: recommendationOverdue(r, today),
              next: [...nextRecommendationStatuses(r.status)],
            };
          }),
        };
      },
    );
  }
}

/**
 * A recommendation's own words and owner: its `recommendation` item, or, for a closing decision's, its
 * place in the decision's list ({ action, owner }).
 */
function raisedBody(
  body: Record<string, unknown> | undefined,
  part: number | null,
): Record<string, unknown> | undefined {
  if (part === null || !body) return body;
  const list = (body['data'] as { recommendations?: unknown } | undefined)?.recommendations;
  const r = Array.isArray(list) ? (list[part] as Record<string, unknown> | undefined) : undefined;
  return r ? { text: r['action'], owner: r['owner'] } : undefined;
}
