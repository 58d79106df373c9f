/**
 * Issue #8, the staff pages in a real browser against the real API: sign-in with two-factor (a wrong
 * code gets the error summary), the case list with its filters and SLA badges, the case page, a
 * transition with its data, an identity request and the custodian's decision, recusal, the
 * monitoring officer's home, the administrators' queues, a forged form without its CSRF token, and
 * the session timeout warning. Every page is checked with axe-core (WCAG 2.2 A/AA).
 */
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAsStaff } from '../support/staff-browser';
import { StaffFixtures, type TestUser, totpCode } from '../support/staff-fixtures';

jest.setTimeout(180_000);

async function submitReport(server: unknown, slug: string, whatHappened: string, identity?: object): Promise<string> {
  const res = await request(server as Parameters<typeof request>[0])
    .post(`/api/v1/tenants/${slug}/reports`)
    .send({
      category: 'fraud_theft',
      answers: { whatHappened, howYouKnow: 'saw_it', raisedBefore: 'no' },
      ...(identity ? { identity } : {}),
      altcha: await solvedAltcha(server, slug),
    })
    .expect(201);
  return res.body.reference as string;
}

describe('the staff pages', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let admin: TestUser;
  let caseA: string;
  let caseB: string;
  let handler: Page;
  let overseer: Page;

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('staffpages');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    admin = await fixtures.user(tenant.id, ['administrator']);
    const server = stack.api.getHttpServer();
    caseA = await submitReport(server, tenant.slug, 'Overtime claimed for shifts nobody worked', {
      name: 'Jo Reporter',
      contact: 'jo@example.net',
    });
    caseB = await submitReport(server, tenant.slug, 'Contracts split to stay under the tender limit');
    // Case B arrived 10 days ago and was never acknowledged: its acknowledgement is overdue. Case A is
    // assigned to the section 151 officer.
    await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      await m.query(
        `UPDATE cases SET received_at = date_trunc('hour', now() - interval '10 days'),
           acknowledgement_due = (now() - interval '3 days')::date WHERE reference = $1`,
        [caseB],
      );
      await m.query(`UPDATE cases SET assignee_id = $1, assigned_on = current_date WHERE reference = $2`, [s151.id, caseA]);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('signs in with the password and then the two-factor code; a wrong code gets the error summary', async () => {
    overseer = await newPage(browser);
    await overseer.goto(`${stack.portalUrl}/staff/cases`);
    expect(new URL(overseer.url()).pathname).toBe('/staff/sign-in');
    await expectAccessible(overseer);

    // Nothing filled in: every field gets its message.
    await overseer.getByRole('button', { name: 'Continue' }).click();
    expect(await overseer.title()).toMatch(/^Error: Sign in/);
    const summary = overseer.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Enter your council’s short name');
    await expectAccessible(overseer);

    await overseer.getByLabel('Council').fill(tenant.slug);
    await overseer.getByLabel('Email address').fill(mo.email);
    await overseer.getByLabel('Password').fill(mo.password);
    await overseer.getByRole('button', { name: 'Continue' }).click();
    await expectAccessible(overseer);
    const wrong = totpCode(mo.totpSecret!) === '000000' ? '111111' : '000000';
    await overseer.getByLabel('Enter the code from your authenticator app').fill(wrong);
    await overseer.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await overseer.title()).toMatch(/^Error: /);
    await expect(overseer.locator('.govuk-error-summary').textContent()).resolves.toContain('The code, or your email address or password, is not right');
    await expect(overseer.locator('#code-error').textContent()).resolves.toContain('not right');
    expect(await overseer.context().cookies()).toEqual([]);
    await expectAccessible(overseer);

    await overseer.getByLabel('Enter the code from your authenticator app').fill(totpCode(mo.totpSecret!));
    await overseer.getByRole('button', { name: 'Sign in', exact: true }).click();
    await overseer.waitForURL(`${stack.portalUrl}/staff/home`);
    const cookie = (await overseer.context().cookies()).find((c) => c.name === 'nolan_staff');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // Renewed for the API's idle timeout (30 minutes), not kept for the browser's lifetime.
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(cookie!.expires * 1000 - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    await expect(overseer.locator('h1').textContent()).resolves.toBe('Home');
    await expectAccessible(overseer);
  });

  it('lists the cases with filters for status, category, deadline and assignment, and SLA badges', async () => {
    handler = await newPage(browser);
    await signInAsStaff(handler, stack.portalUrl, tenant.slug, s151, { step: 0 });
    await handler.goto(`${stack.portalUrl}/staff/cases`);
    await expectAccessible(handler);
    const rows = handler.locator('#cases tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await expect(handler.locator('#case-count').textContent()).resolves.toBe('2 cases');
    const rowB = handler.locator('#cases tbody tr', { hasText: caseB });
    await expect(rowB.locator('.moj-badge').textContent()).resolves.toContain('Overdue');
    await expect(handler.locator('#cases tbody tr', { hasText: caseA }).locator('.moj-badge').count()).resolves.toBe(0);

    await handler.getByLabel('Overdue', { exact: true }).check();
    await handler.getByRole('button', { name: 'Apply filters' }).click();
    await handler.waitForURL(/deadline=overdue/);
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(caseB);
    await expect(handler.locator('.moj-filter__selected').textContent()).resolves.toContain('Overdue');
    await expectAccessible(handler);

    await handler.goto(`${stack.portalUrl}/staff/cases?mine=yes`);
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(caseA);

    await handler.goto(`${stack.portalUrl}/staff/cases?status=acknowledged`);
    await expect(handler.locator('#case-count').textContent()).resolves.toBe('0 cases');
    await handler.goto(`${stack.portalUrl}/staff/cases?category=fraud_theft&status=received`);
    await expect(rows.count()).resolves.toBe(2);
    await handler.goto(`${stack.portalUrl}/staff/cases?category=safeguarding_children`);
    await expect(handler.locator('#case-count').textContent()).resolves.toBe('0 cases');
    // A value that is not a filter is ignored, not passed on.
    await handler.goto(`${stack.portalUrl}/staff/cases?status=nonsense&page=-3`);
    await expect(rows.count()).resolves.toBe(2);
  });

  it('shows the case page and acknowledges the case with its first response; missing data gets the error summary', async () => {
    await handler.goto(`${stack.portalUrl}/staff/cases/${caseA}`);
    await expect(handler.locator('h1').textContent()).resolves.toContain(`Case ${caseA}`);
    await expect(handler.locator('main').textContent()).resolves.toContain('Overtime claimed for shifts nobody worked');
    await expect(handler.locator('#case-timeline').textContent()).resolves.toContain('Report received');
    await expectAccessible(handler);

    await handler.getByRole('link', { name: 'Acknowledge and send the first response' }).click();
    await expectAccessible(handler);
    await handler.getByLabel('How will the concern be handled?').fill('An initial assessment by the audit team');
    await handler.getByRole('button', { name: 'Acknowledge and send' }).click();
    expect(await handler.title()).toMatch(/^Error: Acknowledge the case/);
    await expect(handler.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'The first response must say who is involved in dealing with the concern',
    );
    await expect(handler.locator('#whoIsInvolved-error').count()).resolves.toBe(1);
    // The answer given is kept.
    await expect(handler.getByLabel('How will the concern be handled?').inputValue()).resolves.toBe(
      'An initial assessment by the audit team',
    );
    await expectAccessible(handler);

    await handler.getByLabel('Who is dealing with it?').fill('Internal audit');
    await handler.getByLabel('How long should it take?').fill('About six weeks');
    await handler.getByLabel('What support is available to the reporter?').fill('Protect, on 020 3117 2520');
    await handler.getByRole('button', { name: 'Acknowledge and send' }).click();
    await handler.waitForURL(`${stack.portalUrl}/staff/cases/${caseA}?done=acknowledged`);
    await expect(handler.locator('.govuk-notification-banner').textContent()).resolves.toContain('first response was sent');
    await expect(handler.locator('h1').textContent()).resolves.toContain('Acknowledged');
    await expect(handler.locator('#messages ~ div').first().textContent()).resolves.toContain('Internal audit');
    await expectAccessible(handler);
  });

  it('files an identity request that the monitoring officer approves from their home page', async () => {
    await handler.goto(`${stack.portalUrl}/staff/cases/${caseA}`);
    await handler.getByRole('link', { name: 'Ask to see the reporter’s identity' }).click();
    await expectAccessible(handler);
    await handler.getByRole('button', { name: 'Send request' }).click();
    await expect(handler.locator('.govuk-error-summary').textContent()).resolves.toContain('Say why you need to know');
    await handler.getByLabel('Why do you need to know who the reporter is?').fill('We need to interview them about the rota.');
    await handler.getByRole('button', { name: 'Send request' }).click();
    await handler.waitForURL(`${stack.portalUrl}/staff/cases/${caseA}?done=identity-request`);
    await expect(handler.locator('#identity-requests').textContent()).resolves.toContain('Pending');
    await expect(handler.locator('main').textContent()).resolves.not.toContain('Jo Reporter');

    await overseer.goto(`${stack.portalUrl}/staff/home`);
    await expect(overseer.locator('main').textContent()).resolves.toContain('We need to interview them about the rota.');
    await expect(overseer.locator('main').textContent()).resolves.toContain(caseB); // its overdue clock
    await expectAccessible(overseer);
    await overseer
      .getByRole('table', { name: 'Requests waiting for your decision' })
      .locator(`a[href^="/staff/cases/${caseA}/identity-requests/"]`)
      .click();
    await expect(overseer.locator('h1').textContent()).resolves.toContain('Decide on a request');
    await expectAccessible(overseer);
    await overseer.getByRole('button', { name: 'Record decision' }).click();
    await expect(overseer.locator('.govuk-error-summary').textContent()).resolves.toContain('Select whether you approve or refuse');
    await expectAccessible(overseer);
    await overseer.getByLabel('Approve: share the reporter’s identity').check();
    await overseer.getByLabel('Reasons for your decision').fill('An interview is needed to establish the facts.');
    await overseer.getByRole('button', { name: 'Record decision' }).click();
    await overseer.waitForURL(`${stack.portalUrl}/staff/cases/${caseA}?done=identity-approved#identity`);
    await expect(overseer.locator('#identity-requests').textContent()).resolves.toContain('Approved');

    await handler.goto(`${stack.portalUrl}/staff/cases/${caseA}`);
    await expect(handler.locator('#identity').locator('..').textContent()).resolves.toContain('Jo Reporter');
    await expectAccessible(handler);
  });

  it('refuses a forged form without its CSRF token with the "form expired" page', async () => {
    const forged = await handler.context().request.post(`${stack.portalUrl}/staff/cases/${caseA}/messages`, {
      form: { text: 'A forged message' },
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('This form has expired');
    await handler.goto(`${stack.portalUrl}/staff/cases/${caseA}`);
    await expect(handler.locator('main').textContent()).resolves.not.toContain('A forged message');
  });

  it('lets a handler recuse themselves, after which the case is gone for them', async () => {
    await handler.goto(`${stack.portalUrl}/staff/cases/${caseB}`);
    await handler.getByRole('link', { name: 'Declare a conflict and step back' }).click();
    await expectAccessible(handler);
    await handler.getByLabel('Why are you conflicted?').fill('I signed off one of these contracts.');
    await handler.getByRole('button', { name: 'Step back from this case' }).click();
    await expect(handler.locator('.govuk-panel').textContent()).resolves.toContain(`You have stepped back from case ${caseB}`);
    await expectAccessible(handler);
    const gone = await handler.goto(`${stack.portalUrl}/staff/cases/${caseB}`);
    expect(gone?.status()).toBe(404);
    await handler.goto(`${stack.portalUrl}/staff/cases`);
    await expect(handler.locator('#cases tbody tr').count()).resolves.toBe(1);
  });

  it('shows administrators the queues, and no cases', async () => {
    const page = await newPage(browser);
    await signInAsStaff(page, stack.portalUrl, tenant.slug, admin);
    // Administrators land on the administration home, which links to the queues.
    expect(new URL(page.url()).pathname).toBe('/staff/admin');
    await page.goto(`${stack.portalUrl}/staff/admin/queues`);
    await expect(page.locator('#queue-counts').textContent()).resolves.toContain('case-events');
    await expectAccessible(page);
    const cases = await page.goto(`${stack.portalUrl}/staff/cases/${caseA}`);
    expect(cases?.status()).toBe(404);
    await page.context().close();
  });

  it('shows administrators how many reporter rows wait past their release, as a count', async () => {
    const page = await newPage(browser);
    await signInAsStaff(page, stack.portalUrl, tenant.slug, admin, { step: -1 });
    await page.goto(`${stack.portalUrl}/staff/admin/queues`);
    await expect(page.locator('#placement-overdue').textContent()).resolves.toMatch(
      /five minutes after their batch's release: 0\./,
    );
    await page.context().close();
  });

  it('warns before the idle timeout and keeps the session when asked', async () => {
    const page = await newPage(browser);
    await page.clock.install();
    await signInAsStaff(page, stack.portalUrl, tenant.slug, mo, { step: 1 });
    await page.goto(`${stack.portalUrl}/staff/cases`);
    const dialog = page.getByRole('dialog', { name: 'You are about to be signed out' });
    await expect(dialog.isVisible()).resolves.toBe(false);
    await page.clock.fastForward('27:56');
    await dialog.waitFor({ state: 'visible' });
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.clock.fastForward('30:00');
    await page.waitForURL(`${stack.portalUrl}/staff/sign-out?timeout=1`);
    await expect(page.locator('h1').textContent()).resolves.toBe('You have been signed out');
    await expectAccessible(page);
    expect((await page.context().cookies()).some((c) => c.name === 'nolan_staff')).toBe(false);
    await page.context().close();
  });
});
