/**
 * Issue #7 "Case timeline": every event of a case in order — received, routed, acknowledged with its
 * first response, messages both ways, feedback, a note, evidence with its file, an identity request and
 * its decision, a recusal — with who (a name and role, or "the reporter"), when (to the hour for the
 * reporter, as stored) and what (the content the reader may decrypt). Each event names its audit
 * entries and agrees with them; reads are not events; reading the timeline is itself audited.
 */
import { worded } from '../support/timeline-words';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

interface Event {
  type: string;
  action: string;
  title: string;
  at: string;
  precision: 'second' | 'hour';
  actor: { type: string; id: string | null; name: string | null; roles: string[]; label: string };
  auditSeqs: number[];
  details: Record<string, unknown>;
  content: Record<string, unknown> | null;
  files: { id: string; name: string; mediaType: string; size: number }[];
}
interface AuditEntry {
  seq: number;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  action: string;
}

const FIRST_RESPONSE = {
  proposedHandling: 'Internal audit will review the invoices.',
  whoIsInvolved: 'Internal audit and the monitoring officer.',
  estimatedTimescale: 'About six weeks.',
  supportAvailable: 'Protect: 020 3117 2520.',
};

describe('the case timeline', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let investigator: TestUser;
  const tokens: Record<string, string> = {};
  let reference: string;
  let reporter: string;
  let events: Event[];

  const server = () => app.getHttpServer();
  const staff = (who: string, method: 'get' | 'post', path: string) =>
    request(server())
      [method](`/api/v1/cases/${reference}${path}`)
      .auth(tokens[who] as string, { type: 'bearer' });
  const timeline = async (who: string): Promise<Event[]> =>
    (await staff(who, 'get', '/timeline').expect(200)).body.events.map(worded);
  const trail = async (): Promise<AuditEntry[]> =>
    (await staff('mo', 'get', '/audit?limit=200').expect(200)).body.items;

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('timeline');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    for (const [who, user] of [
      ['mo', mo],
      ['s151', s151],
      ['investigator', investigator],
    ] as const)
      tokens[who] = await signInAs(server(), tenant.slug, user);

    const submitted = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field(
        'submission',
        JSON.stringify({
          category: 'fraud_theft',
          answers: { whatHappened: 'Duplicate invoices', howYouKnow: 'documents', raisedBefore: 'no' },
          altcha: await solvedAltcha(server(), tenant.slug),
        }),
      )
      .attach('files', Buffer.from('invoice 1042, invoice 1042'), 'invoices.txt')
      .expect(201);
    reference = submitted.body.reference;
    reporter = await signInWithReceipt(server(), tenant.slug, submitted.body.receipt);

    await staff('s151', 'post', '/transitions')
      .send({ to: 'acknowledged', firstResponse: FIRST_RESPONSE })
      .expect(201);
    await request(server())
      .post('/api/v1/reporter/case/messages')
      .auth(reporter, { type: 'bearer' })
      .send({ text: 'I have more invoices if you need them.' })
      .expect(201);
    await staff('s151', 'post', '/messages').send({ text: 'Yes please, send them here.' }).expect(201);
    await staff('s151', 'post', '/feedback')
      .send({ actionTaken: 'We are reviewing the invoices.', reasons: 'They appear to be duplicates.' })
      .expect(201);
    await staff('s151', 'post', '/notes').send({ text: 'Finance confirmed two payments.' }).expect(201);
    await staff('s151', 'post', '/evidence')
      .field('description', 'Bank statement for March')
      .field('kind', 'document')
      .attach('files', Buffer.from('statement lines'), 'statement.txt')
      .expect(201);
    const asked = await staff('s151', 'post', '/identity-requests')
      .send({ reason: 'We need to interview the reporter about the invoices.' })
      .expect(201);
    await staff('mo', 'post', `/identity-requests/${asked.body.id}/decision`)
      .send({ approve: true, reason: 'An interview is needed and proportionate.' })
      .expect(201);
    await staff('s151', 'post', '/recusal').send({ reason: 'I signed one of the invoices.' }).expect(201);
    events = await timeline('mo');
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('lists every event in order, with what happened', () => {
    expect(events.map((e) => e.type)).toEqual([
      'received',
      'access',
      'transition',
      'message',
      'message',
      'feedback',
      'note',
      'evidence',
      'identity_requested',
      'access',
      'identity_decided',
      'recusal',
    ]);
    const [received, routed, acknowledged, fromReporter, toReporter, feedback, note, evidence] = events as [
      Event,
      Event,
      Event,
      Event,
      Event,
      Event,
      Event,
      Event,
    ];
    expect(received.title).toBe('Report received');
    expect(received.files.map((f) => f.name)).toEqual(['invoices.txt']);
    expect(routed.title).toMatch(/^Routed to /);
    expect(routed.content).toEqual({
      granted: expect.arrayContaining([
        expect.stringContaining('Monitoring officer'),
        expect.stringContaining('Section 151'),
      ]),
      revoked: [],
    });
    expect(acknowledged.content).toEqual({ firstResponse: FIRST_RESPONSE });
    expect(fromReporter.title).toBe('Message from the reporter');
    expect(fromReporter.content).toEqual({ text: 'I have more invoices if you need them.' });
    expect(toReporter.title).toBe('Message to the reporter');
    expect(toReporter.content).toEqual({ text: 'Yes please, send them here.' });
    expect(feedback.content).toEqual({
      actionTaken: 'We are reviewing the invoices.',
      reasons: 'They appear to be duplicates.',
      givenOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(note.content).toEqual({ text: 'Finance confirmed two payments.' });
    expect(evidence.content).toEqual({ description: 'Bank statement for March', kind: 'document' });
    expect(evidence.files).toEqual([
      { id: expect.any(String), name: 'statement.txt', mediaType: 'text/plain', size: 15 },
    ]);
    const [asked, , decided, recusal] = events.slice(8) as [Event, Event, Event, Event];
    expect(asked.content).toEqual({ reason: 'We need to interview the reporter about the invoices.' });
    expect(decided.content).toEqual({ reason: 'An interview is needed and proportionate.', approved: true });
    expect(recusal.content).toEqual(expect.objectContaining({ reason: 'I signed one of the invoices.' }));
  });

  it('says who acted: a name and role for staff, "the reporter" to the hour, Nolan for the system', () => {
    const byType = (type: string) => events.filter((e) => e.type === type);
    const received = byType('received')[0] as Event;
    expect(received.actor).toEqual({
      type: 'reporter',
      id: null,
      name: null,
      roles: [],
      label: 'the reporter',
    });
    expect(received.precision).toBe('hour');
    expect(received.at).toMatch(/T\d{2}:00:00\.000Z$/);
    const fromReporter = byType('message')[0] as Event;
    expect(fromReporter.actor.label).toBe('the reporter');
    expect(fromReporter.at).toMatch(/T\d{2}:00:00\.000Z$/);
    expect((byType('access')[0] as Event).actor.label).toBe('Nolan');
    const acknowledged = byType('transition')[0] as Event;
    expect(acknowledged.actor).toEqual({
      type: 'staff',
      id: s151.id,
      name: 'Test s151_officer',
      roles: ['s151_officer'],
      label: 'Test s151_officer (Section 151 officer (chief finance officer) or internal audit)',
    });
    expect(acknowledged.precision).toBe('second');
    expect((byType('identity_decided')[0] as Event).actor.id).toBe(mo.id);
  });

  it('matches the audit trail: each event stands for its entries, same action, actor and time; reads are left out', async () => {
    const entries = await trail();
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    const covered = new Set<number>();
    let last = 0;
    for (const event of events) {
      expect(event.auditSeqs.length).toBeGreaterThan(0);
      const main = bySeq.get(event.auditSeqs[0] as number);
      expect({
        type: event.type,
        main: main && { action: main.action, at: main.occurredAt, actorId: main.actorId },
      }).toEqual({
        type: event.type,
        main: { action: event.action, at: event.at, actorId: event.actor.id },
      });
      expect(event.auditSeqs[0]).toBeGreaterThan(last);
      last = event.auditSeqs[event.auditSeqs.length - 1] as number;
      for (const seq of event.auditSeqs) covered.add(seq);
    }
    // Every entry that is not a read is in the timeline, exactly once.
    const notReads = entries.filter(
      (e) => e.action !== 'case.content_decrypted' && !e.action.startsWith('auth.'),
    );
    expect(notReads.map((e) => e.seq).sort((a, b) => a - b)).toEqual([...covered].sort((a, b) => a - b));
  });

  it('filters by type and pages, with the total of what matches; a bad filter is a 400', async () => {
    const page = await staff('mo', 'get', '/timeline?type=transition,feedback&limit=1&offset=1').expect(200);
    expect(page.body).toEqual(
      expect.objectContaining({
        total: 2,
        limit: 1,
        offset: 1,
        events: [expect.objectContaining({ type: 'feedback' })],
      }),
    );
    const repeated = await staff('mo', 'get', '/timeline?type=message&type=note').expect(200);
    expect(repeated.body.events.map((e: Event) => e.type)).toEqual(['message', 'message', 'note']);
    const bad = await staff('mo', 'get', '/timeline?type=gossip').expect(400);
    expect(bad.body.message).toEqual([expect.stringMatching(/^type must be one or more of: received, /)]);
    await staff('mo', 'get', '/timeline?limit=0').expect(400);
    await staff('mo', 'get', '/timeline?offset=-1').expect(400);
  });

  it('shows a link to another case only to someone who holds that case too', async () => {
    const report = { category: 'fraud_theft', answers: { whatHappened: 'x' } };
    const here = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [mo.id, investigator.id],
      report,
    });
    const other = await fixtures.case(tenant.id, { category: 'fraud_theft', staffIds: [mo.id], report });
    await request(server())
      .post(`/api/v1/cases/${here.reference}/links`)
      .auth(tokens.mo as string, { type: 'bearer' })
      .send({ reference: other.reference, kind: 'same_subject', note: 'Same supplier' })
      .expect(201);
    const read = async (who: string) =>
      (
        await request(server())
          .get(`/api/v1/cases/${here.reference}/timeline`)
          .auth(tokens[who] as string, { type: 'bearer' })
          .expect(200)
      ).body.events.map((e: Event) => e.type);
    expect(await read('mo')).toContain('linked');
    const forInvestigator = await read('investigator');
    expect(forInvestigator).not.toContain('linked');
    expect(forInvestigator).toEqual((await read('mo')).filter((t: string) => t !== 'linked'));
  });

  it('records reading the timeline as a decryption, and is 404 for anyone without the case', async () => {
    const before = (await trail()).filter((e) => e.action === 'case.content_decrypted').length;
    await timeline('mo');
    const after = await trail();
    const reads = after.filter((e) => e.action === 'case.content_decrypted');
    expect(reads).toHaveLength(before + 1);
    expect(reads[reads.length - 1]).toEqual(
      expect.objectContaining({
        actorId: mo.id,
        details: { purpose: 'timeline', scopes: ['report', 'internal'], events: events.length },
      }),
    );
    // The recused handler has lost the case; the investigator never had it.
    for (const who of ['s151', 'investigator']) {
      const res = await staff(who, 'get', '/timeline').expect(404);
      expect(res.body.message).toBe('There is no case with this reference.');
    }
  });
});
