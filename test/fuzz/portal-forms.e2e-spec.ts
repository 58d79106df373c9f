/**
 * Issue #17's fuzz suite for the portal: every POST route the portal's router has (read from the running
 * app, so a new form is fuzzed as soon as it exists), driven with fast-check hostile form bodies (a fixed
 * seed per route) in five contexts — nobody signed in, a reporter signed in with their receipt, a
 * handler, the monitoring officer and an administrator, each with a real portal session and, most of
 * the time, its real CSRF token, so the bodies reach the handlers behind the CSRF check. Path parameters
 * are hostile text or real values (the council, the case's reference, a step, a category…). Fails on any
 * 5xx, any stack trace in a page, any row a refused post leaves behind, and any case left half-written.
 */
import fc from 'fast-check';
import request from 'supertest';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { StaffFixtures, totpCode, type TestUser } from '../support/staff-fixtures';
import { RowWatch } from './consistency';

const SEED = 4242;
const RUNS_PER_ROUTE = 12;
const STACK = /\n\s+at [^\n]+:\d+:\d+|\.ts:\d+:\d+/;
const CSRF = /name="_csrf" value="([^"]+)"/;

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'NLN-\u0000',
    '\ud800',
    '%E0%A4%A',
    '../../etc/passwd',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '{{ 7*7 }}',
    '__proto__',
    'constructor',
    'A'.repeat(3000),
    '\r\n\r\n',
    'true',
    '-1',
    '1e309',
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const fieldName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'council',
      'email',
      'password',
      'state',
      'code',
      'action',
      '_action',
      'draft',
      'receipt',
      'altcha',
      'waitTicket',
      'waitIssuedAt',
      'waitSeconds',
      'text',
      'reason',
      'to',
      'outcome',
      'description',
      'kind',
      'actionTaken',
      'reasons',
      'approve',
      'roles',
      'name',
      'involves',
      'writtenDown',
      'key',
      'message',
      'currentPassword',
      'newPassword',
      'confirmPassword',
      'assigneeId',
      'reference',
      'category',
      'answer',
    ),
  },
  fc.constantFrom('__proto__', 'constructor', 'a[b][c]', 'roles[]', 'x'.repeat(300), ''),
  fc.string({ maxLength: 12 }),
);
const formFields = fc.array(fc.tuple(fieldName, hostileText), { maxLength: 8 });
const bodyKind = fc.oneof(
  { weight: 5, arbitrary: fc.constant('form' as const) },
  { weight: 2, arbitrary: fc.constant('multipart' as const) },
  fc.constantFrom('raw-form' as const, 'json' as const, 'text' as const, 'empty' as const),
);
const rawForm = fc.constantFrom(
  'a=%E0%A4%A&b=%',
  `${'a[b]'.repeat(40)}=1`,
  'draft=1&draft=2&draft=3',
  '&&&===&&&',
  '%00=%00',
  'text=' + '%F0%9F%92%A9'.repeat(500),
);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** encodeURIComponent, except that a lone surrogate goes out as the bytes of one (invalid UTF-8), not a throw. */
const encode = (text: string): string =>
  encodeURIComponent(text.replace(LONE_SURROGATE, '\u0001SURROGATE\u0001')).replace(
    /%01SURROGATE%01/g,
    '%ED%A0%80',
  );

type Context = 'none' | 'reporter' | 'handler' | 'overseer' | 'admin';

describe('every portal form under generated hostile posts', () => {
  let stack: PortalStack;
  let fixtures: StaffFixtures;
  let rows: RowWatch;
  let tenant: { id: string; slug: string };
  let reference: string;
  let routes: string[];
  /** Each context's cookies (its session and CSRF cookie) and CSRF token, sent afresh with every post. */
  const contexts = {} as Record<Context, { cookies: Map<string, string>; csrf?: string }>;

  const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  function keep(jar: Map<string, string>, res: request.Response): request.Response {
    for (const line of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const pair = line.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      if (at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  }

  /** Signs a staff user in through the portal's two sign-in pages, then reads a page for its CSRF token. */
  async function staffContext(user: TestUser, landing: string) {
    const cookies = new Map<string, string>();
    const first = await request(stack.portalUrl)
      .post('/staff/sign-in')
      .type('form')
      .send({ council: tenant.slug, email: user.email, password: user.password })
      .expect(201);
    const state = /name="state" value="([^"]+)"/.exec(first.text)?.[1];
    const signedIn = await request(stack.portalUrl)
      .post('/staff/sign-in/code')
      .type('form')
      .send({ state, code: totpCode(user.totpSecret as string) })
      .expect(303);
    keep(cookies, signedIn);
    const page = await request(stack.portalUrl).get(landing).set('cookie', cookieHeader(cookies)).expect(200);
    keep(cookies, page);
    return { cookies, csrf: CSRF.exec(page.text)?.[1] };
  }

  beforeAll(async () => {
    stack = await startPortalStack();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('pfuzz');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const s151 = await fixtures.user(tenant.id, ['s151_officer']);
    const admin = await fixtures.user(tenant.id, ['administrator']);
    const api = stack.api.getHttpServer();
    const sent = await request(api)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Portal fuzz', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(api, tenant.slug),
      })
      .expect(201);
    reference = sent.body.reference;
    // Made on first use for a council that has none (as the fixtures' councils): made now, as
    // tenant:create would have, so that no refused post below is what makes it.
    await request(api).get(`/api/v1/tenants/${tenant.slug}/signing-key`).expect(200);

    contexts.none = { cookies: new Map() };
    const reporter = new Map<string, string>();
    const signedIn = await request(stack.portalUrl)
      .post(`/report/${tenant.slug}/sign-in`)
      .type('form')
      .send({ receipt: sent.body.receipt, altcha: await solvedAltcha(api, tenant.slug, 'reporter-session') })
      .expect(303);
    keep(reporter, signedIn);
    const casePage = await request(stack.portalUrl)
      .get(`/report/${tenant.slug}/case`)
      .set('cookie', cookieHeader(reporter))
      .expect(200);
    keep(reporter, casePage);
    contexts.reporter = { cookies: reporter, csrf: CSRF.exec(casePage.text)?.[1] };
    contexts.handler = await staffContext(s151, `/staff/cases/${reference}`);
    contexts.overseer = await staffContext(mo, `/staff/cases/${reference}`);
    contexts.admin = await staffContext(admin, '/staff/admin/users/new');
    for (const context of ['reporter', 'handler', 'overseer', 'admin'] as const)
      expect(contexts[context].csrf).toEqual(expect.any(String));

    // Every POST route of the portal's router (Express 5: app.router.stack).
    const express = stack.portal.getHttpAdapter().getInstance() as {
      router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    };
    routes = express.router.stack
      .filter((layer) => layer.route?.methods.post)
      .map((layer) => layer.route?.path as string)
      // Signing out would end the reporter's session for the routes after it.
      .filter((path) => !/sign-out$/.test(path));
    rows = await RowWatch.open();
  }, 120_000);

  afterAll(async () => {
    await rows?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('never answers 5xx or shows a stack trace, on any form, in any of the five contexts', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(35);
    const known = [
      tenant.slug,
      reference,
      'concern',
      'acknowledged',
      'fraud_theft',
      'monitoring_officer',
      'deactivate',
    ];
    const param = fc.oneof(hostileText, fc.constantFrom(...known));
    const failures: string[] = [];
    const leftBehind: string[] = [];
    const statuses = new Map<number, number>();
    let counts = await rows.counts();

    for (const [index, route] of routes.entries()) {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Context>('none', 'reporter', 'handler', 'overseer', 'admin'),
          fc.array(param, { minLength: 3, maxLength: 3 }),
          formFields,
          bodyKind,
          rawForm,
          fc.boolean(),
          fc.oneof(
            { weight: 5, arbitrary: fc.constant('real' as const) },
            fc.constantFrom('none' as const, 'forged' as const),
          ),
          async (context, params, fields, kind, raw, withFile, csrfKind) => {
            let i = 0;
            const path = route.replace(/:[A-Za-z]+/g, () => encode(params[i++ % 3] ?? ''));
            const { cookies, csrf } = contexts[context];
            const post = (to: string) => {
              const r = request(stack.portalUrl).post(to);
              return cookies.size ? r.set('cookie', cookieHeader(cookies)) : r;
            };
            const token = csrfKind === 'real' ? csrf : csrfKind === 'forged' ? 'forged-token' : undefined;
            const all: [string, string][] = token ? [['_csrf', token], ...fields] : fields;
            let req: request.Test;
            if (kind === 'multipart') {
              req = post(token ? `${path}?_csrf=${encodeURIComponent(token)}` : path);
              for (const [name, value] of all)
                if (name) req = req.field(name, value.replace(LONE_SURROGATE, ''));
              if (withFile) req = req.attach('files', Buffer.from('%PDF-1.4 hostile'), 'evil"\r\nname.pdf');
            } else if (kind === 'form' || kind === 'raw-form') {
              const encoded = all.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
              req = post(path)
                .set('content-type', 'application/x-www-form-urlencoded')
                .send(kind === 'raw-form' ? `${encoded}&${raw}` : encoded);
            } else if (kind === 'empty') {
              // No body and no content type at all, the token (if any) in the query.
              req = post(token ? `${path}?_csrf=${encodeURIComponent(token)}` : path);
            } else {
              req = post(path)
                .set('content-type', kind === 'json' ? 'application/json' : 'text/plain')
                .send(JSON.stringify(Object.fromEntries(all)));
            }
            let res: request.Response;
            try {
              res = await req.redirects(0);
            } catch (error) {
              failures.push(`POST ${route} [${context}] ${path}: no answer (${(error as Error).message})`);
              return true;
            }
            const after = await rows.counts();
            if (res.status >= 400 && res.status < 500) {
              const changed = RowWatch.changed(counts, after);
              if (changed.length)
                leftBehind.push(`POST ${route} [${context}] → ${res.status}: ${changed.join(', ')}`);
            }
            counts = after;
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500 || STACK.test(res.text ?? ''))
              failures.push(
                `POST ${route} [${context}] ${kind} ${path} → ${res.status} ${JSON.stringify(fields).slice(0, 300)}`,
              );
            return true;
          },
        ),
        { seed: SEED + index, numRuns: RUNS_PER_ROUTE },
      );
    }
    expect(failures).toEqual([]);
    expect(leftBehind).toEqual([]);
    expect(await rows.halfWritten([tenant.id])).toEqual([]);
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(sent).toBe(routes.length * RUNS_PER_ROUTE);
  }, 600_000);
});
