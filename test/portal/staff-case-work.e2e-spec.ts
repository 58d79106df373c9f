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
import { AssignPage, CaseListPage, CaseSummaryPage } from '../support/staff-case-pages';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

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

  const report = async (whatHappened: string): Promise<string> => {
    const server = stack.api.getHttpServer();
    const sent = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened, howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    return sent.body.reference as string;
  };
  const signedIn = async (user: TestUser, step: -1 | 0 | 1 = 0): Promise<Page> => {
    const page = await newPage(browser);
    await signInAsStaff(page, stack.portalUrl, tenant.slug, user, { step });
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
    reference = await report('Fuel cards used at weekends');
  });
  afterAll(async () => {
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
    await assign.choose(undefined, 'Assign the case');
    expect(await page.title()).toMatch(/^Error: Assign the case/);
    expect(await assign.errors()).toContain('Select who to assign the case to');
    await assign.choose('Asha Patel', 'Assign the case');

    expect(await casePage.banner()).toContain('The case is assigned.');
    expect(await casePage.summary('Assigned to')).toMatch(/^Asha Patel/);
    await expectAccessible(page);
    await list.open();
    expect(await list.row(reference)).toEqual(expect.objectContaining({ 'Assigned to': 'Asha Patel' }));
    await page.context().close();
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
    await page.context().close();
  });

  it('the monitoring officer transfers the case; the workload shows and the first investigator loses it', async () => {
    // Another case, already Ben's, for the workload he is shown with.
    const other = await report('A second concern for the workload');
    const token = await signInAs(stack.api.getHttpServer(), tenant.slug, mo, -1);
    await request(stack.api.getHttpServer())
      .post(`/api/v1/cases/${other}/assignment`)
      .auth(token, { type: 'bearer' })
      .send({ assigneeId: ben.id })
      .expect(200);
    const page = await signedIn(mo, 1);
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
    await page.context().close();

    const former = await signedIn(asha, 1);
    await former.goto(`${stack.portalUrl}/staff/cases/${reference}`);
    await expect(former.locator('h1').innerText()).resolves.toBe('Page not found');
    await former.context().close();
  });
});
