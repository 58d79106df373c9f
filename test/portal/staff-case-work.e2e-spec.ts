/**
 * Issue #19, case work from the portal, end to end, as the people doing it see it: the monitoring
 * officer finds a new, unassigned case and assigns it by name to an investigator (seeing who may
 * handle it and how many open cases each has), the investigator finds it as theirs and by search, and
 * a transfer moves it on. Every page is checked with axe.
 */
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAsStaff } from '../support/staff-browser';
import {
  AssignPage,
  CaseListPage,
  CaseSummaryPage,
  screenshot,
  TransitionPage,
} from '../support/staff-case-pages';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(240_000);

describe('case work in the portal', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let asha: TestUser;
  let ben: TestUser;
  let reference: string;
  let receipt: string;

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
  // One signed-in page per person for the whole journey: a second sign-in within the same 30 seconds
  // would reuse a two-factor code, which the API refuses.
  const pages = new Map<TestUser, Page>();
  const signedIn = async (user: TestUser): Promise<Page> => {
    const open = pages.get(user);
    if (open) return open;
    const page = await newPage(browser);
    await signInAsStaff(page, stack.portalUrl, tenant.slug, user);
    pages.set(user, page);
    return page;
  };

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('casework');
    mo = await fixtures.user(tenant.id, ['monitoring_officer'], { name: 'Morgan Hale' });
    asha = await fixtures.user(tenant.id, ['investigator'], { name: 'Asha Patel' });
    ben = await fixtures.user(tenant.id, ['investigator'], { name: 'Ben Okoro' });
    await fixtures.user(tenant.id, ['administrator'], { name: 'Ada Admin' });
    ({ reference, receipt } = await report('Fuel cards used at weekends'));
  });
  afterAll(async () => {
    for (const page of pages.values()) await page.context().close();
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('the monitoring officer finds the new case unassigned and assigns it to an investigator by name', async () => {
    const page = await signedIn(mo);
    const list = new CaseListPage(page, stack.portalUrl);
    await list.open();
    await list.filterAssigned('Not assigned yet');
    await expectAccessible(page);
    expect(await list.references()).toEqual([reference]);
    expect(await list.row(reference)).toEqual(
      expect.objectContaining({ 'Assigned to': 'Not assigned', Age: '0 days' }),
    );
    await list.openCase(reference);

    const casePage = new CaseSummaryPage(page, stack.portalUrl);
    expect(await casePage.summary('Assigned to')).toMatch(/^Nobody yet/);
    await casePage.follow('Assign the case');
    expect(await page.locator('h1').innerText()).toBe('Assign the case');
    const assign = new AssignPage(page);
    // Administrators never handle cases; everyone offered comes with their workload.
    expect(await assign.people()).toEqual([
      'Asha Patel: Investigator – no open cases',
      'Ben Okoro: Investigator – no open cases',
      'Morgan Hale (you): Monitoring officer – no open cases',
    ]);
    await screenshot(page, 'casework-2-assign');
    await assign.choose(undefined, 'Assign the case');
    expect(await page.title()).toMatch(/^Error: Assign the case/);
    expect(await assign.errors()).toContain('Select who to assign the case to');
    await assign.choose('Asha Patel', 'Assign the case');

    expect(await casePage.banner()).toContain('The case is assigned.');
    expect(await casePage.summary('Assigned to')).toMatch(/^Asha Patel/);
    await expectAccessible(page);
    await list.open();
    expect(await list.row(reference)).toEqual(expect.objectContaining({ 'Assigned to': 'Asha Patel' }));
    await screenshot(page, 'casework-1-cases');
  });

  it('the investigator sees the case as theirs and finds it by searching for their own name', async () => {
    const page = await signedIn(asha);
    const list = new CaseListPage(page, stack.portalUrl);
    await list.open();
    await list.filterAssigned('Assigned to me');
    expect(await list.references()).toEqual([reference]);
    expect(await list.row(reference)).toEqual(expect.objectContaining({ 'Assigned to': 'Asha Patel (you)' }));
    await list.open();
    await list.search('patel fraud');
    expect(await list.references()).toEqual([reference]);
    await expect(page.locator('.moj-filter__selected').innerText()).resolves.toContain('patel fraud');
    await list.search('okoro');
    expect(await list.references()).toEqual([]);
    await expect(page.locator('main').innerText()).resolves.toContain('No cases match these filters.');
    const casePage = new CaseSummaryPage(page, stack.portalUrl);
    await casePage.open(reference);
    expect(await casePage.summary('Assigned to')).toBe('Asha Patel (you)');
    // Only the overseer assigns.
    await expect(page.getByRole('link', { name: /Transfer/ }).count()).resolves.toBe(0);
  });

  it('the monitoring officer transfers the case; the workload shows and the first investigator loses it', async () => {
    // Another case, already Ben's, for the workload he is shown with.
    const { reference: other } = await report('A second concern for the workload');
    const page = await signedIn(mo);
    await page.goto(`${stack.portalUrl}/staff/cases/${other}/assign`);
    await new AssignPage(page).choose('Ben Okoro', 'Assign the case');
    const casePage = new CaseSummaryPage(page, stack.portalUrl);
    await casePage.open(reference);
    await casePage.follow(/^Transfer/);
    expect(await page.locator('h1').innerText()).toBe('Transfer the case');
    await expect(page.locator('#current-assignee').innerText()).resolves.toContain(
      'It is assigned to Asha Patel now.',
    );
    const assign = new AssignPage(page);
    expect(await assign.people()).toEqual([
      'Ben Okoro: Investigator – 1 open case',
      'Morgan Hale (you): Monitoring officer – no open cases',
    ]);
    await assign.choose('Ben Okoro', 'Transfer the case');
    expect(await casePage.banner()).toContain('The case is transferred.');
    expect(await casePage.summary('Assigned to')).toMatch(/^Ben Okoro/);

    const former = await signedIn(asha);
    await former.goto(`${stack.portalUrl}/staff/cases/${reference}`);
    await expect(former.locator('h1').innerText()).resolves.toBe('Page not found');
  });

  it('the investigator runs the case to findings; the case file says the plan in plain words', async () => {
    const page = await signedIn(ben);
    const form = new TransitionPage(page, stack.portalUrl);
    await form.start(reference, 'Acknowledge and send the first response');
    await page
      .getByLabel('How will the concern be handled?')
      .fill('An assessment, then an investigation if needed');
    await page.getByLabel('Who is dealing with it?').fill('An investigator from internal audit');
    await page.getByLabel('How long should it take?').fill('Eight weeks');
    await page.getByLabel('What support is available to the reporter?').fill('Protect, on 020 3117 2520');
    await form.submit('Acknowledge and send');
    await form.start(reference, 'Start the assessment');
    await form.submit('Start the assessment');
    await form.start(reference, 'Open an investigation');
    await page.getByLabel('Why does the assessment decide to investigate?').fill('The card logs support it');
    await page.getByLabel('What will the investigation cover?').fill('Fuel card use in 2026');
    await page
      .getByLabel('Allegations to investigate')
      .fill('Cards were used at weekends\nReceipts were altered');
    await page.getByLabel('Day').fill('28');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2027');
    await form.submit('Open the investigation');

    const casePage = new CaseSummaryPage(page, stack.portalUrl);
    const plan = (await page.locator('#case-plan').innerText()).replace(/\s+/g, ' ');
    expect(plan).toContain('Target date 28 February 2027');
    expect(plan).toContain('Cards were used at weekends');
    expect(plan).not.toContain('2027-02-28');

    await form.start(reference, 'Submit the findings for a decision');
    await page.locator('#finding-1').check(); // substantiated
    await page.getByLabel('Reasons for the finding').first().fill('Card logs show weekend use');
    await page.locator('#finding-2-3').check(); // not substantiated
    await page.getByLabel('Reasons for the finding').nth(1).fill('No altered receipts found');
    await form.submit('Submit the findings');
    expect(await casePage.banner()).toContain('The findings have gone to the decision maker.');
    const findings = (await page.locator('#case-findings').innerText()).replace(/\s+/g, ' ');
    expect(findings).toContain('Cards were used at weekends Substantiated Card logs show weekend use');
    expect(findings).toContain('Receipts were altered Not substantiated No altered receipts found');
    expect(findings).not.toMatch(/not_substantiated|partially_substantiated/);
    await expectAccessible(page);
  });

  it('the monitoring officer decides with the findings on the page; closing without feedback is refused, clearly', async () => {
    const page = await signedIn(mo);
    const form = new TransitionPage(page, stack.portalUrl);
    await form.start(reference, 'Close the case');
    expect(await form.findings()).toEqual([
      ['Cards were used at weekends', 'Substantiated', 'Card logs show weekend use'],
      ['Receipts were altered', 'Not substantiated', 'No altered receipts found'],
    ]);
    await expect(page.locator('#suggested-outcome').innerText()).resolves.toBe(
      'The findings point to: Partially substantiated.',
    );
    await expect(page.locator('#feedback-owed ~ .govuk-warning-text').innerText()).resolves.toContain(
      'The reporter has not been given any feedback on this case.',
    );
    await page.getByLabel('Partially substantiated').check();
    await page.getByLabel('Reasons', { exact: true }).fill('One allegation upheld');
    await page.getByLabel('Recommendation 1', { exact: true }).fill('Withdraw weekend fuel card use');
    await page.getByLabel('Owner of recommendation 1').fill('Head of fleet');
    await form.submit('Close the case');
    expect(await page.title()).toMatch(/^Error: Close the case/);
    expect(await form.errors()).toContain(
      'The reporter has not been given any feedback on this case. Give them feedback on the outcome before you close it, or record why no feedback can be given',
    );
    expect(await form.fieldError('noFeedbackReason')).toContain(
      'Give them feedback on the outcome before you close it',
    );
    // The answers are kept.
    await expect(page.getByLabel('Owner of recommendation 1').inputValue()).resolves.toBe('Head of fleet');
    await expectAccessible(page);
    await screenshot(page, 'casework-3-close-refused');

    // Feedback first, then the case closes.
    await page.getByRole('link', { name: 'Give feedback to the reporter' }).click();
    await page
      .getByLabel('What action has been taken, or is planned?')
      .fill('Weekend use of fuel cards is being stopped.');
    await page
      .getByLabel('Why?')
      .fill('We found the cards were used at weekends. We found no altered receipts.');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForURL(/done=feedback/);
    await form.start(reference, 'Close the case');
    await expect(page.locator('#feedback-owed + p').innerText()).resolves.toMatch(
      /^The reporter was last given feedback on \d{1,2} [A-Z][a-z]+ \d{4}\./,
    );
    await page.getByLabel('Partially substantiated').check();
    await page.getByLabel('Reasons', { exact: true }).fill('One allegation upheld');
    await page.getByLabel('Recommendation 1', { exact: true }).fill('Withdraw weekend fuel card use');
    await page.getByLabel('Owner of recommendation 1').fill('Head of fleet');
    await form.submit('Close the case');
    const casePage = new CaseSummaryPage(page, stack.portalUrl);
    expect(await casePage.banner()).toContain('The case is closed, with its outcome.');
    expect(await casePage.summary('Status')).toBe('Closed – Partially substantiated');
    const decision = (await page.locator('#case-decision').innerText()).replace(/\s+/g, ' ');
    expect(decision).toContain('Outcome Partially substantiated');
    const recommendations = (await page.locator('#case-recommendations').innerText()).replace(/\s+/g, ' ');
    expect(recommendations).toContain('Withdraw weekend fuel card use Head of fleet None set');
    await page.locator('#case-file').scrollIntoViewIfNeeded();
    await screenshot(page, 'casework-4-case-file');
    await expectAccessible(page);
  });

  it('the reporter sees the outcome', async () => {
    const reporter = await newPage(browser);
    await reporter.goto(`${stack.portalUrl}/report/${tenant.slug}/sign-in`);
    await reporter.fill('#receipt', receipt);
    await reporter.waitForSelector('altcha-widget .altcha[data-state="verified"]', { timeout: 30_000 });
    await reporter.click('#sign-in');
    await reporter.waitForURL(`${stack.portalUrl}/report/${tenant.slug}/case`);
    await expect(reporter.locator('#status').innerText()).resolves.toBe('Closed');
    await expect(reporter.locator('#outcome').innerText()).resolves.toBe(
      'The council found that some of what you reported happened.',
    );
    await expect(reporter.locator('main').innerText()).resolves.toContain(
      'Weekend use of fuel cards is being stopped.',
    );
    await expectAccessible(reporter);

    // The reporter writes again on the closed case.
    await reporter.getByLabel('Your message').fill('A card was used again last Saturday.');
    await reporter.locator('#send-message').click();
    await reporter.waitForLoadState();
    await expect(reporter.locator('main').innerText()).resolves.toContain(
      'A card was used again last Saturday.',
    );
    await reporter.context().close();
  });

  it('a reporter message on a closed case is flagged to its owner, who can reply', async () => {
    const page = await signedIn(ben);
    const list = new CaseListPage(page, stack.portalUrl);
    await list.open();
    expect(await list.row(reference)).toEqual(
      expect.objectContaining({ Case: expect.stringContaining('New message') }),
    );
    await list.openCase(reference);
    await expect(page.locator('#new-message').innerText()).resolves.toContain(
      'The reporter has written since you last opened this case.',
    );
    await expectAccessible(page);
    await screenshot(page, 'casework-5-new-message');
    await expect(page.locator('#closed-reply').innerText()).resolves.toContain(
      'the reporter has written again',
    );
    await page
      .getByLabel('Reply to the reporter')
      .fill('Thank you. We have passed this to the head of fleet.');
    await page.getByLabel('Add files (optional)').setInputFiles({
      name: 'fleet-policy.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Fuel cards may not be used at weekends.\n'),
    });
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.waitForURL(/done=message/);
    await expect(page.locator('#messages ~ div').last().innerText()).resolves.toContain(
      'We have passed this to the head of fleet.',
    );
    await expect(
      page.locator('#messages ~ div').last().getByRole('link', { name: 'fleet-policy.txt' }).count(),
    ).resolves.toBe(1);
    // Read: the flag is gone from the page and the list.
    await expect(page.locator('#new-message').count()).resolves.toBe(0);
    await list.open();
    expect((await list.row(reference)).Case).not.toContain('New message');
    // The monitoring officer, not the owner, is never shown the flag.
    const moPage = await signedIn(mo);
    await new CaseListPage(moPage, stack.portalUrl).open();
    await expect(moPage.locator('[data-test="new-message"]').count()).resolves.toBe(0);
  });

  it('prints a case report with the case file in plain words and nothing but the report on paper', async () => {
    const page = await signedIn(ben);
    await new CaseSummaryPage(page, stack.portalUrl).open(reference);
    await page.getByRole('link', { name: 'Printable case report' }).click();
    await page.waitForURL((url) => url.pathname === `/staff/cases/${reference}/report`);
    await expectAccessible(page);
    await expect(page.locator('h1').innerText()).resolves.toBe(`Case ${reference}`);
    const text = (await page.locator('#case-report').innerText()).replace(/\s+/g, ' ');
    for (const expected of [
      'Partially substantiated',
      'Target date 28 February 2027',
      'Receipts were altered Not substantiated No altered receipts found',
      'Withdraw weekend fuel card use Head of fleet',
      'A card was used again last Saturday.',
      'Fuel cards used at weekends',
    ])
      expect(text).toContain(expected);
    expect(text).not.toMatch(/partially_substantiated|2027-02-28/);
    await screenshot(page, 'casework-6-case-report');
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.govuk-service-navigation').isVisible()).resolves.toBe(false);
    await expect(page.locator('.govuk-back-link').isVisible()).resolves.toBe(false);
    await expect(page.locator('#case-report h1').isVisible()).resolves.toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });
});
