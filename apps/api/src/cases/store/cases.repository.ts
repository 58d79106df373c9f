import { Injectable, Optional } from '@nestjs/common';
import type { DeadlineThresholds } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import { ReporterTime } from '../../reporter-time/reporter-time';
import { visibleItemsWhere, visibleParams, visibleToStaffSql } from '../../reporter-time/visibility';
import { StaffUserEntity } from '../../staff/staff-user.entity';
import { CaseEntity, CaseGrantEntity, CaseItemEntity } from '../store/case.entity';
import { AppError } from '../../errors/app-error';
import { insertHeldRows } from '../../reporter-time/held-insert';

/** From how many of a council's cases a person's list walks the cases in order (see `granted`). */
const WALK_FROM_CASES = 500;

export interface CaseListFilter {
  status?: string;
  category?: string;
  /**
   * Words that must each match some of the case's metadata (never its content): the start of the
   * reference, one of `categories` or `statuses` (the labels the word matched, found by the service),
   * or part of the assignee's name.
   */
  search?: readonly { word: string; categories: readonly string[]; statuses: readonly string[] }[];
  /** 'me': only cases assigned to the caller. */
  assignee?: 'me';
  /** Only cases assigned to this user. */
  assigneeId?: string;
  /** Only cases nobody is assigned yet. */
  unassigned?: boolean;
  /** Only cases with a clock overdue or due soon (libs/domain deadlineThresholds turns the choice into dates, under the council's policy). */
  deadline?: DeadlineThresholds;
  limit: number;
  offset: number;
  /**
   * Only the cases after this position in the list's order (a cursor, reads/case-list-cursor.ts), so a
   * deep page is read from the order's index where it starts rather than walked to from the first case.
   */
  after?: { acknowledgementDue: string; reference: string };
}

/**
 * Case queries. Lists are from a staff user's point of view: a case exists for them only while they
 * hold a grant for it (docs/architecture.md "Access rules"), so the list joins case_grants on the user.
 * One case is opened only through the case door (access/case-door.ts).
 */
@Injectable()
export class CasesRepository {
  /** ReporterTime is global (ReporterTimeModule); a unit test's module may leave it out. */
  constructor(@Optional() private readonly reporterTime?: ReporterTime) {}

  /** Now on the injected clock: what staff may see of a reporter's action is decided against it. */
  now(): Date {
    return this.reporterTime?.now() ?? new Date();
  }

  /**
   * The cases a person may see in the current council. `how` chooses how Postgres finds them, never
   * which: `walk` checks the grant case by case (a correlated subquery Postgres cannot turn into a join),
   * so the list walks the council's cases in deadline order on `cases_list_order_idx` and stops after a
   * page, for a person who holds many of the council's cases; `grants` lets Postgres start from the
   * person's grants, for a person who holds few; `hashed` checks the cases against a hash of the person's
   * grants, read once, for counting many cases of a person who holds many, when the person's grants are
   * not many more than the cases counted (docs/performance.md "The case list").
   */
  private granted(manager: EntityManager, userId: string, how: 'walk' | 'grants' | 'hashed') {
    return (
      manager
        .getRepository(CaseEntity)
        .createQueryBuilder('c')
        .where(
          how === 'walk'
            ? `(SELECT true FROM case_grants g WHERE g.case_id = c.id AND g.grantee_kind = 'staff' AND g.grantee_id = :userId LIMIT 1)`
            : how === 'hashed'
              ? `c.id IN (SELECT g.case_id FROM case_grants g WHERE g.tenant_id = nolan_current_tenant() AND g.grantee_kind = 'staff' AND g.grantee_id = :userId)`
              : `EXISTS (SELECT 1 FROM case_grants g WHERE g.case_id = c.id AND g.grantee_kind = 'staff' AND g.grantee_id = :userId)`,
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
        // A reporter's case only from its batch's release (reporter-time/visibility.ts), as the door.
        .andWhere(visibleToStaffSql('c'), visibleParams(this.now()))
    );
  }

  /**
   * Whether the person holds grants for at least WALK_FROM_CASES of the council's cases: read from the
   * grant index, and never more than three grants (one per scope) a case of it. The same statement sets
   * the planner's switches for the statement after it (the transaction's, set back by the caller): for
   * a person who holds many, sorting off for the page (`enable_sort`), or, when the count comes first
   * (`countFirst`), nested loops off for the count (`enable_nestloop`), so that it hashes the grants.
   */
  private async holdsMany(manager: EntityManager, userId: string, countFirst: boolean): Promise<boolean> {
    const [{ many }]: { many: boolean }[] = await manager.query(
      `SELECT many,
              set_config('enable_sort', CASE WHEN many AND NOT $2 THEN 'off' ELSE 'on' END, true) AS sort,
              set_config('enable_nestloop', CASE WHEN many AND $2 THEN 'off' ELSE 'on' END, true) AS nestloop
         FROM (SELECT count(*) >= ${3 * WALK_FROM_CASES} AS many FROM (SELECT 1 FROM case_grants g
                WHERE g.tenant_id = nolan_current_tenant() AND g.grantee_kind = 'staff' AND g.grantee_id = $1
                LIMIT ${3 * WALK_FROM_CASES}) held) counted`,
      [userId, countFirst],
    );
    return many;
  }

  async listGranted(
    manager: EntityManager,
    userId: string,
    filter: CaseListFilter,
  ): Promise<[CaseEntity[], number]> {
    // "Assigned to me": the cases assigned to a person are a good part of those they hold, so their
    // total is counted against a hash of the person's grants, read once (a few thousand entries), not
    // with a probe of the grant index per case (three index pages each): docs/performance.md "The case
    // list". The count then comes first, with nested loops off for it alone.
    const hashMine = filter.assignee === 'me';
    const walk = await this.holdsMany(manager, userId, hashMine);
    const narrow = (query: ReturnType<CasesRepository['granted']>) => {
      if (filter.status) query.andWhere('c.status = :status', { status: filter.status });
      if (filter.category) query.andWhere('c.category = :category', { category: filter.category });
      if (filter.assignee === 'me') query.andWhere('c.assignee_id = :userId', { userId });
      if (filter.assigneeId) query.andWhere('c.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
      if (filter.unassigned) query.andWhere('c.assignee_id IS NULL');
      if (filter.deadline) {
        const d = filter.deadline;
        const any = [
          `(c.status = 'received' AND c.acknowledgement_due <= :ackBy)`,
          `(c.status <> 'closed' AND c.feedback_given_on IS NULL AND c.feedback_due <= :feedbackBy)`,
        ];
        if (d.safeguardingCategories.length)
          any.push(
            d.safeguardingReceivedBy === null
              ? `(c.status = 'received' AND c.category IN (:...safeguarding))`
              : `(c.status = 'received' AND c.category IN (:...safeguarding) AND (c.received_at AT TIME ZONE 'Europe/London')::date <= :receivedBy)`,
          );
        query.andWhere(`(${any.join(' OR ')})`, {
          ackBy: d.acknowledgementBy,
          feedbackBy: d.feedbackBy,
          safeguarding: d.safeguardingCategories,
          receivedBy: d.safeguardingReceivedBy,
        });
      }
      (filter.search ?? []).forEach(({ word, categories, statuses }, i) => {
        const literal = word.replace(/[%_\\]/g, '');
        const any = [`c.reference LIKE :ref${i}`];
        if (categories.length) any.push(`c.category IN (:...cat${i})`);
        if (statuses.length) any.push(`c.status IN (:...st${i})`);
        // The council's staff whose names match, found once (a hashed subquery), not once per case.
        any.push(`c.assignee_id IN (SELECT u.id FROM staff_users u WHERE u.display_name ILIKE :name${i})`);
        query.andWhere(`(${any.join(' OR ')})`, {
          [`ref${i}`]: `${literal.toUpperCase()}%`,
          [`cat${i}`]: categories,
          [`st${i}`]: statuses,
          [`name${i}`]: `%${literal}%`,
        });
      });
      return query;
    };
    const query = narrow(this.granted(manager, userId, walk ? 'walk' : 'grants'));
    const countFirst = walk && hashMine;
    const counted = countFirst
      ? await narrow(this.granted(manager, userId, 'hashed'))
          .select('count(*)::int', 'n')
          .getRawOne<{ n: number }>()
      : undefined;
    if (countFirst)
      await manager.query(
        `SELECT set_config('enable_nestloop', 'on', true), set_config('enable_sort', 'off', true)`,
      );
    // Every filter above narrows the total; the cursor does not (the total counts every page's cases).
    const counting = query.clone();
    // After the cursor: a row comparison in the order's own columns, which Postgres takes as where to
    // start on the order's index (docs/performance.md "The case list").
    if (filter.after)
      query.andWhere('(c.acknowledgement_due, c.reference) > (:afterDue::date, :afterReference)', {
        afterDue: filter.after.acknowledgementDue,
        afterReference: filter.after.reference,
      });
    // The order of cases_list_order_idx, so a page is read in order and the walk stops after it.
    query.orderBy('c.acknowledgement_due', 'ASC').addOrderBy('c.reference', 'ASC');
    const narrowed =
      filter.status ||
      filter.category ||
      filter.assignee ||
      filter.assigneeId ||
      filter.unassigned ||
      filter.deadline ||
      filter.search?.length;
    // limit/offset, not take/skip: one query for the page (take/skip first selects distinct ids, then
    // the rows, to allow for joins; this query has none). For a person who holds many cases the page is
    // read in order from an index and nothing is sorted: Postgres cannot tell how many of a council's
    // cases a person holds (row-level security hides the council from its statistics), so it would
    // otherwise sort every match to keep 50 (enable_sort is the planner's own switch for that; the
    // transaction's, switched off by holdsMany's statement or the one after the count, and set back at
    // once).
    const page = await query.clone().limit(filter.limit).offset(filter.offset).getMany();
    if (walk) await manager.query(`SELECT set_config('enable_sort', 'on', true)`);
    if (counted) return [page, counted.n];
    if (narrowed) {
      // count(*): each case is one row here (getCount's count(DISTINCT id) would sort them all).
      const total = await counting.select('count(*)::int', 'n').getRawOne<{ n: number }>();
      return [page, total?.n ?? 0];
    }
    // Unfiltered, the total is the person's granted cases less their exclusions, counted from
    // case_grants alone (index-only on case_grants_staff_case_idx) rather than by reading every case
    // again (docs/performance.md "The case list"), less those of them staff may not see yet (a
    // reporter's batch not yet released: counting them would tell of a report before its batch),
    // found on cases_visible_from_idx. Every grant is of a case in this council, so the counts agree.
    // GROUP BY rather than count(DISTINCT): the grant index already yields a person's entries in case
    // order, so Postgres groups them as they come instead of sorting them again (about a quarter faster
    // for 60,060 entries: docs/performance.md "The case list").
    const [{ total }]: { total: number }[] = await manager.query(
      `SELECT ((SELECT count(*) FROM (SELECT g.case_id FROM case_grants g
                WHERE g.tenant_id = nolan_current_tenant() AND g.grantee_kind = 'staff' AND g.grantee_id = $1
                  AND NOT EXISTS (SELECT 1 FROM case_exclusions e WHERE e.case_id = g.case_id AND e.user_id = $1)
                GROUP BY g.case_id) held)
            - (SELECT count(*) FROM cases c
                WHERE c.tenant_id = nolan_current_tenant() AND c.visible_from IS NOT NULL AND c.visible_from > $2
                  AND EXISTS (SELECT 1 FROM case_grants g WHERE g.case_id = c.id AND g.grantee_kind = 'staff' AND g.grantee_id = $1)
                  AND NOT EXISTS (SELECT 1 FROM case_exclusions e WHERE e.case_id = c.id AND e.user_id = $1))
            )::int AS total`,
      [userId, this.now()],
    );
    return [page, total];
  }

  /** Display names of staff users by id (assignees on the case list and the case page). */
  async staffNames(manager: EntityManager, ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    if (!wanted.length) return new Map();
    const users = await manager
      .getRepository(StaffUserEntity)
      .createQueryBuilder('u')
      .select(['u.id', 'u.displayName'])
      .where('u.id IN (:...wanted)', { wanted })
      .getMany();
    return new Map(users.map((u) => [u.id, u.displayName]));
  }

  /**
   * A case's items in one scope as staff may see them now: a reporter-caused item only from its batch's
   * release (reporter-time/visibility.ts). In stored order: by the hour, then number (a reporter-caused
   * item's number is random, so within its hour it sorts after the staff items).
   */
  items(manager: EntityManager, caseId: string, scope: string): Promise<CaseItemEntity[]> {
    return manager.getRepository(CaseItemEntity).find({
      where: visibleItemsWhere({ caseId, scope }, this.now()),
      order: { createdAt: 'ASC', seq: 'ASC' },
    });
  }

  /** Every item of a scope, released or not: for the system's own work (re-routing), never shown. */
  allItems(manager: EntityManager, caseId: string, scope: string): Promise<CaseItemEntity[]> {
    return manager
      .getRepository(CaseItemEntity)
      .find({ where: { caseId, scope }, order: { createdAt: 'ASC', seq: 'ASC' } });
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
    const removed = await repository.delete({ id: grant.id });
    // A grant gone meanwhile (revoked, or not where the caller read it) is not replaced behind its back.
    if (!removed.affected)
      throw new AppError(
        'CONFLICT',
        'A grant changed while it was being replaced; nothing was changed. Try again.',
      );
    // Nothing read back: a grant on a case still held goes to its held table (reporter-time/held-insert.ts).
    await insertHeldRows(manager, CaseGrantEntity, {
      tenantId: grant.tenantId,
      caseId: grant.caseId,
      scope: grant.scope,
      granteeKind: grant.granteeKind,
      granteeId: grant.granteeId,
      encryptedScopeKey: Buffer.from(encryptedScopeKey),
    });
  }
}
