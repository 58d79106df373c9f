/**
 * Post/redirect/get and "one draft, one report" over plain HTTP (issues #17 and #19): every form of
 * the journey answers with a 303 to a page of its own, so a refresh or Back only loads a page; a draft
 * is sent once, however often "Send report" is pressed; after the receipt has been written down no
 * page shows the receipt or the answers again; and neither Redis nor the portal's draft store holds
 * anything of the report readable.
 */
import Redis from 'ioredis';
import request from 'supertest';
import { DraftStore } from '../../apps/portal/src/reporter/draft-store';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { redisContents } from '../support/redis-contents';
import { receiptShownIn, solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

jest.setTimeout(120_000);

const draftOf = (html: string): string => {
  const found = /name="draft" value="([^"]+)"/.exec(html)?.[1];
  if (!found) throw new Error('no draft field on the page');
  return found;
};
const headingOf = (html: string): string =>
  (
    /<h1[^>]*>([\s\S]*?)<\/h1>|<legend[^>]*>\s*<h1[^>]*>([\s\S]*?)<\/h1>/
      .exec(html)
      ?.slice(1)
      .find(Boolean) ?? ''
  )
    .replace(/<[^>]+>/g, '')
    .trim();

describe('a report is sent once, and every page of the journey is a page of its own', () => {
  let stack: PortalStack;
  let fixtures: StaffFixtures;
  let redis: Redis;
  let tenant: { id: string; slug: string };

  beforeAll(async () => {
    stack = await startPortalStack();
    fixtures = await StaffFixtures.open();
    redis = new Redis(TEST_ENV.REDIS_URL);
    tenant = await fixtures.tenant('reporter-once');
    await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    redis?.disconnect();
    await fixtures?.close();
    await stack?.close();
  });

  const portal = () => request(stack.portalUrl);
  const casesOfTenant = async (): Promise<number> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return (await m.query(`SELECT count(*)::int AS n FROM cases`))[0].n as number;
    });

  /** Posts a page's form without following the redirect: the 303's target is checked by the caller. */
  const post = (path: string, fields: Record<string, string>, file?: { name: string; body: string }) => {
    const req = portal().post(path);
    for (const [name, value] of Object.entries(fields)) req.field(name, value);
    if (file) req.attach('evidence', Buffer.from(file.body), file.name);
    return req;
  };

  /** A page loaded twice (a refresh): the same page both times, and nothing changed by loading it. */
  async function loadTwice(location: string): Promise<string> {
    const first = await portal().get(location).expect(200);
    const again = await portal().get(location).expect(200);
    expect(headingOf(again.text)).toBe(headingOf(first.text));
    return first.text;
  }

  /** Answers every page, each post a 303 to the next page's own address; returns the check page. */
  async function answerEverything(marker: string): Promise<{ location: string; html: string }> {
    const started = await portal().get(`/report/${tenant.slug}/concern`).expect(303);
    let location = started.headers.location as string;
    const pageAddress = new RegExp(`^/report/${tenant.slug}/draft/[A-Za-z0-9_-]+/[A-Za-z-]+$`);
    expect(location).toMatch(pageAddress);
    const steps: [string, Record<string, string>, { name: string; body: string }?][] = [
      ['concern', { category: 'other' }],
      ['whatHappened', { whatHappened: `Something happened ${marker}` }],
      ['when', {}],
      ['whoIsInvolved', {}],
      ['howYouKnow', { howYouKnow: 'saw_it' }],
      ['raisedBefore', { raisedBefore: 'no' }],
      ['evidence', {}],
      ['relationship', { relationship: 'prefer_not_to_say' }],
      ['involves', { involves: 'none' }],
      ['identity', { identityChoice: 'no' }],
      ['files', {}, { name: `notes-${marker}.txt`, body: `File text ${marker}` }],
    ];
    for (const [key, fields, file] of steps) {
      const html = await loadTwice(location);
      const res = await post(
        `/report/${tenant.slug}/answers/${key}`,
        { draft: draftOf(html), ...fields },
        file,
      ).expect(303);
      location = res.headers.location as string;
      expect(location).toMatch(pageAddress);
    }
    const html = await loadTwice(location);
    expect(headingOf(html)).toBe('Check your answers before sending your report');
    return { location, html };
  }

  it('answers every form with a redirect to a page of its own, and after the receipt shows neither the receipt nor the answers again', async () => {
    const marker = `MARKER-prg-${Date.now()}`;
    const before = await casesOfTenant();
    const check = await answerEverything(marker);
    expect(check.html).toContain(`Something happened ${marker}`);
    expect(check.html).toContain(`notes-${marker}.txt`);
    expect(check.html).toContain('Prefer not to say');

    const handle = draftOf(check.html);
    const altcha = await solvedAltcha(stack.api.getHttpServer(), tenant.slug);
    const sent = await post(`/report/${tenant.slug}/send`, { draft: handle, altcha }).expect(303);
    expect(sent.headers.location).toMatch(/\/sent$/);
    // Refreshing the receipt page shows the same receipt, until the reporter says it is written down.
    const receiptPage = await loadTwice(sent.headers.location as string);
    const receipt = /id="receipt">([^<]+)</.exec(receiptPage)?.[1].trim() ?? '';
    expect(receipt.split(' ')).toHaveLength(7);
    expect(await casesOfTenant()).toBe(before + 1);

    const notTicked = await portal()
      .post(`/report/${tenant.slug}/receipt`)
      .type('form')
      .send({ draft: handle })
      .expect(303);
    expect(
      (
        await portal()
          .get(notTicked.headers.location as string)
          .expect(400)
      ).text,
    ).toContain('Confirm that you have written down your receipt');
    const ticked = await portal()
      .post(`/report/${tenant.slug}/receipt`)
      .type('form')
      .send({ draft: handle, writtenDown: 'yes' })
      .expect(303);
    expect(headingOf(await loadTwice(ticked.headers.location as string))).toBe('What happens next');

    // Back, to any page of the draft: "already sent", and nothing of the report or the receipt.
    for (const page of ['sent', 'check', 'files', 'whatHappened', 'concern']) {
      const html = await loadTwice(check.location.replace(/\/check$/, `/${page}`));
      expect(headingOf(html)).toBe('This report has already been sent');
      expect(receiptShownIn(html, receipt)).toEqual([]);
      expect(html).not.toContain(marker);
    }
    // Sending it again, or changing an answer: the same page, and no second case.
    const again = await post(`/report/${tenant.slug}/send`, {
      draft: handle,
      altcha: await solvedAltcha(stack.api.getHttpServer(), tenant.slug),
    }).expect(303);
    expect(
      headingOf(
        (
          await portal()
            .get(again.headers.location as string)
            .expect(200)
        ).text,
      ),
    ).toBe('This report has already been sent');
    await post(`/report/${tenant.slug}/answers/whatHappened`, {
      draft: handle,
      whatHappened: 'Changed',
    }).expect(303);
    expect(await casesOfTenant()).toBe(before + 1);
  });

  it('sends a draft once when "Send report" is pressed twice at once, and both presses end at its one receipt', async () => {
    const before = await casesOfTenant();
    const check = await answerEverything(`MARKER-double-${Date.now()}`);
    const handle = draftOf(check.html);
    const server = stack.api.getHttpServer();
    const [first, second] = await Promise.all([
      post(`/report/${tenant.slug}/send`, { draft: handle, altcha: await solvedAltcha(server, tenant.slug) }),
      post(`/report/${tenant.slug}/send`, { draft: handle, altcha: await solvedAltcha(server, tenant.slug) }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(first.headers.location).toBe(second.headers.location);
    const page = (
      await portal()
        .get(first.headers.location as string)
        .expect(200)
    ).text;
    expect(page).toContain('Your report was sent once. Pressing the button again did not send it again.');
    expect(page).toMatch(/id="receipt">(\S+ ){6}\S+</);
    expect(await casesOfTenant()).toBe(before + 1);
  });

  it('keeps the answers, the files and their names out of Redis, and unreadable in the portal', async () => {
    const marker = `MARKER-store-${Date.now()}`;
    const check = await answerEverything(marker);
    const store = stack.portal.get(DraftStore);
    const held = [...store.rawContents()].map((b) => b.toString('latin1')).join('\n');
    expect(held.length).toBeGreaterThan(0);
    expect(held).not.toContain(marker);
    expect(await redisContents(redis)).not.toContain(marker);
    // The handle in the address is sealed too: it carries no answer, and opens nothing without the portal's secret.
    expect(Buffer.from(draftOf(check.html), 'base64url').toString('latin1')).not.toContain(marker);
    await post(`/report/${tenant.slug}/send`, {
      draft: draftOf(check.html),
      altcha: await solvedAltcha(stack.api.getHttpServer(), tenant.slug),
    }).expect(303);
    expect(await redisContents(redis)).not.toContain(marker);
    expect([...store.rawContents()].map((b) => b.toString('latin1')).join('\n')).not.toContain(marker);
  });
});
