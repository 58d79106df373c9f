/**
 * Issue #19, recommendations as tracked actions, as the investigator sees them on the case page: they
 * add one owned by a team that is already past its due date (flagged overdue), and one owned by
 * themselves, then mark it implemented; the list shows owner, due date and status in plain words.
 * Every page is checked with axe.
 */
import { addCalendarDays, MONTH_NAMES, toLondonDate } from '@nolan/domain';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAsStaff } from '../support/staff-browser';
import { CaseSummaryPage, RecommendationsPage, screenshot } from '../support/staff-case-pages';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(240_000);

const words = (d: string) =>
  `${Number(d.slice(8, 10))} ${MONTH_NAMES[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
const parts = (d: string): [string, string, string] => [
  String(Number(d.slice(8, 10))),
  String(Number(d.slice(5, 7))),
  d.slice(0, 4),
];

describe('recommendations on the case page', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let page: Page;
  let investigator: TestUser;
  let reference: string;
  const today = toLondonDate(new Date());
  const past = addCalendarDays(today, -5);
  const future = addCalendarDays(today, 60);

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('recpages');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer'], { name: 'Morgan Hale' });
    investigator = await fixtures.user(tenant.id, ['investigator'], { name: 'Asha Patel' });
    // A real report, assigned by the monitoring officer: the case as an investigator meets it.
    const server = stack.api.getHttpServer();
    const sent = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Fuel cards used at weekends', howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    reference = sent.body.reference;
    await request(server)
      .post(`/api/v1/cases/${reference}/assignment`)
      .auth(await signInAs(server, tenant.slug, mo), { type: 'bearer' })
      .send({ assigneeId: investigator.id })
      .expect(200);
    page = await newPage(browser);
    await signInAsStaff(page, stack.portalUrl, tenant.slug, investigator);
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('the investigator adds a recommendation owned by a team, and sees it flagged overdue once its date has passed', async () => {
    const casePage = new CaseSummaryPage(page, stack.portalUrl);
    await casePage.open(reference);
    expect(await page.locator('#recommendations + p').innerText()).toBe('No recommendations yet.');
    const recs = new RecommendationsPage(page);
    await recs.add({});
    expect(await page.title()).toMatch(/^Error: Add a recommendation/);
    expect(await recs.errors()).toContain('Say what should be done');
    expect(await recs.errors()).toContain('Say who owns the recommendation');
    expect(await recs.errors()).toContain('Enter the due date as a real date, like 31 3 2027');
    await expectAccessible(page);
    await page.getByLabel('What should be done').fill('Lock the fuel cards at weekends');
    await page.getByLabel('A team or post', { exact: true }).check();
    await page.getByLabel('Team or post', { exact: true }).fill('Fleet services');
    const [d, m, y] = parts(past);
    await page.getByLabel('Day').fill(d);
    await page.getByLabel('Month').fill(m);
    await page.getByLabel('Year').fill(y);
    await page.getByRole('button', { name: 'Add the recommendation' }).click();
    await page.waitForLoadState();

    expect(await casePage.banner()).toContain('The recommendation was added.');
    expect(await recs.rows()).toEqual([
      {
        'What should be done': 'Lock the fuel cards at weekends',
        Owner: 'Fleet services',
        Due: words(past),
        Status: 'Overdue Not started',
      },
    ]);
    await expectAccessible(page);
  });

  it('the investigator adds one they own with a due date, marks it implemented, and the list shows it', async () => {
    const recs = new RecommendationsPage(page);
    await recs.add({ text: 'Recover the weekend fuel costs', owner: 'You', due: parts(future) });
    expect(await recs.rows()).toEqual([
      expect.objectContaining({ 'What should be done': 'Lock the fuel cards at weekends' }),
      {
        'What should be done': 'Recover the weekend fuel costs',
        Owner: 'You',
        Due: words(future),
        Status: 'Not started',
      },
    ]);
    await recs.update('Recover the weekend fuel costs', 'In progress');
    expect(await new CaseSummaryPage(page, stack.portalUrl).banner()).toContain(
      'The recommendation’s status was saved.',
    );
    await recs.update('Recover the weekend fuel costs', 'Implemented');
    expect((await recs.rows())[1]).toEqual({
      'What should be done': 'Recover the weekend fuel costs',
      Owner: 'You',
      Due: words(future),
      Status: 'Implemented',
    });
    // Implemented is final: there is nothing left to update.
    expect(
      await page.getByRole('link', { name: 'Update the status of: Recover the weekend fuel costs' }).count(),
    ).toBe(0);
    await expectAccessible(page);
    await page.locator('#recommendations').scrollIntoViewIfNeeded();
    await screenshot(page, 'casework-8-recommendations');
  });

  it('rejecting one needs a reason, which the list then shows', async () => {
    const recs = new RecommendationsPage(page);
    await recs.update('Lock the fuel cards at weekends', 'Rejected');
    expect(await page.title()).toMatch(/^Error: Update a recommendation/);
    expect(await recs.errors()).toContain('Say why the recommendation was rejected');
    await expectAccessible(page);
    await page.getByLabel('Rejected', { exact: true }).check();
    await page.getByLabel('Why it was rejected').fill('The cards are being withdrawn');
    await page.getByRole('button', { name: 'Save the status' }).click();
    await page.waitForLoadState();
    expect((await recs.rows())[0]).toEqual(
      expect.objectContaining({ Status: 'Rejected Why: The cards are being withdrawn' }),
    );
  });
});
