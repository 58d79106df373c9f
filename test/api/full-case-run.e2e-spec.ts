/**
 * Issue #7, must show: "A full case run through every stage by the roles that own each stage, with the
 * timeline and the audit trail matching."
 *
 * A member of staff reports anonymously through the web form. The monitoring officer (the case's
 * overseer: a gifts and hospitality concern goes to them alone) assigns it to an investigator, who
 * confirms ownership, acknowledges it with the first response, assesses it, opens an investigation with
 * a plan of two allegations, records a document and an interview record with a file, submits findings
 * on each allegation and gives the reporter feedback. The monitoring officer decides — the decision
 * closes the case with its outcome and recommendations, one step in the lifecycle — and later reopens
 * it. At every stage someone without that stage's role tries first and is refused. At the end the
 * timeline lists every stage in order, each of its events agrees with its audit entries (action, actor,
 * time), every entry that is not a read appears in the timeline once, and `audit:verify` finds the
 * tenant's chain intact.
 */
import { worded } from '../support/timeline-words';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { cli } from '../support/cli';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

interface TimelineEvent {
  type: string;
  action: string;
  title: string;
  at: string;
  precision: 'second' | 'hour';
  actor: { type: string; id: string | null; label: string };
  auditSeqs: number[];
  content: Record<string, unknown> | null;
  files: { id: string; name: string }[];
}
interface AuditEntry {
  seq: number;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  action: string;
  details: Record<string, unknown>;
}

const FIRST_RESPONSE = {
  proposedHandling: 'An investigator will look at the hospitality register and the contract award.',
  whoIsInvolved: 'An investigator in the monitoring officer’s team.',
  estimatedTimescale: 'About eight weeks.',
  supportAvailable: 'The employee assistance programme, and Protect on 020 3117 2520.',
};
const ALLEGATIONS = [
  'The officer accepted tickets from a bidder during the tender',
  'The officer did not declare the hospitality',
];

describe('a full case run through every stage', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let investigator: TestUser;
  let s151: TestUser;
  let admin: TestUser;
  const tokens: Record<string, string> = {};
  let reference: string;
  let reporter: string;

  const server = () => app.getHttpServer();
  const as = (who: string, method: 'get' | 'post', path: string) =>
    request(server())
      [method](`/api/v1/cases/${reference}${path}`)
      .auth(tokens[who] as string, { type: 'bearer' });
  const move = (who: string, body: object) => as(who, 'post', '/transitions').send(body);
  const asReporter = (method: 'get' | 'post', path: string) =>
    request(server())[method](`/api/v1/reporter/${path}`).auth(reporter, { type: 'bearer' });
  /** A refusal, with its status and message: the body shape every 4xx has. */
  const refused = async (pending: request.Test, status: number, message: RegExp | string) => {
    const res = await pending;
    expect({ status: res.status, message: res.body.message }).toEqual({
      status,
      message: typeof message === 'string' ? message : expect.stringMatching(message),
    });
  };
  const NO_CASE = 'There is no case with this reference.';

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('fullrun');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    admin = await fixtures.user(tenant.id, ['administrator']);
    for (const [who, user] of [
      ['mo', mo],
      ['investigator', investigator],
      ['s151', s151],
      ['admin', admin],
    ] as const)
      tokens[who] = await signInAs(server(), tenant.slug, user);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  it('1. intake: the reporter raises the concern on the web form, and it reaches the monitoring officer alone', async () => {
    const submitted = await request(server())
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field(
        'submission',
        JSON.stringify({
          category: 'gifts_hospitality',
          answers: {
            whatHappened: 'A procurement officer went to a cup final as the guest of a bidder.',
            howYouKnow: 'saw_it',
            raisedBefore: 'no',
          },
          altcha: await solvedAltcha(server(), tenant.slug),
        }),
      )
      .attach('files', Buffer.from('Tender timetable: bids close 14 May'), 'timetable.txt')
      .expect(201);
    reference = submitted.body.reference;
    reporter = await signInWithReceipt(server(), tenant.slug, submitted.body.receipt);
    await as('mo', 'get', '').expect(200);
    await refused(as('investigator', 'get', ''), 404, NO_CASE);
    await refused(as('s151', 'get', ''), 404, NO_CASE);
    await refused(as('admin', 'get', ''), 404, NO_CASE);
  });

  it('2. assignment: only the overseer assigns; the assignee alone confirms ownership', async () => {
    await refused(
      as('investigator', 'post', '/assignment').send({ assigneeId: investigator.id }),
      404,
      NO_CASE,
    );
    await as('mo', 'post', '/assignment').send({ assigneeId: investigator.id }).expect(200);
    await refused(as('investigator', 'post', '/assignment').send({ assigneeId: mo.id }), 403, /overse/i);
    await refused(as('mo', 'post', '/ownership'), 403, /assigned to/);
    await as('investigator', 'post', '/ownership').expect(200);
  });

  it('3. acknowledgement: the handler acknowledges with the first response, which the reporter reads', async () => {
    await refused(move('admin', { to: 'acknowledged', firstResponse: FIRST_RESPONSE }), 404, NO_CASE);
    await refused(move('s151', { to: 'acknowledged', firstResponse: FIRST_RESPONSE }), 404, NO_CASE);
    const bare = await move('investigator', { to: 'acknowledged' }).expect(400);
    expect(bare.body.message[0]).toMatch(/firstResponse/);
    await move('investigator', { to: 'acknowledged', firstResponse: FIRST_RESPONSE }).expect(201);
    const view = await asReporter('get', 'case').expect(200);
    expect(view.body.status).toBe('acknowledged');
    expect(view.body.messages[0].text).toContain(FIRST_RESPONSE.proposedHandling);
  });

  it('4. assessment, then 5. an investigation with its plan', async () => {
    await refused(
      move('investigator', { to: 'decision', findings: [] }),
      409,
      /only move to decision from investigation/,
    );
    await move('investigator', { to: 'assessment' }).expect(201);
    await refused(move('s151', { to: 'investigation' }), 404, NO_CASE);
    await move('investigator', {
      to: 'investigation',
      reason: 'The register has no entry for the cup final and the officer sat on the tender panel.',
      plan: { scope: 'The tender for the leisure contract, 2026', allegations: ALLEGATIONS },
    }).expect(201);
  });

  it('6. evidence: a document and an interview record with its file, for handlers only', async () => {
    await refused(
      as('admin', 'post', '/evidence').send({ description: 'x', kind: 'document' }),
      404,
      NO_CASE,
    );
    await as('investigator', 'post', '/evidence')
      .send({ description: 'Hospitality register extract: no entry for May', kind: 'document' })
      .expect(201);
    const interview = await as('investigator', 'post', '/evidence')
      .field('description', 'Interview with the procurement officer, 2 June')
      .field('kind', 'interview_record')
      .attach(
        'files',
        Buffer.from('Q: Did you attend the final? A: Yes, as a guest.'),
        'interview-2-june.txt',
      )
      .expect(201);
    const fileId = interview.body.files[0].id as string;
    const download = await as('mo', 'get', `/files/${fileId}`).expect(200);
    expect(download.text).toBe('Q: Did you attend the final? A: Yes, as a guest.');
    await refused(
      asReporter('get', `case/files/${fileId}`),
      404,
      'There is no file with this id on this case.',
    );
  });

  it('7. findings on each allegation of the plan', async () => {
    const partial = await move('investigator', {
      to: 'decision',
      findings: [{ allegation: ALLEGATIONS[0], finding: 'substantiated', reason: 'He confirmed it.' }],
    }).expect(400);
    expect(partial.body.message[0]).toMatch(/allegation/i);
    await move('investigator', {
      to: 'decision',
      findings: [
        { allegation: ALLEGATIONS[0], finding: 'substantiated', reason: 'He confirmed it in interview.' },
        {
          allegation: ALLEGATIONS[1],
          finding: 'not_substantiated',
          reason: 'He declared it late, within the rules.',
        },
      ],
    }).expect(201);
  });

  it('8. feedback to the reporter, who reads it apart from the messages', async () => {
    await refused(as('s151', 'post', '/feedback').send({ actionTaken: 'x', reasons: 'y' }), 404, NO_CASE);
    await as('investigator', 'post', '/feedback')
      .send({
        actionTaken: 'We investigated and found that hospitality was accepted during a tender.',
        reasons: 'The officer confirmed it; a decision on what follows is with the monitoring officer.',
      })
      .expect(201);
    const view = await asReporter('get', 'case').expect(200);
    expect(view.body.feedback).toEqual([
      expect.objectContaining({
        actionTaken: 'We investigated and found that hospitality was accepted during a tender.',
      }),
    ]);
  });

  it('9. the decision: the monitoring officer closes the case with its outcome and recommendations', async () => {
    const decision = {
      to: 'closed',
      outcome: 'partially_substantiated',
      reason: 'Tickets were accepted during the tender; the late declaration was within the rules.',
      recommendations: [
        {
          action: 'Remove the officer from the tender panel and re-score the bids',
          owner: 'Head of Procurement',
        },
        {
          action: 'Remind staff of the hospitality rules',
          owner: 'Monitoring officer',
          dueDate: '2026-12-31',
        },
      ],
    };
    await refused(move('investigator', decision), 403, /monitoring officer/);
    const noRecommendations = await move('mo', { ...decision, recommendations: [] }).expect(400);
    expect(noRecommendations.body.message[0]).toMatch(/recommendation/);
    const closed = await move('mo', decision).expect(201);
    expect(closed.body).toEqual(
      expect.objectContaining({ status: 'closed', outcome: 'partially_substantiated' }),
    );
    await refused(
      as('investigator', 'post', '/feedback').send({ actionTaken: 'x', reasons: 'y' }),
      409,
      /closed/,
    );
    expect((await asReporter('get', 'case').expect(200)).body.status).toBe('closed');
  });

  it('10. reopening, by the monitoring officer only', async () => {
    await refused(
      move('investigator', { to: 'reopened', reason: 'New evidence' }),
      403,
      /monitoring officer/,
    );
    await move('mo', { to: 'reopened', reason: 'A second bidder has come forward.' }).expect(201);
  });

  it('ends with a timeline listing every stage in order, each event matching its audit entries, and an intact chain', async () => {
    const res = await as('investigator', 'get', '/timeline').expect(200);
    const events: TimelineEvent[] = res.body.events.map(worded);
    expect(events.map((e) => `${e.type}: ${e.title}`)).toEqual([
      'received: Report received',
      expect.stringMatching(/^access: Routed to Test monitoring_officer \(Monitoring officer\)$/),
      expect.stringMatching(/^access: Access given to Test investigator \(Investigator\) \(assigned\)$/),
      'assigned: Assigned to Test investigator (Investigator)',
      'assigned: Ownership of the case confirmed',
      'transition: Acknowledged, with the first response to the reporter',
      'transition: Assessment started',
      'transition: Investigation opened, with its plan',
      'evidence: Evidence added',
      'evidence: Interview record added',
      'transition: Findings submitted for a decision',
      'feedback: Feedback given to the reporter',
      'transition: Closed: partially substantiated',
      'transition: Reopened',
    ]);
    const by = (title: string) => events.find((e) => e.title === title) as TimelineEvent;
    expect(by('Report received').actor.label).toBe('the reporter');
    expect(by('Report received').precision).toBe('hour');
    expect(by('Report received').files.map((f) => f.name)).toEqual(['timetable.txt']);
    expect(by('Acknowledged, with the first response to the reporter').actor.id).toBe(investigator.id);
    expect(by('Acknowledged, with the first response to the reporter').content).toEqual({
      firstResponse: FIRST_RESPONSE,
    });
    expect(by('Investigation opened, with its plan').content).toEqual(
      expect.objectContaining({ plan: expect.objectContaining({ allegations: ALLEGATIONS }) }),
    );
    expect(by('Interview record added').files.map((f) => f.name)).toEqual(['interview-2-june.txt']);
    expect(by('Findings submitted for a decision').content).toEqual({
      findings: [
        expect.objectContaining({ allegation: ALLEGATIONS[0], finding: 'substantiated' }),
        expect.objectContaining({ allegation: ALLEGATIONS[1], finding: 'not_substantiated' }),
      ],
    });
    const decision = by('Closed: partially substantiated');
    expect(decision.actor.id).toBe(mo.id);
    expect(decision.content).toEqual(
      expect.objectContaining({
        outcome: 'partially_substantiated',
        recommendations: [
          expect.objectContaining({ owner: 'Head of Procurement' }),
          expect.objectContaining({ owner: 'Monitoring officer', dueDate: '2026-12-31' }),
        ],
      }),
    );
    expect(by('Reopened').actor.id).toBe(mo.id);

    // The audit trail, read by the case's overseer: every event stands for its entries — same action,
    // same actor, same time — in the same order, and nothing but reads is left out of the timeline.
    const trail = (await as('mo', 'get', '/audit?limit=200').expect(200)).body.items as AuditEntry[];
    const bySeq = new Map(trail.map((e) => [e.seq, e]));
    const covered: number[] = [];
    for (const event of events) {
      for (const seq of event.auditSeqs) {
        const entry = bySeq.get(seq);
        expect({ event: event.title, seq, inTrail: entry !== undefined }).toEqual({
          event: event.title,
          seq,
          inTrail: true,
        });
        covered.push(seq);
      }
      const main = bySeq.get(event.auditSeqs[0] as number) as AuditEntry;
      expect({ title: event.title, action: main.action, at: main.occurredAt, actorId: main.actorId }).toEqual(
        {
          title: event.title,
          action: event.action,
          at: event.at,
          actorId: event.actor.id,
        },
      );
    }
    expect(covered).toEqual([...covered].sort((a, b) => a - b));
    const notReads = trail.filter(
      (e) => e.action !== 'case.content_decrypted' && !e.action.startsWith('auth.'),
    );
    expect(covered).toEqual(notReads.map((e) => e.seq));
    // The transitions in the trail are exactly the stages the timeline shows.
    expect(
      trail.filter((e) => e.action === 'case.transitioned').map((e) => `${e.details.from}>${e.details.to}`),
    ).toEqual([
      'received>acknowledged',
      'acknowledged>assessment',
      'assessment>investigation',
      'investigation>decision',
      'decision>closed',
      'closed>reopened',
    ]);

    const verified = cli(['audit:verify', '--tenant', tenant.slug]);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^tenant ${tenant.slug}: \\d+ entries, chain intact\\n$`));
  });
});
