/**
 * Issue #19, "duplicate of another case" from the close page (docs/case-core.md "Duplicates"): the
 * monitoring officer closes a case at assessment as a duplicate, is told clearly when the reference is
 * not a case they can open, then names the case it duplicates; the case file links to it, and the
 * reporter is told in plain words, without the other reference. Every page is checked with axe.
 */
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAsStaff } from '../support/staff-browser';
import { CaseSummaryPage, screenshot, TransitionPage } from '../support/staff-case-pages';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(240_000);

describe('closing a case as a duplicate in the portal', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let page: Page;

  const report = async (whatHappened: string): Promise<{ reference: string; receipt: string }> => {
    const server = stack.api.getHttpServer();
    const sent = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened, howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    return sent.body as { reference: string; receipt: string };
  };

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('dupclose');
    mo = await fixtures.user(tenant.id, ['monitoring_officer'], { name: 'Morgan Hale' });
    page = await newPage(browser);
    await signInAsStaff(page, stack.portalUrl, tenant.slug, mo);
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('names the case it duplicates, links to it, and tells the reporter in plain words', async () => {
    const original = await report('Fuel cards used at weekends');
    const copy = await report('Someone uses a fuel card on Saturdays');
    const form = new TransitionPage(page, stack.portalUrl);
    await form.start(copy.reference, 'Acknowledge and send the first response');
    await page.getByLabel('How will the concern be handled?').fill('An assessment first');
    await page.getByLabel('Who is dealing with it?').fill('The monitoring officer');
    await page.getByLabel('How long should it take?').fill('Two weeks');
    await page.getByLabel('What support is available to the reporter?').fill('Protect, on 020 3117 2520');
    await form.submit('Acknowledge and send');
    await form.start(copy.reference, 'Start the assessment');
    await form.submit('Start the assessment');
    await page.goto(`${stack.portalUrl}/staff/cases/${copy.reference}/feedback`);
    await page.getByLabel('What action has been taken, or is planned?').fill('It is being looked into.');
    await page.getByLabel('Why?').fill('Someone else reported the same thing.');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForURL(/done=feedback/);

    await form.start(copy.reference, 'Close the case');
    await page.getByLabel('Duplicate of another case').check();
    await page.getByLabel('Reasons', { exact: true }).fill('The same fuel card use was reported already');
    await page.getByLabel('Reference of the case it duplicates').fill('NLN-ZZZZ-ZZZZ');
    await form.submit('Close the case');
    expect(await page.title()).toMatch(/^Error: Close the case/);
    expect(await form.errors()).toContain(
      'There is no case with that reference that you can open; give the reference of the case this one duplicates',
    );
    expect(await form.fieldError('duplicateOf')).toContain('There is no case with that reference');
    await expectAccessible(page);

    await page.getByLabel('Reference of the case it duplicates').fill(original.reference);
    await screenshot(page, 'casework-7-close-duplicate');
    await form.submit('Close the case');
    const casePage = new CaseSummaryPage(page, stack.portalUrl);
    expect(await casePage.banner()).toContain('The case is closed, with its outcome.');
    expect(await casePage.summary('Status')).toBe('Closed – Duplicate of another case');
    const decision = (await page.locator('#case-decision').innerText()).replace(/\s+/g, ' ');
    expect(decision).toContain('Outcome Duplicate of another case');
    expect(decision).toContain(`Duplicate of ${original.reference}`);
    await expectAccessible(page);
    await page.locator('#case-decision').getByRole('link', { name: original.reference }).click();
    await page.waitForLoadState();
    await expect(page.locator('h1').innerText()).resolves.toContain(`Case ${original.reference}`);
    const links = (await page.locator('#case-links').innerText()).replace(/\s+/g, ' ');
    expect(links).toContain(`${copy.reference} One is a duplicate of the other`);
    await expectAccessible(page);

    const reporter = await newPage(browser);
    await reporter.goto(`${stack.portalUrl}/report/${tenant.slug}/sign-in`);
    await reporter.fill('#receipt', copy.receipt);
    await reporter.waitForSelector('altcha-widget .altcha[data-state="verified"]', { timeout: 30_000 });
    await reporter.click('#sign-in');
    await reporter.waitForURL(`${stack.portalUrl}/report/${tenant.slug}/case`);
    await expect(reporter.locator('#outcome').innerText()).resolves.toBe(
      'The council already knew about what you reported and is dealing with it as part of another report.',
    );
    const seen = await reporter.locator('main').innerText();
    expect(seen).toContain('The council already knew about what you reported');
    expect(seen).not.toContain(original.reference);
    await expectAccessible(reporter);
    await reporter.context().close();
  });
});
