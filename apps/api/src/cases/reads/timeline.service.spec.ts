import { actorLabel, peopleLabels, timelineTitle } from '@nolan/domain';
import type { AuditEntryEntity } from '../../audit/audit-entry.entity';
import type { CaseItemEntity } from '../store/case.entity';
import { assembleTimeline, type ItemView, type Person } from './timeline.service';

// The projection joins entries to items by the ids each entry names (item_ids). The order matching it
// replaced now runs once, in the migration that back-filled older entries: its cases are in
// database/migrations/audit-item-ids.spec.ts.

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
  items: readonly ItemView[] = [],
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
    itemIds: items.length ? items.map((v) => v.item.id) : null,
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
  };
}
function file(scope: 'report' | 'internal', name: string): ItemView {
  const view = item('attachment', scope === 'report' ? null : HANDLER, null);
  view.item.scope = scope;
  view.file = { id: view.item.id, name, mediaType: 'text/plain', size: 10 };
  return view;
}

describe('the timeline, joined by item id', () => {
  it('gives the first response to its acknowledgement, and the next staff message its own entry', () => {
    const report = item('report', null, {});
    const ack = item('transition', HANDLER, {
      from: 'received',
      to: 'acknowledged',
      data: { to: 'acknowledged', firstResponse: { proposedHandling: 'p' } },
    });
    const firstResponse = item('message', HANDLER, { text: 'We have received your concern.' });
    const assess = item('transition', HANDLER, {
      from: 'acknowledged',
      to: 'assessment',
      data: { to: 'assessment' },
    });
    const reply = item('message', HANDLER, { text: 'A reply typed after the move' });
    const events = assembleTimeline(
      [
        entry('case.created', null, { channel: 'web' }, [report]),
        entry('case.transitioned', HANDLER, { from: 'received', to: 'acknowledged', outcome: null }, [
          ack,
          firstResponse,
        ]),
        entry('case.transitioned', HANDLER, { from: 'acknowledged', to: 'assessment', outcome: null }, [
          assess,
        ]),
        entry('case.message_added', HANDLER, { author: 'staff', attachments: 0 }, [reply]),
      ],
      [report, ack, firstResponse, assess, reply],
      people,
    );
    expect(events.map((e) => [e.type, timelineTitle(e)])).toEqual([
      ['received', 'Report received'],
      ['transition', 'Acknowledged, with the first response to the reporter'],
      ['transition', 'Assessment started'],
      ['message', 'Message to the reporter'],
    ]);
    expect(events[1]?.content).toEqual({ firstResponse: { proposedHandling: 'p' } });
    expect(events[3]?.content).toEqual({ text: 'A reply typed after the move' });
    expect(actorLabel(events[3]!.actor)).toBe('Ann Patel (Investigator)');
  });

  it('gives a report and a piece of evidence exactly the files their entries name', () => {
    const report = item('report', null, {});
    const photo = file('report', 'photo.jpg');
    const notes = file('internal', 'notes.txt');
    const evidence = item('evidence', HANDLER, {
      description: 'd',
      kind: 'document',
      files: [notes.item.id],
    });
    const events = assembleTimeline(
      [
        entry('case.created', null, { channel: 'web', attachments: 1 }, [report, photo]),
        entry('case.evidence_added', HANDLER, { itemId: evidence.item.id, kind: 'document', files: 1 }, [
          evidence,
          notes,
        ]),
      ],
      [photo, report, notes, evidence],
      people,
    );
    expect(events.map((e) => [e.type, e.files.map((f) => f.name)])).toEqual([
      ['received', ['photo.jpg']],
      ['evidence', ['notes.txt']],
    ]);
  });

  it('shows no content for a transition whose item does not match its entry', () => {
    const moved = item('transition', HANDLER, {
      from: 'assessment',
      to: 'investigation',
      data: { reason: 'r' },
    });
    const [event] = assembleTimeline(
      [
        entry('case.transitioned', HANDLER, { from: 'acknowledged', to: 'assessment', outcome: null }, [
          moved,
        ]),
      ],
      [moved],
      people,
    );
    expect(event?.content).toBeNull();
    expect(timelineTitle(event!)).toBe('Assessment started');
  });

  it('makes one event of a run of grant changes by one actor for one reason, with the recusal it stands for', () => {
    const recusal = item('recusal', HANDLER, { reason: 'I know the officer' });
    const events = assembleTimeline(
      [
        entry('grant.created', null, { scope: 'report,internal', granteeId: HANDLER, via: 'routing' }),
        entry('grant.created', null, { scope: 'report,internal,identity', granteeId: MO, via: 'routing' }),
        entry('grant.created', HANDLER, { scope: 'report', granteeId: MO, via: 'recused' }),
        entry('grant.revoked', HANDLER, { scope: 'report', granteeId: HANDLER, via: 'recused' }),
        entry('case.recused', HANDLER, {}, [recusal]),
      ],
      [recusal],
      people,
    );
    expect(events.map((e) => [e.type, e.auditSeqs.length])).toEqual([
      ['access', 2],
      ['recusal', 3],
    ]);
    expect(timelineTitle(events[0]!)).toBe('Routed to Ann Patel (Investigator), Bo Li (Monitoring officer)');
    expect(timelineTitle(events[1]!)).toBe('Ann Patel (Investigator) recused themselves');
    expect(events[1]?.content?.['reason']).toBe('I know the officer');
    expect(peopleLabels(events[1]?.content?.['passedTo'])).toEqual(['Bo Li (Monitoring officer)']);
  });

  it('keeps an event whose content the reader cannot decrypt, without content', () => {
    const note = item('note', HANDLER, null);
    const [event] = assembleTimeline(
      [entry('case.note_added', HANDLER, { itemId: note.item.id }, [note])],
      [note],
      people,
    );
    expect(event).toEqual(expect.objectContaining({ type: 'note', content: null }));
    expect(timelineTitle(event!)).toBe('Internal note');
  });

  it('says an identity was given only to those who can read it, and never for the empty record (issue #14)', () => {
    for (const body of [null, {}]) {
      const report = item('report', null, {});
      const identity = item('identity', null, body);
      const [received] = assembleTimeline(
        [entry('case.created', null, { channel: 'web' }, [report, identity])],
        [report, identity],
        people,
      );
      expect(received?.content).toBeNull();
    }
  });

  it('shows content no entry names where it was stored, with no audit entries, instead of hiding it', () => {
    const report = item('report', null, {});
    // Read by its custodian: every case has an identity record, so only its readers can tell a given one.
    const identity = item('identity', null, { name: 'Pat' });
    const stray = item('note', HANDLER, { text: 'written by a path that forgot to audit' });
    stray.item.createdAt = new Date(Date.UTC(2026, 0, 1, 9));
    const feedback = item('feedback', HANDLER, { actionTaken: 'a', reasons: 'r', givenOn: '2026-01-01' });
    const events = assembleTimeline(
      [
        entry('case.created', null, { channel: 'web' }, [report, identity]),
        entry('case.feedback_given', HANDLER, { itemId: feedback.item.id }, [feedback]),
      ],
      [report, identity, stray, feedback],
      people,
    );
    expect(events.map((e) => [e.type, timelineTitle(e), e.auditSeqs.length])).toEqual([
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
    expect(actorLabel(events[1]!.actor)).toBe('Ann Patel (Investigator)');
  });
});
