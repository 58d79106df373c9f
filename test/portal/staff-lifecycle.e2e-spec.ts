/**
 * Issue #8, the staff pages through a whole case: every transition's form with its data
 * (acknowledgement with the first response, assessment, the investigation plan, findings per
 * allegation read back from the plan, the overseer's decision with a recommendation), an internal note
 * and feedback to the reporter, all on the case's timeline; and first-time two-factor set-up. axe-core
 * checks each form.
 */
import { authenticator } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAsStaff } from '../support/staff-browser';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(240_000);

describe('a case run through the staff pages', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('lifecycle');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  async function act(page: Page, reference: string, link: string, fill: () => Promise<void>, button: string) {
    await page.goto(`${stack.portalUrl}/staff/cases/${reference}`);
    await page.getByRole('link', { name: link }).click();
    await expectAccessible(page);
    await fill();
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL((url) => url.pathname === `/staff/cases/${reference}` && url.searchParams.has('done'));
  }

  it('takes a case from received to closed, with a note and feedback, every step on the timeline', async () => {
    const server = stack.api.getHttpServer();
    const sent = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Fuel cards used at weekends', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    const reference = sent.body.reference as string;
    const page = await newPage(browser);
    await signInAsStaff(page, stack.portalUrl, tenant.slug, mo);

    await act(page, reference, 'Acknowledge and send the first response', async () => {
      await page.getByLabel('How will the concern be handled?').fill('An assessment, then an investigation if needed');
      await page.getByLabel('Who is dealing with it?').fill('The monitoring officer');
      await page.getByLabel('How long should it take?').fill('Eight weeks');
      await page.getByLabel('What support is available to the reporter?').fill('Protect');
    }, 'Acknowledge and send');
    await act(page, reference, 'Start the assessment', async () => undefined, 'Start the assessment');

    // The plan: two allegations, one a line; a date that is not a date is refused first.
    await act(page, reference, 'Open an investigation', async () => {
      await page.getByLabel('Why does the assessment decide to investigate?').fill('The card logs support it');
      await page.getByLabel('What will the investigation cover?').fill('Fuel card use in 2026');
      await page.getByLabel('Allegations to investigate').fill('Cards were used at weekends\nReceipts were altered');
      await page.getByLabel('Day').fill('31');
      await page.getByLabel('Month').fill('2');
      await page.getByLabel('Year').fill('2027');
      await page.getByRole('button', { name: 'Open the investigation' }).click();
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('The target date must be a real date');
      await expectAccessible(page);
      await page.getByLabel('Day').fill('28');
    }, 'Open the investigation');
    await expect(page.locator('h1').textContent()).resolves.toContain('Investigation');

    await act(page, reference, 'Add an internal note', async () => {
      await page.getByLabel('Note').fill('Spoke to fleet management.');
    }, 'Add note');
    await act(page, reference, 'Give feedback to the reporter', async () => {
      await page.getByLabel('What action has been taken, or is planned?').fill('We have opened an investigation.');
      await page.getByLabel('Why?').fill('What you told us is supported by records.');
    }, 'Send feedback');

    // Findings: the form asks about each allegation of the plan; one left out gets its error.
    await act(page, reference, 'Submit the findings for a decision', async () => {
      await expect(page.locator('form').textContent()).resolves.toContain('Allegation 2: Receipts were altered');
      await page.locator('#finding-1').check();
      await page.getByLabel('Reasons for the finding').first().fill('Card logs show weekend use');
      await page.getByRole('button', { name: 'Submit the findings' }).click();
      expect(await page.title()).toMatch(/^Error: Submit the findings/);
      await expectAccessible(page);
      await page.locator('#finding-2-3').check(); // not substantiated
      await page.getByLabel('Reasons for the finding').nth(1).fill('No altered receipts found');
    }, 'Submit the findings');
    await expect(page.locator('h1').textContent()).resolves.toContain('Awaiting decision');

    // The decision: substantiated needs a recommendation with its owner.
    await act(page, reference, 'Close the case', async () => {
      await page.getByLabel('Partially substantiated').check();
      await page.getByLabel('Reasons', { exact: true }).fill('One allegation upheld');
      await page.getByRole('button', { name: 'Close the case' }).click();
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('recommendation');
      await expectAccessible(page);
      await page.getByLabel('Recommendation 1', { exact: true }).fill('Withdraw weekend fuel card use');
      await page.getByLabel('Owner of recommendation 1').fill('Head of fleet');
    }, 'Close the case');
    await expect(page.locator('h1').textContent()).resolves.toContain('Closed');
    await expect(page.locator('#case-summary').textContent()).resolves.toContain('Partially substantiated');

    const timeline = await page.locator('#case-timeline').textContent();
    for (const expected of [
      'Report received',
      'An assessment, then an investigation if needed',
      'Cards were used at weekends',
      'Spoke to fleet management.',
      'We have opened an investigation.',
      'No altered receipts found',
      'Withdraw weekend fuel card use',
    ])
      expect(timeline).toContain(expected);
    await expectAccessible(page);
    // A closed case offers reopening, to the monitoring officer.
    await expect(page.getByRole('link', { name: 'Reopen the case' }).count()).resolves.toBe(1);
    await page.context().close();
  });

  it('sets up two-factor sign-in the first time a user signs in', async () => {
    const newcomer = await fixtures.user(tenant.id, ['investigator'], { enrolTotp: false });
    const page = await newPage(browser);
    await page.goto(`${stack.portalUrl}/staff/sign-in`);
    await page.getByLabel('Council').fill(tenant.slug);
    await page.getByLabel('Email address').fill(newcomer.email);
    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('I have not set up two-factor sign-in yet').click();
    await page.getByRole('button', { name: 'Continue without a code' }).click();
    await page.waitForURL(`${stack.portalUrl}/staff/two-factor`);
    await expectAccessible(page);
    // Until it is set up, no other page is open to this session.
    await page.goto(`${stack.portalUrl}/staff/cases`);
    expect(new URL(page.url()).pathname).toBe('/staff/two-factor');

    const secret = (await page.locator('#secret').innerText()).replace(/\s+/g, '');
    await page.getByLabel('Enter the 6-digit code the app now shows').fill('12345');
    await page.getByRole('button', { name: 'Finish setting up' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('The code must be 6 digits');
    expect((await page.locator('#secret').innerText()).replace(/\s+/g, '')).toBe(secret);
    await expectAccessible(page);
    await page.getByLabel('Enter the 6-digit code the app now shows').fill(authenticator.generate(secret));
    await page.getByRole('button', { name: 'Finish setting up' }).click();
    await page.waitForURL(`${stack.portalUrl}/staff/cases`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Cases');
    await page.context().close();
  });
});
