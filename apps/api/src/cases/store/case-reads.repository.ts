import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The "new message" flag's queries (issue #19): how far a member of staff has read each case, as the
 * insertion order of the last item they were shown (case_reads.seen_seq), and which cases hold a
 * reporter's message after it. Order only, never a time: the flag cannot place a reporter's message
 * closer than the items themselves do (to the hour). Only what staff may see counts (visible_from): a
 * reporter-caused item is numbered above every staff item, in the order of its batch's release and at
 * random within it, and a batch's items are released together (docs/architecture.md "Reporter time").
 */
@Injectable()
export class CaseReadsRepository {
  /** Of `caseIds`, those with a message from the reporter that `userId` has not been shown yet. */
  async unread(
    m: EntityManager,
    userId: string,
    caseIds: readonly string[],
    now: Date,
  ): Promise<Set<string>> {
    if (!caseIds.length) return new Set();
    const rows: { case_id: string }[] = await m.query(
      `SELECT DISTINCT i.case_id FROM case_items i
        LEFT JOIN case_reads r ON r.case_id = i.case_id AND r.user_id = $1
        WHERE i.case_id = ANY($2::uuid[]) AND i.kind = 'message' AND i.author_kind = 'reporter'
          AND (i.visible_from IS NULL OR i.visible_from <= $3)
          AND i.seq > COALESCE(r.seen_seq, 0)`,
      [userId, caseIds, now],
    );
    return new Set(rows.map((r) => r.case_id));
  }

  /**
   * Marks everything on the case so far as shown to `userId`, and answers whether it held a message from
   * the reporter they had not been shown before (`unread` of this one case, as it stood before the mark):
   * one statement, whose every part sees the same snapshot, so the answer is the one `unread` gave
   * before the mark was written (docs/performance.md "Opening a case").
   */
  async markRead(
    m: EntityManager,
    tenantId: string,
    caseId: string,
    userId: string,
    now: Date,
  ): Promise<{ wasUnread: boolean }> {
    const [row]: { was_unread: boolean }[] = await m.query(
      `WITH marked AS (
         INSERT INTO case_reads (tenant_id, case_id, user_id, seen_seq)
         SELECT $1, $2, $3, COALESCE(MAX(seq), 0) FROM case_items
          WHERE case_id = $2 AND (visible_from IS NULL OR visible_from <= $4)
         ON CONFLICT (case_id, user_id) DO UPDATE SET seen_seq = GREATEST(case_reads.seen_seq, EXCLUDED.seen_seq)
         RETURNING 1
       )
       SELECT EXISTS (
         SELECT 1 FROM case_items i
           LEFT JOIN case_reads r ON r.case_id = i.case_id AND r.user_id = $3
          WHERE i.case_id = $2 AND i.kind = 'message' AND i.author_kind = 'reporter'
            AND (i.visible_from IS NULL OR i.visible_from <= $4)
            AND i.seq > COALESCE(r.seen_seq, 0)
       ) AS was_unread, (SELECT count(*) FROM marked) AS marked`,
      [tenantId, caseId, userId, now],
    );
    return { wasUnread: row?.was_unread === true };
  }
}
