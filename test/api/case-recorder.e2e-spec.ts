/**
 * Issue #13 "One recorder" (docs/case-core.md "The recorder"): every kind of case event — the pinned
 * registry CASE_EVENTS — is driven here through the API, one request at a time, and each must have
 * written, in that request: its own encrypted item (its kind, in its scope), an audit entry under its
 * action naming that item first in `item_ids`, and an outbox row under the same action for the case.
 * Leaving out any of the three fails the kind's check; a kind added to the registry without a request
 * here fails the first test; and a file of the case core that writes the items, audit or outbox tables
 * itself, instead of through CaseRecorder, fails the last one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  CASE_EVENTS,
  CASE_EVENT_KINDS,
  type CaseEventKind,
} from '../../apps/api/src/cases/record/case-events';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

interface Written {
  entries: {
    case_id: string;
    action: string;
    actor_type: string;
    occurred_at: Date;
    item_ids: string[] | null;
  }[];
  items: { id: string; case_id: string; kind: string; scope: string; author_kind: string }[];
  outbox: { event: string; aggregate_id: string }[];
}

const FIRST_RESPONSE = {
  proposedHandling: 'Internal audit will review the invoices.',
  whoIsInvolved: 'Internal audit and the monitoring officer.',
  estimatedTimescale: 'About six weeks.',
  supportAvailable: 'Protect: 020 3117 2520.',
};

describe('the case recorder', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  const users: Record<string, TestUser> = {};
  const tokens: Record<string, string> = {};
  let reference = '';
  let recorded = '';
  let reporter = '';
  let linkId = '';
  let recommendationId = '';
  const observed = new Map<CaseEventKind, Written>();

  const server = () => app.getHttpServer();
  const as = (who: string, method: 'post' | 'delete', path: string) =>
    request(server())
      [method](`/api/v1${path}`)
      .auth(tokens[who] as string, { type: 'bearer' });
  const ownCase = (path: string) => `/cases/${reference}${path}`;

  const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(sql, params) as Promise<T[]>;
    });
  const marks = async () => {
    const [row] = await query<{ seq: string; item: string; outbox: string }>(
      `SELECT (SELECT coalesce(max(seq), 0) FROM audit_entries) AS seq,
              (SELECT coalesce(max(seq), 0) FROM case_items) AS item,
              (SELECT coalesce(max(id), 0) FROM outbox) AS outbox`,
    );
    return row!;
  };
  /** What one request wrote to the three tables. */
  const observe = async (kind: CaseEventKind, work: () => Promise<unknown>) => {
    const before = await marks();
    await work();
    observed.set(kind, {
      entries: await query(
        `SELECT case_id, action, actor_type, occurred_at, item_ids FROM audit_entries WHERE seq > $1 ORDER BY seq`,
        [before.seq],
      ),
      items: await query(
        `SELECT id, case_id, kind, scope, author_kind FROM case_items WHERE seq > $1 ORDER BY seq`,
        [before.item],
      ),
      outbox: await query(`SELECT event, aggregate_id FROM outbox WHERE id > $1 ORDER BY id`, [
        before.outbox,
      ]),
    });
  };

  /** One request per kind of event, in an order a real case could take. */
  const DRIVERS: Record<CaseEventKind, () => Promise<unknown>> = {
    submitted: async () => {
      const res = await request(server())
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
      reference = res.body.reference;
      reporter = await signInWithReceipt(server(), tenant.slug, res.body.receipt);
    },
    message_from_reporter: () =>
      request(server())
        .post('/api/v1/reporter/case/messages')
        .auth(reporter, { type: 'bearer' })
        .field('message', JSON.stringify({ text: 'I have more invoices if you need them.' }))
        .attach('files', Buffer.from('invoice 1043'), 'more.txt')
        .expect(201),
    identity_given: () =>
      request(server())
        .post('/api/v1/reporter/case/identity')
        .auth(reporter, { type: 'bearer' })
        .send({ name: 'A. Reporter' })
        .expect(201),
    transitioned: () =>
      as('s151', 'post', ownCase('/transitions'))
        .send({ to: 'acknowledged', firstResponse: FIRST_RESPONSE })
        .expect(201),
    message_to_reporter: () =>
      as('s151', 'post', ownCase('/messages')).send({ text: 'Yes please, send them here.' }).expect(201),
    feedback_given: () =>
      as('s151', 'post', ownCase('/feedback'))
        .send({ actionTaken: 'We are reviewing the invoices.', reasons: 'They appear to be duplicates.' })
        .expect(201),
    note_added: () =>
      as('s151', 'post', ownCase('/notes')).send({ text: 'Finance confirmed two payments.' }).expect(201),
    evidence_added: () =>
      as('s151', 'post', ownCase('/evidence'))
        .field('description', 'Bank statement for March')
        .field('kind', 'document')
        .attach('files', Buffer.from('statement lines'), 'statement.txt')
        .expect(201),
    identity_requested: () =>
      as('s151', 'post', ownCase('/identity-requests'))
        .send({ reason: 'We need to interview the reporter.' })
        .expect(201),
    identity_decided: async () => {
      const [asked] = await query<{ id: string }>(
        `SELECT id FROM identity_requests WHERE status = 'pending'`,
      );
      await as('mo', 'post', ownCase(`/identity-requests/${asked!.id}/decision`))
        .send({ approve: true, reason: 'An interview is needed and proportionate.' })
        .expect(201);
    },
    assigned: () =>
      as('mo', 'post', ownCase('/assignment')).send({ assigneeId: users['investigator']!.id }).expect(200),
    ownership_confirmed: () => as('investigator', 'post', ownCase('/ownership')).expect(200),
    legal_hold_set: () =>
      as('mo', 'post', ownCase('/legal-hold')).send({ reason: 'Litigation is expected.' }).expect(200),
    legal_hold_cleared: () =>
      as('mo', 'delete', ownCase('/legal-hold')).send({ reason: 'The claim was withdrawn.' }).expect(200),
    linked: async () => {
      const other = await as('s151', 'post', '/cases')
        .send({
          channel: 'phone',
          submission: {
            category: 'fraud_theft',
            answers: { whatHappened: 'Told by phone', howYouKnow: 'told', raisedBefore: 'no' },
          },
        })
        .expect(201);
      recorded = other.body.reference;
      const link = await as('s151', 'post', ownCase('/links'))
        .send({ reference: recorded, kind: 'same_subject', note: 'Same supplier' })
        .expect(201);
      linkId = link.body.id;
    },
    unlinked: () => as('s151', 'delete', ownCase(`/links/${linkId}`)).expect(204),
    naming_requested: () =>
      as('investigator', 'post', ownCase('/involved'))
        .send({ role: 's151_officer', reason: 'They approved the supplier.' })
        .expect(202),
    naming_decided: async () => {
      const [asked] = await query<{ id: string }>(
        `SELECT id FROM case_naming_requests WHERE status = 'pending'`,
      );
      await as('mo', 'post', ownCase(`/involved/requests/${asked!.id}/decision`))
        .send({ confirm: false, reason: 'The approval was routine.' })
        .expect(200);
    },
    closure_requested: () =>
      as('investigator', 'post', ownCase('/closure-requests'))
        .send({ outcome: 'no_further_action', reason: 'The invoices were paid back.' })
        .expect(201),
    closure_decided: async () => {
      const [asked] = await query<{ id: string }>(
        `SELECT id FROM case_closure_requests WHERE status = 'pending'`,
      );
      await as('mo', 'post', ownCase(`/closure-requests/${asked!.id}/decision`))
        .send({ agree: false, reason: 'Wait for the bank statements.' })
        .expect(200);
    },
    named_as_involved: () =>
      request(server())
        .post('/api/v1/reporter/case/involved')
        .auth(reporter, { type: 'bearer' })
        .send({ roles: ['head_of_paid_service'], reason: 'They signed it off.' })
        .expect(200),
    recommendation_raised: async () => {
      const raised = await as('s151', 'post', ownCase('/recommendations'))
        .send({
          text: 'Check every invoice over £5,000 twice.',
          owner: 'Accounts payable',
          dueOn: '2027-03-31',
        })
        .expect(201);
      recommendationId = raised.body.id;
    },
    recommendation_updated: () =>
      as('s151', 'post', ownCase(`/recommendations/${recommendationId}/status`))
        .send({ status: 'implemented' })
        .expect(201),
    recused: () =>
      as('s151', 'post', ownCase('/recusal')).send({ reason: 'I signed one invoice.' }).expect(201),
  };

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('recorder');
    for (const [who, roles] of [
      ['mo', ['monitoring_officer']],
      ['s151', ['s151_officer']],
      ['investigator', ['investigator']],
      ['hops', ['head_of_paid_service']],
    ] as const) {
      users[who] = await fixtures.user(tenant.id, [...roles]);
      tokens[who] = await signInAs(server(), tenant.slug, users[who]!);
    }
    for (const kind of Object.keys(DRIVERS) as CaseEventKind[]) await observe(kind, DRIVERS[kind]);
  });
  afterAll(async () => {
    await fixtures?.close();
    await app?.close();
  });

  it('drives every kind of event in the pinned registry', () => {
    expect(Object.keys(DRIVERS).sort()).toEqual([...CASE_EVENT_KINDS].sort());
    expect(CASE_EVENT_KINDS).toHaveLength(24);
  });

  it.each(CASE_EVENT_KINDS)(
    '%s: writes its item, its audit entry naming the item, and its outbox row',
    (kind) => {
      const spec = CASE_EVENTS[kind];
      const written = observed.get(kind) as Written;
      const own = written.items.filter((i) => i.kind === spec.item && i.scope === spec.scope);
      expect(own.length).toBeGreaterThan(0);
      for (const item of own) {
        const entry = written.entries.find((e) => e.action === spec.action && e.item_ids?.[0] === item.id);
        expect({ kind, item: item.id, entry: entry !== undefined }).toEqual({
          kind,
          item: item.id,
          entry: true,
        });
        expect(entry!.case_id).toBe(item.case_id);
        // Every item the entry names was written by the same request, for the same case.
        for (const id of entry!.item_ids ?? [])
          expect(written.items.find((i) => i.id === id)?.case_id).toBe(item.case_id);
        expect(written.outbox).toContainEqual({ event: spec.action, aggregate_id: item.case_id });
        // The recorder decides the time and author: a reporter's event is theirs and to the hour only.
        if (item.author_kind === 'reporter') {
          expect(entry!.actor_type).toBe('reporter');
          expect(new Date(entry!.occurred_at).getUTCMinutes()).toBe(0);
          expect(new Date(entry!.occurred_at).getUTCSeconds()).toBe(0);
        }
      }
      // Nothing the request wrote is left without an entry that names it.
      const named = new Set(written.entries.flatMap((e) => e.item_ids ?? []));
      expect(written.items.filter((i) => !named.has(i.id))).toEqual([]);
    },
  );

  it('leaves the items, audit and outbox tables of a case to the recorder alone', () => {
    const root = join(__dirname, '../../apps/api/src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) files.push(path);
      }
    };
    for (const folder of ['cases', 'intake', 'reporter']) walk(join(root, folder));
    const writers = files
      .filter((path) => !path.endsWith(join('cases', 'record', 'case-recorder.ts')))
      .filter((path) =>
        /audit\.append\(|outbox\.add\(|CaseItemEntity\)\s*\.insert|INSERT INTO (case_items|audit_entries|outbox)/.test(
          readFileSync(path, 'utf8'),
        ),
      )
      .map((path) => path.slice(root.length + 1));
    expect(writers).toEqual([]);
  });
});
