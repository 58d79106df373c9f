import type { AuditEntryEntity } from '../audit/audit-entry.entity';
import type { CaseItemEntity } from './case.entity';
import { assembleTimeline, type ItemView, markAbsorbed, type Person } from './timeline.service';

const HANDLER = '11111111-1111-4111-8111-111111111111';
const MO = '22222222-2222-4222-8222-222222222222';
const people = new Map<string, Person>([
  [HANDLER, { id: HANDLER, displayName: 'Ann Patel', roles: ['investigator'] }],
  [MO, { id: MO, displayName: 'Bo Li', roles: ['monitoring_officer'] }],
]);

let seq = 0;
function entry(
  action: string,
  actorId: string | null,
  details: Record<string, unknown> = {},
): AuditEntryEntity {
  seq += 1;
  return {
    id: `e${seq}`,
    tenantId: 't',
    seq,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 9, 0, seq)),
    actorType: actorId ? 'staff' : 'system',
    actorId,
    action,
    caseId: 'c',
    details,
    prevHash: '',
    hash: '',
  };
}
function item(kind: string, authorId: string | null, body: Record<string, unknown> | null): ItemView {
  seq += 1;
  return {
    item: {
      id: `i${seq}`,
      scope: kind === 'message' || kind === 'report' ? 'report' : 'internal',
      kind,
      authorKind: authorId ? 'staff' : 'reporter',
      authorId,
    } as CaseItemEntity,
    body,
    file: null,
    absorbed: false,
    claimed: false,
  };
}

describe('assembling the timeline', () => {
  it('gives the first response to its acknowledgement, so the next staff message pairs with its own entry', () => {
    const views = [
      item('report', null, {}),
      item('transition', HANDLER, {
        from: 'received',
        to: 'acknowledged',
        data: { to: 'acknowledged', firstResponse: { proposedHandling: 'p' } },
      }),
      item('message', HANDLER, { text: 'We have received your concern.' }),
      item('transition', HANDLER, { from: 'acknowledged', to: 'assessment', data: { to: 'assessment' } }),
      item('message', HANDLER, { text: 'A reply typed after the move' }),
    ];
    markAbsorbed(views);
    expect(views.map((v) => v.absorbed)).toEqual([false, false, true, false, false]);
    const events = assembleTimeline(
      [
        entry('case.created', null, { channel: 'web' }),
        entry('case.transitioned', HANDLER, { from: 'received', to: 'acknowledged', outcome: null }),
        entry('case.transitioned', HANDLER, { from: 'acknowledged', to: 'assessment', outcome: null }),
        entry('case.message_added', HANDLER, { author: 'staff', attachments: 0 }),
      ],
      views,
      people,
    );
    expect(events.map((e) => [e.type, e.title])).toEqual([
      ['received', 'Report received'],
      ['transition', 'Acknowledged, with the first response to the reporter'],
      ['transition', 'Assessment started'],
      ['message', 'Message to the reporter'],
    ]);
    expect(events[1]?.content).toEqual({ firstResponse: { proposedHandling: 'p' } });
    expect(events[3]?.content).toEqual({ text: 'A reply typed after the move' });
    expect(events[3]?.actor.label).toBe('Ann Patel (Investigator)');
  });

  it("gives a report sent without files none of the evidence files stored after it, and a report with files only its own", () => {
    const file = (scope: 'report' | 'internal', name: string): ItemView => {
      const view = item('attachment', scope === 'report' ? null : HANDLER, null);
      view.item.scope = scope;
      view.file = { id: view.item.id, name, mediaType: 'text/plain', size: 10 };
      return view;
    };
    // Evidence files are stored just before their evidence record, so they follow a bare report directly.
    const bare = [item('report', null, {}), file('internal', 'interview.txt')];
    const evidenceFileId = bare[1]!.item.id;
    bare.push(item('evidence', HANDLER, { description: 'd', kind: 'interview_record', files: [evidenceFileId] }));
    const bareEvents = assembleTimeline(
      [
        entry('case.created', null, { channel: 'web', attachments: 0 }),
        entry('case.evidence_added', HANDLER, { itemId: bare[2]!.item.id, kind: 'interview_record', files: 1 }),
      ],
      bare,
      people,
    );
    expect(bareEvents.map((e) => [e.type, e.files.map((f) => f.name)])).toEqual([
      ['received', []],
      ['evidence', ['interview.txt']],
    ]);

    const withFiles = [item('report', null, {}), file('report', 'photo.jpg'), file('internal', 'notes.txt')];
    withFiles.push(item('evidence', HANDLER, { description: 'd', kind: 'document', files: [withFiles[2]!.item.id] }));
    const events = assembleTimeline(
      [
        entry('case.created', null, { channel: 'web', attachments: 1 }),
        entry('case.evidence_added', HANDLER, { itemId: withFiles[3]!.item.id, kind: 'document', files: 1 }),
      ],
      withFiles,
      people,
    );
    expect(events.map((e) => [e.type, e.files.map((f) => f.name)])).toEqual([
      ['received', ['photo.jpg']],
      ['evidence', ['notes.txt']],
    ]);
  });

  it('shows no content for a transition whose item does not match its entry', () => {
    const views = [
      item('transition', HANDLER, { from: 'assessment', to: 'investigation', data: { reason: 'r' } }),
    ];
    const [event] = assembleTimeline(
      [entry('case.transitioned', HANDLER, { from: 'acknowledged', to: 'assessment', outcome: null })],
      views,
      people,
    );
    expect(event?.content).toBeNull();
    expect(event?.title).toBe('Assessment started');
  });

  it('makes one event of a run of grant changes by one actor for one reason, keeping every entry', () => {
    const events = assembleTimeline(
      [
        entry('grant.created', null, { scope: 'report,internal', granteeId: HANDLER, via: 'routing' }),
        entry('grant.created', null, { scope: 'report,internal,identity', granteeId: MO, via: 'routing' }),
        entry('grant.created', HANDLER, { scope: 'report', granteeId: MO, via: 'recused' }),
        entry('grant.revoked', HANDLER, { scope: 'report', granteeId: HANDLER, via: 'recused' }),
      ],
      [item('recusal', HANDLER, { reason: 'I know the officer' })],
      people,
    );
    expect(events.map((e) => [e.type, e.auditSeqs.length])).toEqual([
      ['access', 2],
      ['recusal', 2],
    ]);
    expect(events[0]?.title).toBe('Routed to Ann Patel (Investigator), Bo Li (Monitoring officer)');
    expect(events[1]?.content).toEqual({
      reason: 'I know the officer',
      passedTo: ['Bo Li (Monitoring officer)'],
    });
  });

  it('keeps an event whose content the reader cannot decrypt, without content', () => {
    const views = [item('note', HANDLER, null)];
    const [event] = assembleTimeline(
      [entry('case.note_added', HANDLER, { itemId: views[0]?.item.id })],
      views,
      people,
    );
    expect(event).toEqual(expect.objectContaining({ type: 'note', content: null, title: 'Internal note' }));
  });

  it('says an identity was given only to those who can read it, and never for the empty record (issue #14)', () => {
    for (const body of [null, {}]) {
      const [received] = assembleTimeline(
        [entry('case.created', null, { channel: 'web' })],
        [item('report', null, {}), item('identity', null, body)],
        people,
      );
      expect(received?.content).toBeNull();
    }
  });

  it('shows content no entry accounts for where it was stored, with no audit entries, instead of hiding it', () => {
    const report = item('report', null, {});
    // Read by its custodian: every case has an identity record, so only its readers can tell a given one.
    const identity = item('identity', null, { name: 'Pat' });
    const stray = item('note', HANDLER, { text: 'written by a path that forgot to audit' });
    stray.item.createdAt = new Date(Date.UTC(2026, 0, 1, 9));
    const feedback = item('feedback', HANDLER, { actionTaken: 'a', reasons: 'r', givenOn: '2026-01-01' });
    const events = assembleTimeline(
      [
        entry('case.created', null, { channel: 'web' }),
        entry('case.feedback_given', HANDLER, { itemId: feedback.item.id }),
      ],
      [report, identity, stray, feedback],
      people,
    );
    expect(events.map((e) => [e.type, e.title, e.auditSeqs.length])).toEqual([
      ['received', 'Report received', 1],
      ['other', 'Recorded without an audit entry (note)', 0],
      ['feedback', 'Feedback given to the reporter', 1],
    ]);
    // The identity given with the report belongs to it; its content stays with its custodian.
    expect(events[0]?.content).toEqual({ identityGiven: true });
    expect(events[1]).toEqual(
      expect.objectContaining({
        at: '2026-01-01T09:00:00.000Z',
        precision: 'hour',
        content: { text: 'written by a path that forgot to audit' },
      }),
    );
    expect(events[1]?.actor.label).toBe('Ann Patel (Investigator)');
  });
});
