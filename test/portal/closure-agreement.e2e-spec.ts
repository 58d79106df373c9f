/**
 * Issue #15 in a browser: closing a case at assessment needs its overseer's agreement. The assigned
 * investigator asks on the case's page; until the monitoring officer agrees there, the closing is
 * refused; once they agree, it goes through. axe-core checks the page.
 */
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { FIRST_RESPONSE } from '../support/case-fixtures';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAsStaff } from '../support/staff-browser';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(240_000);

describe('asking the overseer to agree to closing a case', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let investigator: TestUser;
  const tokens: Record<string, string> = {};

  const api = (who: string) => ({
    post: (path: string, body: object) =>
      request(stack.api.getHttpServer())
        .post(`/api/v1${path}`)
        .auth(tokens[who] as string, { type: 'bearer' })
        .send(body),
  });

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('closeagree');
    mo = await fixtures.user(tenant.id, ['monitoring_officer'], { name: 'Morgan Hale' });
    investigator = await fixtures.user(tenant.id, ['investigator'], { name: 'Asha Patel' });
    // The API's tokens use the previous TOTP step; the browser signs in with the current one.
    tokens.mo = await signInAs(stack.api.getHttpServer(), tenant.slug, mo, -1);
    tokens.investigator = await signInAs(stack.api.getHttpServer(), tenant.slug, investigator, -1);
  });
  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('lets the investigator ask, the overseer agree, and only then close it as no further action', async () => {
    const server = stack.api.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const reference = submitted.body.reference as string;
    await api('mo').post(`/cases/${reference}/assignment`, { assigneeId: investigator.id }).expect(200);
    await api('investigator').post(`/cases/${reference}/transitions`, { to: 'acknowledged', firstResponse: FIRST_RESPONSE }).expect(201);
    await api('investigator').post(`/cases/${reference}/transitions`, { to: 'assessment' }).expect(201);
    const nfa = {
      to: 'closed',
      outcome: 'no_further_action',
      reason: 'The tickets were declared.',
      noFeedbackReason: 'The reporter has not signed in; this test is not about feedback.',
    };
    await api('investigator').post(`/cases/${reference}/transitions`, nfa).expect(409);

    const asker = await newPage(browser);
    await signInAsStaff(asker, stack.portalUrl, tenant.slug, investigator);
    await asker.goto(`${stack.portalUrl}/staff/cases/${reference}`);
    await asker.getByRole('link', { name: 'Ask the overseer to agree to closing the case' }).click();
    await expectAccessible(asker);
    await asker.getByRole('button', { name: 'Ask the overseer' }).click();
    await expect(asker.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Select the outcome you want to close the case with',
    );
    await asker.getByLabel('No further action').check();
    await asker.getByLabel('Why should the case close?').fill('The tickets were declared.');
    await asker.getByRole('button', { name: 'Ask the overseer' }).click();
    await expect(asker.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Your request has been sent',
    );
    // The investigator cannot answer it.
    expect(await asker.getByRole('button', { name: 'Agree to closing' }).count()).toBe(0);
    await asker.context().close();
    await api('investigator').post(`/cases/${reference}/transitions`, nfa).expect(409);

    const overseer = await newPage(browser);
    await signInAsStaff(overseer, stack.portalUrl, tenant.slug, mo);
    await overseer.goto(`${stack.portalUrl}/staff/cases/${reference}/closure-requests`);
    await expect(overseer.locator('main').textContent()).resolves.toContain('The tickets were declared.');
    await overseer.getByRole('button', { name: 'Agree to closing' }).click();
    await expect(overseer.locator('.govuk-notification-banner').textContent()).resolves.toContain('You agreed');
    await expectAccessible(overseer);
    await overseer.context().close();

    const closed = await api('investigator').post(`/cases/${reference}/transitions`, nfa).expect(201);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'no_further_action' });
  });
});
