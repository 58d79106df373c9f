/**
 * A report sent while the API cannot take it (a 503 with Retry-After: Postgres saturated, the API busy;
 * docs/abuse-resistance.md "Degrading, never a 500 (issue #17)"): the reporter is shown the check page
 * again, saying nothing was sent and to send again, with every answer kept, and "Send report" then
 * sends it.
 */
import request from 'supertest';
import { CaseStoreService } from '../../apps/api/src/cases/store/case-store.service';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';

const draftOf = (html: string): string => {
  const found = /name="draft" value="([^"]+)"/.exec(html)?.[1];
  if (!found) throw new Error('no draft field on the page');
  return found;
};

describe('sending a report while the API cannot take it', () => {
  let stack: PortalStack;
  let fixtures: StaffFixtures;
  let slug: string;

  beforeAll(async () => {
    stack = await startPortalStack();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('send-busy');
    slug = tenant.slug;
    await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await fixtures?.close();
    await stack?.close();
  });

  const portal = () => request(stack.portalUrl);
  const post = (path: string, fields: Record<string, string>) => {
    const req = portal().post(path).redirects(1);
    for (const [name, value] of Object.entries(fields)) req.field(name, value);
    return req;
  };

  it('shows the check page again with the answers kept, and sends the report when asked again', async () => {
    let page = await portal().get(`/report/${slug}/concern`).redirects(1).expect(200);
    const steps: [string, Record<string, string>][] = [
      ['concern', { category: 'other' }],
      ['whatHappened', { whatHappened: 'Something happened at the depot' }],
      ['when', {}],
      ['whoIsInvolved', {}],
      ['howYouKnow', { howYouKnow: 'saw_it' }],
      ['raisedBefore', { raisedBefore: 'no' }],
      ['evidence', {}],
      ['relationship', {}],
      ['involves', { involves: 'none' }],
      ['identity', { identityChoice: 'no' }],
    ];
    for (const [key, fields] of steps)
      page = await post(`/report/${slug}/answers/${key}`, { draft: draftOf(page.text), ...fields }).expect(
        200,
      );
    page = await post(`/report/${slug}/answers/files`, { draft: draftOf(page.text) }).expect(200);
    expect(page.text).toContain('Check your answers before sending your report');

    // The API's write transaction is cancelled by Postgres for taking too long: the API answers 503.
    const caseStore = stack.api.get(CaseStoreService);
    const create = jest.spyOn(caseStore, 'create').mockImplementationOnce(async (m) => {
      await m.query(`SET LOCAL statement_timeout = '100ms'`);
      await m.query(`SELECT pg_sleep(5)`);
      throw new Error('the statement above should have been cancelled');
    });
    const refused = await post(`/report/${slug}/send`, {
      draft: draftOf(page.text),
      altcha: await solvedAltcha(stack.api.getHttpServer(), slug),
    }).expect(503);
    expect(create).toHaveBeenCalled();
    expect(refused.text).toContain('Check your answers before sending your report');
    expect(refused.text).toContain('Nothing has been sent, and your answers are kept');
    expect(refused.text).toContain('Something happened at the depot');

    const sent = await post(`/report/${slug}/send`, {
      draft: draftOf(refused.text),
      altcha: await solvedAltcha(stack.api.getHttpServer(), slug),
    }).expect(200);
    expect(sent.text).toContain('Report sent');
    expect(sent.text).toMatch(/id="receipt">(\S+ ){6}\S+</);
  });
});
