import { backfillItemIds, type BackfillEntry, type BackfillItem } from './1763902100000-audit-item-ids';

// The order matching the timeline used to run on every read, now run once by the migration that gave
// older audit entries their item ids. These are the cases the timeline's own tests covered.

const HANDLER = '11111111-1111-4111-8111-111111111111';
let n = 0;
function entry(action: string, actorId: string | null, details: Record<string, unknown> = {}): BackfillEntry {
  n += 1;
  return { id: `e${n}`, caseId: 'c', action, actorType: actorId ? 'staff' : 'reporter', actorId, details };
}
function item(
  kind: string,
  authorId: string | null,
  scope = kind === 'message' || kind === 'report' ? 'report' : 'internal',
): BackfillItem {
  n += 1;
  return { id: `i${n}`, caseId: 'c', scope, kind, authorKind: authorId ? 'staff' : 'reporter', authorId };
}

describe('back-filling audit entries with their items', () => {
  it('gives the first response to its acknowledgement, so the next staff message pairs with its own entry', () => {
    const items = [
      item('report', null),
      item('transition', HANDLER),
      item('message', HANDLER),
      item('transition', HANDLER),
      item('message', HANDLER),
    ];
    const entries = [
      entry('case.created', null, { channel: 'web', attachments: 0 }),
      entry('case.transitioned', HANDLER, { from: 'received', to: 'acknowledged', outcome: null }),
      entry('case.transitioned', HANDLER, { from: 'acknowledged', to: 'assessment', outcome: null }),
      entry('case.message_added', HANDLER, { author: 'staff', attachments: 0 }),
    ];
    const ids = backfillItemIds(entries, items);
    expect(entries.map((e) => ids.get(e.id))).toEqual([
      [items[0]!.id],
      [items[1]!.id, items[2]!.id],
      [items[3]!.id],
      [items[4]!.id],
    ]);
  });

  it('gives a report sent without files none of the evidence files stored after it, and a report with files only its own', () => {
    const bare = [item('report', null), item('attachment', HANDLER, 'internal'), item('evidence', HANDLER)];
    const bareEntries = [
      entry('case.created', null, { channel: 'web', attachments: 0 }),
      entry('case.evidence_added', HANDLER, { itemId: bare[2]!.id, kind: 'interview_record', files: 1 }),
    ];
    const bareIds = backfillItemIds(bareEntries, bare);
    expect(bareEntries.map((e) => bareIds.get(e.id))).toEqual([[bare[0]!.id], [bare[2]!.id, bare[1]!.id]]);

    const withFiles = [
      item('report', null),
      item('attachment', null, 'report'),
      item('attachment', HANDLER, 'internal'),
      item('evidence', HANDLER),
    ];
    const entries = [
      entry('case.created', null, { channel: 'web', attachments: 1 }),
      entry('case.evidence_added', HANDLER, { itemId: withFiles[3]!.id, kind: 'document', files: 1 }),
    ];
    const ids = backfillItemIds(entries, withFiles);
    expect(entries.map((e) => ids.get(e.id))).toEqual([
      [withFiles[0]!.id, withFiles[1]!.id],
      [withFiles[3]!.id, withFiles[2]!.id],
    ]);
  });

  it('gives the identity given with a report to its creation, and a reporter’s files to their message', () => {
    const items = [
      item('report', null),
      item('identity', null, 'identity'),
      item('attachment', null, 'report'),
      item('message', null),
    ];
    const entries = [
      entry('case.created', null, { channel: 'web', attachments: 0 }),
      entry('case.message_added', null, { author: 'reporter', attachments: 1 }),
    ];
    const ids = backfillItemIds(entries, items);
    expect(entries.map((e) => ids.get(e.id))).toEqual([
      [items[0]!.id, items[1]!.id],
      [items[3]!.id, items[2]!.id],
    ]);
  });

  it('gives a recusal to the first grant change of its run, and leaves reads and routing without items', () => {
    const items = [item('report', null), item('recusal', HANDLER)];
    const entries = [
      entry('case.created', null, { channel: 'web' }),
      entry('grant.created', null, { granteeId: HANDLER, via: 'routing' }),
      entry('case.content_decrypted', HANDLER, { scope: 'report', items: 1 }),
      entry('grant.created', HANDLER, { granteeId: 'x', via: 'recused' }),
      entry('grant.revoked', HANDLER, { granteeId: HANDLER, via: 'recused' }),
    ];
    const ids = backfillItemIds(entries, items);
    expect(entries.map((e) => ids.get(e.id))).toEqual([
      [items[0]!.id],
      undefined,
      undefined,
      [items[1]!.id],
      undefined,
    ]);
  });
});
