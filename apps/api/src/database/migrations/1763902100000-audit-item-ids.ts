import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every audit entry that records case content names its items (docs/case-core.md "The recorder"):
 * `audit_entries.item_ids`, the entry's own item first, then its files and parts (the files and the
 * identity given with a report, a reporter's files with their message, the first response written with
 * an acknowledgement, the notice written with an approved identity request). CaseRecorder fills it for
 * every new event, and the timeline joins entries to items by it.
 *
 * Older entries are back-filled here, once, by the order matching the timeline used to do on every read
 * (`backfillItemIds`): within a case, the n-th entry of a kind takes the n-th unclaimed item of that kind,
 * and an entry that already named its item (`details.itemId`) takes that one. The column sits outside
 * the hash chain (it is an index of the content, not a claim the trail makes), so filling it leaves
 * every hash as it was; the append-only trigger is lifted for this one statement and put back.
 */
export class AuditItemIds1763902100000 implements MigrationInterface {
  name = 'AuditItemIds1763902100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_entries ADD COLUMN IF NOT EXISTS item_ids uuid[]`);
    const tenants: { id: string }[] = await q.query(`SELECT id FROM tenants`);
    await q.query(`ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only`);
    for (const { id } of tenants) {
      await q.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [id]);
      const entries: BackfillEntry[] = await q.query(
        `SELECT id, case_id AS "caseId", action, actor_type AS "actorType", actor_id AS "actorId", details
           FROM audit_entries WHERE case_id IS NOT NULL AND item_ids IS NULL ORDER BY seq`,
      );
      const items: BackfillItem[] = await q.query(
        `SELECT id, case_id AS "caseId", scope, kind, author_kind AS "authorKind", author_id AS "authorId"
           FROM case_items ORDER BY seq`,
      );
      for (const [entryId, itemIds] of backfillItemIds(entries, items)) {
        await q.query(`UPDATE audit_entries SET item_ids = $2::uuid[] WHERE id = $1`, [entryId, itemIds]);
      }
    }
    await q.query(`SELECT set_config('nolan.tenant_id', '', true)`);
    await q.query(`ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_entries DROP COLUMN item_ids`);
  }
}

export interface BackfillEntry {
  id: string;
  caseId: string;
  action: string;
  actorType: string;
  actorId: string | null;
  details: Record<string, unknown>;
}

export interface BackfillItem {
  id: string;
  caseId: string;
  scope: string;
  kind: string;
  authorKind: string | null;
  authorId: string | null;
}

/** Item kinds each action took, in order, before entries named their items. */
const KIND_OF: Record<string, string> = {
  'case.transitioned': 'transition',
  'identity.requested': 'identity_request',
  'identity.decided': 'identity_decision',
  'case.legal_hold_set': 'legal_hold',
  'case.legal_hold_cleared': 'legal_hold',
  'case.named_as_involved': 'named_as_involved',
};

/**
 * The old order matching, run once: which items each entry of a case recorded. Entries and items come
 * in their stored order (seq). Exported for its unit test.
 */
export function backfillItemIds(
  entries: readonly BackfillEntry[],
  items: readonly BackfillItem[],
): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const byCase = new Map<string, BackfillItem[]>();
  for (const item of items) byCase.set(item.caseId, [...(byCase.get(item.caseId) ?? []), item]);
  const claimedByCase = new Map<string, Set<string>>();

  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e] as BackfillEntry;
    const list = byCase.get(entry.caseId) ?? [];
    const claimed = claimedByCase.get(entry.caseId) ?? new Set<string>();
    claimedByCase.set(entry.caseId, claimed);
    const at = (item: BackfillItem | undefined) => (item ? list.indexOf(item) : -1);
    const take = (item: BackfillItem | undefined): BackfillItem | undefined => {
      if (item) claimed.add(item.id);
      return item;
    };
    const next = (match: (i: BackfillItem) => boolean) =>
      take(list.find((i) => !claimed.has(i.id) && match(i)));
    /** The staff message written right after an item as part of its event (a first response, a notice). */
    const noticeAfter = (item: BackfillItem) => {
      const following = list[at(item) + 1];
      return following &&
        following.kind === 'message' &&
        following.authorKind === 'staff' &&
        following.authorId === item.authorId &&
        !claimed.has(following.id)
        ? take(following)
        : undefined;
    };
    const d = entry.details ?? {};
    const ids: string[] = [];
    const push = (...found: (BackfillItem | undefined)[]) => {
      for (const item of found) if (item) ids.push(item.id);
    };
    /** The files stored just before an item, as many as the entry counted. */
    const filesBefore = (own: BackfillItem, count: number) => {
      for (let j = Math.max(0, at(own) - count); j < at(own); j++) {
        const file = list[j];
        if (file?.kind === 'attachment' && !claimed.has(file.id)) push(take(file));
      }
    };

    if (typeof d['itemId'] === 'string' && entry.action !== 'case.content_decrypted') {
      const own = take(list.find((i) => i.id === d['itemId']));
      push(own);
      // Evidence files were stored just before their record, as many as the entry counted.
      const count = typeof d['files'] === 'number' ? d['files'] : 0;
      if (own && entry.action === 'case.evidence_added') filesBefore(own, count);
    } else if (entry.action === 'case.created') {
      const report = next((i) => i.kind === 'report');
      push(report);
      if (report) {
        const count = typeof d['attachments'] === 'number' ? d['attachments'] : 0;
        let j = at(report) + 1;
        for (; j - at(report) - 1 < count; j++) {
          const file = list[j];
          if (!file || file.kind !== 'attachment' || file.scope !== 'report' || claimed.has(file.id)) break;
          push(take(file));
        }
        const identity = list[j];
        if (identity?.kind === 'identity' && !claimed.has(identity.id)) push(take(identity));
      }
    } else if (entry.action === 'case.message_added') {
      if (d['identity'] === true) {
        push(next((i) => i.kind === 'identity' && i.authorKind === 'reporter'));
      } else {
        const fromReporter = d['author'] === 'reporter';
        const message = next(
          (i) => i.kind === 'message' && i.authorKind === (fromReporter ? 'reporter' : 'staff'),
        );
        push(message);
        // A reporter's files were stored just before their message, as many as the entry counted.
        const count = typeof d['attachments'] === 'number' ? d['attachments'] : 0;
        if (message) filesBefore(message, count);
      }
    } else if (KIND_OF[entry.action]) {
      const own = next((i) => i.kind === KIND_OF[entry.action]);
      push(own);
      // Only an acknowledgement (its first response), a referral to another procedure (its notice) and an
      // approved identity request (its notice) wrote a message to the reporter in the same transaction.
      const tells =
        d['to'] === 'acknowledged' ||
        d['outcome'] === 'referred_to_another_procedure' ||
        (entry.action === 'identity.decided' && d['approved'] === true);
      if (own && tells) push(noticeAfter(own));
    } else if (
      (entry.action === 'grant.created' || entry.action === 'grant.revoked') &&
      (d['via'] === 'recused' || d['via'] === 'recusal')
    ) {
      // A recusal wrote no entry of its own: its item belongs to the first grant change of its run.
      const previous = entries[e - 1];
      const startsRun =
        !previous ||
        previous.caseId !== entry.caseId ||
        previous.details?.['via'] !== d['via'] ||
        previous.actorId !== entry.actorId ||
        !previous.action.startsWith('grant.');
      if (startsRun) push(next((i) => i.kind === 'recusal'));
    }
    if (ids.length) result.set(entry.id, ids);
  }
  return result;
}
