/**
 * Issue #7, must show: "A case about the monitoring officer never reaches the monitoring officer in any
 * list, count, search, notification or by id (404); the head of paid service (and the s151 officer as
 * alternate) handle it, per the tenant's conflict routes (defaults in docs/regulatory.md §3)."
 *
 * Everything runs for real: reports through the HTTP intake, the workers' own module in this process
 * (the outbox relay on its timer, BullMQ on Redis, the case-events processor) e-mailing a real SMTP
 * server. Also: the section 151 officer takes over when there is no head of paid service or the head
 * of paid service recuses, and naming the monitoring officer later on an ordinary case removes them.
 */
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { WorkerModule } from '../../apps/api/src/workers/worker.module';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { startSmtpCatcher } from '../support/smtp-catcher';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(120_000);

const NO_SUCH_CASE = {
  statusCode: 404,
  error: 'Not Found',
  message: 'There is no case with this reference.',
};

describe('a case about the monitoring officer', () => {
  let app: INestApplication;
  let worker: INestApplicationContext;
  let fixtures: StaffFixtures;
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let deputy: TestUser;
  let hops: TestUser;
  let s151: TestUser;
  let investigator: TestUser;
  const tokens: Record<string, string> = {};
  const tenants: string[] = [];

  const server = () => app.getHttpServer();
  const as = (who: string) => ({
    get: (path: string) => request(server()).get(`/api/v1${path}`).auth(tokens[who]!, { type: 'bearer' }),
    post: (path: string, body: object = {}) =>
      request(server()).post(`/api/v1${path}`).auth(tokens[who]!, { type: 'bearer' }).send(body),
  });
  const submit = async (
    slug: string,
    extra: { involves?: string[]; identity?: object; category?: string } = {},
  ): Promise<{ reference: string; receipt: string }> => {
    const res = await request(server())
      .post(`/api/v1/tenants/${slug}/reports`)
      .send({
        category: extra.category ?? 'gifts_hospitality',
        answers: {
          whatHappened: 'Season tickets from a developer',
          howYouKnow: 'saw_it',
          raisedBefore: 'no',
        },
        ...(extra.involves ? { involves: extra.involves } : {}),
        ...(extra.identity ? { identity: extra.identity } : {}),
        altcha: await solvedAltcha(server(), slug),
      })
      .expect(201);
    return res.body;
  };
  const mailsTo = (user: TestUser) => smtp.mails.filter((m) => m.to.includes(user.email)).length;
  const until = async (what: string, check: () => Promise<boolean> | boolean) => {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** Every outbox row relayed and every notification sent, then one more relay period for stragglers. */
  const settle = async () => {
    await until('the outbox and notifications to drain', async () => {
      for (const tenantId of tenants) {
        const [row] = await fixtures.dataSource.transaction(async (m) => {
          await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
          return m.query(
            `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL)::int AS unsent,
                    (SELECT count(*) FROM notifications WHERE status <> 'sent')::int AS pending`,
          );
        });
        if (row.unsent > 0 || row.pending > 0) return false;
      }
      return true;
    });
    await new Promise((r) => setTimeout(r, 2500));
  };
  /** Whether any notification about `reference` was ever meant for `user` (the workers' own record). */
  const everMeantFor = async (user: TestUser, tenantId: string, reference: string) => {
    const [row] = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      return m.query(
        `SELECT count(*)::int AS n FROM notifications n JOIN outbox o ON o.id = n.outbox_id
         JOIN cases c ON c.id = o.aggregate_id WHERE c.reference = $1 AND n.user_id = $2`,
        [reference, user.id],
      );
    });
    return row.n > 0;
  };
  /** Lists, counts and search for `who`: is `reference` anywhere? */
  const seenInLists = async (who: string, reference: string) => {
    const all = await as(who).get('/cases?limit=100').expect(200);
    const byStatus = await as(who).get('/cases?status=received&limit=100').expect(200);
    const search = await as(who).get(`/cases?q=${reference}`).expect(200);
    const partial = await as(who)
      .get(`/cases?q=${reference.slice(0, 8)}&limit=100`)
      .expect(200);
    return {
      listed: [all, byStatus, partial].some((r) =>
        r.body.items.some((c: { reference: string }) => c.reference === reference),
      ),
      total: all.body.total as number,
      searchTotal: search.body.total as number,
    };
  };
  /** Every case route answers 404, exactly as for a reference that does not exist. */
  const expectHidden = async (who: string, reference: string) => {
    const unknown = await as(who).get('/cases/NLN-ZZZZ-ZZZZ').expect(404);
    expect(unknown.body).toEqual(NO_SUCH_CASE);
    for (const path of ['', '/audit', '/timeline', '/links', '/identity', '/identity-requests']) {
      const res = await as(who).get(`/cases/${reference}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const get = await as(who).get(`/cases/${reference}`);
    expect(get.body).toEqual(NO_SUCH_CASE);
    for (const [path, body] of [
      ['/transitions', { to: 'closed', outcome: 'withdrawn', reason: 'x' }],
      ['/messages', { text: 'x' }],
      ['/notes', { text: 'x' }],
      ['/recusal', { reason: 'x' }],
      ['/involved', { role: 'head_of_paid_service', reason: 'x' }],
      ['/identity-requests', { reason: 'x' }],
      ['/exports', {}],
    ] as const) {
      const res = await as(who).post(`/cases/${reference}${path}`, body);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  };

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    process.env.SMTP_URL = smtp.url;
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('mo-conflict');
    tenants.push(tenant.id);
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    deputy = await fixtures.user(tenant.id, ['deputy_monitoring_officer']);
    hops = await fixtures.user(tenant.id, ['head_of_paid_service']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    app = await startApi();
    for (const [name, user] of Object.entries({ mo, deputy, hops, s151, investigator }))
      tokens[name] = await signInAs(server(), tenant.slug, user);
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await worker?.close();
    await app?.close();
    await fixtures?.close();
    await smtp?.close();
  });

  let aboutMo: { reference: string; receipt: string };
  let ordinary: { reference: string; receipt: string };

  it('never reaches the monitoring officer in any list, count, search, notification or by id', async () => {
    ordinary = await submit(tenant.slug);
    aboutMo = await submit(tenant.slug, {
      involves: ['monitoring_officer'],
      identity: { name: 'A. Reporter', contact: 'reporter@example.net' },
    });
    await until('the notices of both new cases', () => mailsTo(mo) >= 1 && mailsTo(hops) >= 1);
    await settle();
    // The monitoring officer's e-mail works (the ordinary case reached them); the one about them did not.
    expect(mailsTo(mo)).toBe(1);
    expect(await everMeantFor(mo, tenant.id, aboutMo.reference)).toBe(false);
    expect(await everMeantFor(mo, tenant.id, ordinary.reference)).toBe(true);
    expect(mailsTo(hops)).toBe(1);
    expect(mailsTo(deputy)).toBe(0);
    expect(mailsTo(s151)).toBe(0);

    expect(await seenInLists('mo', aboutMo.reference)).toEqual({ listed: false, total: 1, searchTotal: 0 });
    expect((await seenInLists('mo', ordinary.reference)).listed).toBe(true);
    await expectHidden('mo', aboutMo.reference);
    // The deputy answers to the monitoring officer (not marked independent), so is excluded too.
    expect(await seenInLists('deputy', aboutMo.reference)).toEqual({
      listed: false,
      total: 0,
      searchTotal: 0,
    });
    await expectHidden('deputy', aboutMo.reference);
    // The head of paid service is there in the alternate's place, so the s151 officer is not needed.
    await as('s151').get(`/cases/${aboutMo.reference}`).expect(404);
  });

  it('is handled and decided by the head of paid service, who is its custodian', async () => {
    const ref = aboutMo.reference;
    expect(await seenInLists('hops', ref)).toMatchObject({ listed: true, searchTotal: 1 });
    const view = await as('hops').get(`/cases/${ref}`).expect(200);
    expect(view.body.report).toEqual(expect.objectContaining({ involves: ['monitoring_officer'] }));
    const identity = await as('hops').get(`/cases/${ref}/identity`).expect(200);
    expect(JSON.stringify(identity.body)).toContain('A. Reporter');

    await as('hops')
      .post(`/cases/${ref}/transitions`, {
        to: 'acknowledged',
        firstResponse: {
          proposedHandling: 'The chief executive will look into it independently of the monitoring officer.',
          whoIsInvolved: 'The head of paid service.',
          estimatedTimescale: 'Six weeks.',
          supportAvailable: 'Protect.',
        },
      })
      .expect(201);
    // The reporter writes back: the head of paid service is told, the monitoring officer is not.
    const before = { mo: mailsTo(mo), hops: mailsTo(hops) };
    const token = await signInWithReceipt(server(), tenant.slug, aboutMo.receipt);
    await request(server())
      .post('/api/v1/reporter/case/messages')
      .auth(token, { type: 'bearer' })
      .send({ text: 'I have more: the tickets were for the final.' })
      .expect(201);
    await until('the notice of the reporter’s message', () => mailsTo(hops) > before.hops);
    await settle();
    expect(mailsTo(mo)).toBe(before.mo);

    await as('hops').post(`/cases/${ref}/transitions`, { to: 'assessment' }).expect(201);
    await as('hops')
      .post(`/cases/${ref}/transitions`, {
        to: 'investigation',
        reason: 'Specific and serious.',
        plan: { scope: 'Hospitality register, 2026.', allegations: ['Hospitality was not declared'] },
      })
      .expect(201);
    await as('hops')
      .post(`/cases/${ref}/transitions`, {
        to: 'decision',
        findings: [
          { allegation: 'Hospitality was not declared', finding: 'substantiated', reason: 'Register.' },
        ],
      })
      .expect(201);
    const decided = await as('hops')
      .post(`/cases/${ref}/transitions`, {
        to: 'closed',
        outcome: 'substantiated',
        reason: 'The hospitality was accepted and not declared.',
        recommendations: [
          { action: 'Refer to the statutory officer disciplinary panel', owner: 'Head of HR' },
        ],
        noFeedbackReason: 'The reporter has not signed in since the report; this test is not about feedback.',
      })
      .expect(201);
    expect(decided.body).toMatchObject({ status: 'closed', outcome: 'substantiated' });
    const trail = await as('hops').get(`/cases/${ref}/audit?limit=200`).expect(200);
    const actors = new Set(
      trail.body.items.map((e: { actorId: string | null }) => e.actorId).filter((id: string | null) => id),
    );
    expect(actors.has(mo.id)).toBe(false);
    await expectHidden('mo', ref);
  });

  it('goes to the section 151 officer as alternate when there is no head of paid service', async () => {
    const other = await fixtures.tenant('mo-conflict-nohops');
    tenants.push(other.id);
    const otherMo = await fixtures.user(other.id, ['monitoring_officer']);
    const otherS151 = await fixtures.user(other.id, ['s151_officer']);
    tokens.otherMo = await signInAs(server(), other.slug, otherMo);
    tokens.otherS151 = await signInAs(server(), other.slug, otherS151);
    const { reference } = await submit(other.slug, {
      involves: ['monitoring_officer'],
      identity: { contact: 'alt@example.net' },
    });
    await until('the alternate’s notice', () => mailsTo(otherS151) >= 1);
    await settle();
    expect(mailsTo(otherS151)).toBe(1);
    expect(mailsTo(otherMo)).toBe(0);
    await as('otherS151').get(`/cases/${reference}`).expect(200);
    await as('otherS151').get(`/cases/${reference}/identity`).expect(200);
    expect(await seenInLists('otherMo', reference)).toEqual({ listed: false, total: 0, searchTotal: 0 });
    await expectHidden('otherMo', reference);
  });

  it('passes to the section 151 officer when the head of paid service recuses, never back to the monitoring officer', async () => {
    const { reference } = await submit(tenant.slug, { involves: ['monitoring_officer'] });
    await until(
      'the head of paid service’s notice',
      async () => await everMeantFor(hops, tenant.id, reference),
    );
    await settle();
    const before = { mo: mailsTo(mo), s151: mailsTo(s151) };
    await as('hops')
      .post(`/cases/${reference}/recusal`, { reason: 'The developer is a friend of mine.' })
      .expect(201);
    await as('hops').get(`/cases/${reference}`).expect(404);
    await as('s151').get(`/cases/${reference}`).expect(200);
    await as('s151').get(`/cases/${reference}/identity`).expect(200);
    await until('the alternate’s notice', () => mailsTo(s151) > before.s151);
    await settle();
    expect(mailsTo(s151)).toBe(before.s151 + 1);
    expect(mailsTo(mo)).toBe(before.mo);
    expect(await everMeantFor(mo, tenant.id, reference)).toBe(false);
    expect((await seenInLists('mo', reference)).listed).toBe(false);
    await expectHidden('mo', reference);
    await expectHidden('deputy', reference);
  });

  it('removes the monitoring officer from an ordinary case once they are named later as involved', async () => {
    const ref = ordinary.reference;
    await as('mo').post(`/cases/${ref}/assignment`, { assigneeId: investigator.id }).expect(200);
    await as('investigator').get(`/cases/${ref}`).expect(200);
    await settle();
    const before = { mo: mailsTo(mo), hops: mailsTo(hops), moTotal: (await seenInLists('mo', ref)).total };

    // Issue #15: a handler's naming is a request. It names the overseer, so the head of paid service
    // (who would oversee the case with it in effect) is given the case to confirm it.
    const asked = await as('investigator')
      .post(`/cases/${ref}/involved`, {
        role: 'monitoring_officer',
        reason: 'The developer says the monitoring officer approved the tickets.',
      })
      .expect(202);
    const named = await as('hops')
      .post(`/cases/${ref}/involved/requests/${asked.body.requestId}/decision`, { confirm: true })
      .expect(200);
    // The investigator never held the identity scope, so only its custodian's successor lacks it.
    expect(named.body).toMatchObject({ named: 1, passedTo: 1, unrouted: false, withheld: ['identity'] });

    expect(await seenInLists('mo', ref)).toEqual({
      listed: false,
      total: before.moTotal - 1,
      searchTotal: 0,
    });
    await expectHidden('mo', ref);
    await expectHidden('deputy', ref);
    await as('hops').get(`/cases/${ref}`).expect(200);
    await as('investigator').get(`/cases/${ref}`).expect(200);
    await until('the head of paid service’s notice', () => mailsTo(hops) > before.hops);
    await settle();
    expect(mailsTo(hops)).toBe(before.hops + 1);
    // Never told they were named.
    expect(mailsTo(mo)).toBe(before.mo);
    // The head of paid service now oversees it: they, not the monitoring officer, decide.
    await as('hops')
      .post(`/cases/${ref}/transitions`, {
        to: 'acknowledged',
        firstResponse: {
          proposedHandling: 'Independent review.',
          whoIsInvolved: 'The head of paid service and an investigator.',
          estimatedTimescale: 'A month.',
          supportAvailable: 'Protect.',
        },
      })
      .expect(201);
    await as('hops').get(`/cases/${ref}/audit`).expect(200);
  });
});
