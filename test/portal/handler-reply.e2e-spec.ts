/**
 * Issue #8's must-show, end to end in a browser: a report arrives (submitted through the API, as the
 * reporter journey's own suite covers the pages that send it), a handler signs in with two-factor,
 * acknowledges the case with its first response and replies; the reporter signs in with the receipt on
 * the follow-up pages and reads both. axe-core checks every page of it.
 */
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAsStaff } from '../support/staff-browser';
import { StaffFixtures } from '../support/staff-fixtures';

jest.setTimeout(180_000);

describe('a handler replies and the reporter reads the reply', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
  });
  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('acknowledges the case, replies, and the reporter reads both with their receipt', async () => {
    const tenant = await fixtures.tenant('reply');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const server = stack.api.getHttpServer();
    const sent = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'gifts_hospitality',
        answers: { whatHappened: 'A supplier paid for a director’s holiday', howYouKnow: 'told', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const { reference, receipt } = sent.body as { reference: string; receipt: string };

    // The handler: sign in with two-factor, find the case, acknowledge it, reply.
    const handler = await newPage(browser);
    await signInAsStaff(handler, stack.portalUrl, tenant.slug, mo, { check: true });
    await handler.goto(`${stack.portalUrl}/staff/cases`);
    await expectAccessible(handler);
    await handler.getByRole('link', { name: reference }).click();
    await expect(handler.locator('main').textContent()).resolves.toContain('A supplier paid for a director’s holiday');
    await expectAccessible(handler);
    await handler.getByRole('link', { name: 'Acknowledge and send the first response' }).click();
    await handler.getByLabel('How will the concern be handled?').fill('We will assess whether to investigate.');
    await handler.getByLabel('Who is dealing with it?').fill('The monitoring officer’s team');
    await handler.getByLabel('How long should it take?').fill('About four weeks');
    await handler.getByLabel('What support is available to the reporter?').fill('Protect, on 020 3117 2520');
    await handler.getByRole('button', { name: 'Acknowledge and send' }).click();
    await handler.waitForURL(`${stack.portalUrl}/staff/cases/${reference}?done=acknowledged`);
    await expectAccessible(handler);

    // An empty reply is an error on the case page, with the summary; then a real one.
    await handler.getByRole('button', { name: 'Send message' }).click();
    expect(await handler.title()).toMatch(/^Error: Case /);
    await expect(handler.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter your message to the reporter');
    await expectAccessible(handler);
    await handler.getByLabel('Reply to the reporter').fill('Thank you. Could you tell us roughly when the holiday was?');
    await handler.getByRole('button', { name: 'Send message' }).click();
    await handler.waitForURL(`${stack.portalUrl}/staff/cases/${reference}?done=message#messages`);
    await expect(handler.locator('.govuk-notification-banner').textContent()).resolves.toContain('Your message was sent');
    await handler.context().close();

    // The reporter: the follow-up pages, signed in with the receipt.
    const reporter = await newPage(browser);
    await reporter.goto(`${stack.portalUrl}/report/${tenant.slug}/sign-in`);
    await expectAccessible(reporter);
    await reporter.fill('#receipt', receipt);
    await reporter.waitForSelector('altcha-widget .altcha[data-state="verified"]', { timeout: 30_000 });
    await reporter.click('#sign-in');
    await reporter.waitForURL(`${stack.portalUrl}/report/${tenant.slug}/case`);
    await expect(reporter.locator('#status').innerText()).resolves.toBe('Acknowledged');
    const messages = await reporter.locator('#messages').innerText();
    expect(messages).toContain('What we will do: We will assess whether to investigate.');
    expect(messages).toContain('Thank you. Could you tell us roughly when the holiday was?');
    await expectAccessible(reporter);
    await reporter.context().close();
  });
});
