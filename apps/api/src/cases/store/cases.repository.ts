import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CaseEntity, CaseGrantEntity, CaseItemEntity } from './case.entity';

export interface CaseListFilter {
  status?: string;
  category?: string;
  /** A reference or the start of one. */
  q?: string;
  /** 'me': only cases assigned to the caller. */
  assignee?: 'me';
  limit: number;
  offset: number;
}

/**
 * Case queries. Lists are from a staff user's point of view: a case exists for them only while they
 * hold a grant for it (docs/architecture.md "Access rules"), so the list joins case_grants on the user.
 * One case is opened only through the case door (access/case-door.ts).
 */
@Injectable()
export class CasesRepository {
  private granted(manager: EntityManager, userId: string) {
    return (
      manager
        .getRepository(CaseEntity)
        .createQueryBuilder('c')
        .where(
          `EXISTS (SELECT 1 FROM case_grants g WHERE g.case_id = c.id AND g.grantee_kind = 'staff' AND g.grantee_id = :userId)`,
          { userId },
        )
        // The same exclusions as the case door (access/case-door.ts): a person named or recused never
        // sees the case, even if a grant were left behind.
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM case_exclusions e WHERE e.case_id = c.id AND e.user_id = :userId)`,
          {
            userId,
          },
        )
    );
  }

  async listGranted(
    manager: EntityManager,
    userId: string,
    filter: CaseListFilter,
  ): Promise<[CaseEntity[], number]> {
    const query = this.granted(manager, userId);
    if (filter.status) query.andWhere('c.status = :status', { status: filter.status });
    if (filter.category) query.andWhere('c.category = :category', { category: filter.category });
    if (filter.assignee === 'me') query.andWhere('c.assignee_id = :userId', { userId });
    if (filter.q)
      query.andWhere('c.reference LIKE :q', { q: `${filter.q.toUpperCase().replace(/[%_\\]/g, '')}%` });
    return query
      .orderBy('c.acknowledgement_due', 'ASC')
      .addOrderBy('c.reference', 'ASC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
  }

  items(manager: EntityManager, caseId: string, scope: string): Promise<CaseItemEntity[]> {
    return manager.getRepository(CaseItemEntity).find({ where: { caseId, scope }, order: { seq: 'ASC' } });
  }

  /** Every case grant a staff user holds (for recovery and re-routing). */
  staffGrants(manager: EntityManager, userId: string): Promise<CaseGrantEntity[]> {
    return manager
      .getRepository(CaseGrantEntity)
      .find({ where: { granteeKind: 'staff', granteeId: userId } });
  }

  escrowGrant(manager: EntityManager, caseId: string, scope: string): Promise<CaseGrantEntity | null> {
    return manager
      .getRepository(CaseGrantEntity)
      .findOne({ where: { caseId, scope, granteeKind: 'escrow' } });
  }

  /** Replaces a grant's encrypted key (grants are never updated in place: delete, then insert). */
  async replaceGrant(
    manager: EntityManager,
    grant: CaseGrantEntity,
    encryptedScopeKey: Uint8Array,
  ): Promise<void> {
    const repository = manager.getRepository(CaseGrantEntity);
    await repository.delete({ id: grant.id });
    await repository.insert({
      tenantId: grant.tenantId,
      caseId: grant.caseId,
      scope: grant.scope,
      granteeKind: grant.granteeKind,
      granteeId: grant.granteeId,
      encryptedScopeKey: Buffer.from(encryptedScopeKey),
    });
  }
}
