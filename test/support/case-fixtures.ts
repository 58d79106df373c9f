/**
 * The set-up most case suites share: the API, a tenant of its own, staff users by name with their
 * sign-in tokens, a report submitted through the web form, requests as a named user, and the data
 * each lifecycle stage needs — so a suite states only what it is about. Built on StaffFixtures and
 * reporter-client; suites still assert everything themselves.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from './api-app';
import { solvedAltcha } from './reporter-client';
import { signInAs, StaffFixtures, type TestUser } from './staff-fixtures';

/** A first response that meets the acknowledgement's rules (GP-06). */
export const FIRST_RESPONSE = Object.freeze({
  proposedHandling: 'We will look into it.',
  whoIsInvolved: 'The monitoring officer.',
  estimatedTimescale: 'About a month.',
  supportAvailable: 'Protect: 020 3117 2520.',
});

/** A one-allegation investigation plan, and the finding that answers it. */
export const ONE_ALLEGATION_PLAN = Object.freeze({
  to: 'investigation',
  reason: 'The account is specific.',
  plan: { scope: 'The events reported', allegations: ['The rules were broken'] },
});
export const FINDING_FOR_PLAN = Object.freeze({
  to: 'decision',
  findings: [{ allegation: 'The rules were broken', finding: 'substantiated', reason: 'Records show it.' }],
});

/** The bodies that take a case from `received` to each later stage, in order. */
export const PATH_TO: Record<'acknowledged' | 'assessment' | 'investigation' | 'decision', object[]> = {
  acknowledged: [{ to: 'acknowledged', firstResponse: FIRST_RESPONSE }],
  assessment: [{ to: 'acknowledged', firstResponse: FIRST_RESPONSE }, { to: 'assessment' }],
  investigation: [
    { to: 'acknowledged', firstResponse: FIRST_RESPONSE },
    { to: 'assessment' },
    ONE_ALLEGATION_PLAN,
  ],
  decision: [
    { to: 'acknowledged', firstResponse: FIRST_RESPONSE },
    { to: 'assessment' },
    ONE_ALLEGATION_PLAN,
    FINDING_FOR_PLAN,
  ],
};

/** What the web form takes for a report; defaults to a gifts-and-hospitality concern. */
export interface ReportBody {
  category?: string;
  answers?: Record<string, unknown>;
  [field: string]: unknown;
}

export class CaseWorld {
  readonly tokens: Record<string, string> = {};
  readonly users: Record<string, TestUser> = {};

  private constructor(
    readonly app: INestApplication,
    readonly fixtures: StaffFixtures,
    readonly tenant: { id: string; slug: string; escrowRecoveryPassphrase: string },
    private readonly ownsApp: boolean,
  ) {}

  /**
   * The API (started here unless `app` is given), a tenant named after `prefix`, and one signed-in
   * staff user per entry of `roles` (name → roles).
   */
  static async start(
    prefix: string,
    roles: Record<string, string[]>,
    options: { app?: INestApplication } = {},
  ): Promise<CaseWorld> {
    const app = options.app ?? (await startApi());
    const fixtures = await StaffFixtures.open();
    const world = new CaseWorld(app, fixtures, await fixtures.tenant(prefix), !options.app);
    for (const [name, r] of Object.entries(roles)) await world.addUser(name, r);
    return world;
  }

  /** Another signed-in staff user of the tenant, known by `name`. */
  async addUser(name: string, roles: string[]): Promise<TestUser> {
    const user = await this.fixtures.user(this.tenant.id, roles);
    this.users[name] = user;
    this.tokens[name] = await signInAs(this.server, this.tenant.slug, user);
    return user;
  }

  async close(): Promise<void> {
    await this.fixtures.close();
    if (this.ownsApp) await this.app.close();
  }

  get server() {
    return this.app.getHttpServer();
  }

  user(name: string): TestUser {
    const user = this.users[name];
    if (!user) throw new Error(`no user called ${name}`);
    return user;
  }

  /** Requests as the named staff user; paths are under /api/v1. */
  as(who: string) {
    const token = this.tokens[who];
    if (!token) throw new Error(`no token for ${who}`);
    const server = this.server;
    return {
      get: (path: string) => request(server).get(`/api/v1${path}`).auth(token, { type: 'bearer' }),
      post: (path: string, body: object = {}) =>
        request(server).post(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
      put: (path: string, body: object = {}) =>
        request(server).put(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
      delete: (path: string, body?: object) => {
        const req = request(server).delete(`/api/v1${path}`).auth(token, { type: 'bearer' });
        return body ? req.send(body) : req;
      },
    };
  }

  /** A report through the web form (solving its proof of work): its reference and receipt. */
  async submit(body: ReportBody = {}): Promise<{ reference: string; receipt: string }> {
    const res = await request(this.server)
      .post(`/api/v1/tenants/${this.tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
        ...body,
        altcha: await solvedAltcha(this.server, this.tenant.slug),
      })
      .expect(201);
    return res.body as { reference: string; receipt: string };
  }

  /** One transition, as the named user. */
  move(who: string, reference: string, body: object) {
    return this.as(who).post(`/cases/${reference}/transitions`, body);
  }

  /** Moves a received case to `stage` as the named user, failing loudly at any step that is refused. */
  async runTo(who: string, reference: string, stage: keyof typeof PATH_TO): Promise<void> {
    for (const body of PATH_TO[stage]) await this.move(who, reference, body).expect(201);
  }

  /**
   * A new fraud report, taken to assessment and closed as referred externally to `referral` by the named
   * user (no feedback owed for the reason given); its reference.
   */
  async submitReferred(who: string, referral: object, noFeedbackReason: string): Promise<string> {
    const { reference } = await this.submit({
      category: 'fraud_theft',
      answers: { whatHappened: 'Something happened', howYouKnow: 'saw_it', raisedBefore: 'no' },
    });
    await this.runTo(who, reference, 'assessment');
    await this.move(who, reference, {
      to: 'closed',
      outcome: 'referred_externally',
      reason: 'For the body named.',
      referral,
      noFeedbackReason,
    }).expect(201);
    return reference;
  }

  /** A query in the tenant, as row-level security sees it. */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [this.tenant.id]);
      return m.query(sql, params) as Promise<T[]>;
    });
  }
}
