/**
 * Issue #8, the administrators' pages in a real browser against the real API: the admin home as an
 * administrator's landing page; adding a user (a bad address and no role first, then the temporary
 * password shown once, and the same address again refused); changing their roles; a conflict route
 * changed with a problem the API names, then for real, with the preview following, and the defaults
 * restored; deactivating with a confirmation and the role holders' warning; retention changed per
 * outcome and restored; the read-only policy pages; a non-administrator refused; a forged form refused.
 * axe-core (WCAG 2.2 A/AA) on every page, error states included.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { signInAsStaff } from '../support/staff-browser';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(180_000);

const S151 = 'Section 151 officer (chief finance officer) or internal audit';

describe('the administrators’ pages', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let admin: TestUser;
  let mo: TestUser;
  let page: Page;
  const newEmail = `sam-${randomBytes(3).toString('hex')}@example.org`;
  let samUrl: string;

  const main = () => page.locator('main').textContent();
  const submit = (name: string) => page.getByRole('button', { name, exact: true }).click();

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('adminpages');
    admin = await fixtures.user(tenant.id, ['administrator']);
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    await fixtures.user(tenant.id, ['head_of_paid_service']);
    page = await newPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('lands an administrator on the admin home, with the routing problems and a link to each page', async () => {
    await signInAsStaff(page, stack.portalUrl, tenant.slug, admin);
    expect(new URL(page.url()).pathname).toBe('/staff/admin');
    await expect(page.locator('h1').textContent()).resolves.toBe('Administration');
    await expect(
      page.getByRole('link', { name: 'Administration' }).getAttribute('aria-current'),
    ).resolves.toBe('true');
    await expect(main()).resolves.toMatch(/Routing has \d+ problems to fix/);
    await expect(page.locator('#admin-pages a').count()).resolves.toBe(8);
    await expectAccessible(page);
  });

  it('adds a user: a bad address and no role get the error summary, then the temporary password is shown once', async () => {
    await page.getByRole('link', { name: 'Users and roles' }).click();
    await page.waitForURL(`${stack.portalUrl}/staff/admin/users`);
    await expect(page.locator('#users tbody tr').count()).resolves.toBe(3);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.getByLabel('Full name').fill('Sam Section');
    await page.getByLabel('Work email address').fill('sam-at-example.org');
    await submit('Add user');
    expect(await page.title()).toMatch(/^Error: Add a user/);
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Enter an email address in the correct format');
    await expect(summary.textContent()).resolves.toContain('Select at least one role');
    await expect(page.locator('#email-error').count()).resolves.toBe(1);
    await expect(page.locator('#roles-error').count()).resolves.toBe(1);
    await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Sam Section');
    await expectAccessible(page);

    await page.getByLabel('Work email address').fill(newEmail);
    await page.getByLabel(S151).check();
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      submit('Add user'),
    ]);
    expect(created.headers()['cache-control']).toBe('no-store');
    await expect(page.locator('.govuk-panel').textContent()).resolves.toContain('Account created');
    const password = (await page.locator('#temporary-password').textContent())!.trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await expect(main()).resolves.toContain('in person or by phone');
    await expectAccessible(page);

    // The same address again: the API's 409, on the address, with the answers kept.
    await page.goto(`${stack.portalUrl}/staff/admin/users/new`);
    await page.getByLabel('Full name').fill('Sam Again');
    await page.getByLabel('Work email address').fill(newEmail);
    await page.getByLabel('Investigator').check();
    await submit('Add user');
    await expect(page.locator('#email-error').textContent()).resolves.toContain(
      'There is already an account with this e-mail address',
    );
    await expect(page.getByLabel('Investigator').isChecked()).resolves.toBe(true);
    await expect(main()).resolves.not.toContain(password);

    await page.goto(`${stack.portalUrl}/staff/admin/users?role=s151_officer&active=yes`);
    await expect(page.locator('#user-count').textContent()).resolves.toBe('1 user');
    await page.getByRole('link', { name: 'Sam Section' }).click();
    samUrl = page.url();
  });

  it('changes a user’s roles with checkboxes, showing what the change does', async () => {
    await expect(page.locator('h1').textContent()).resolves.toBe('Sam Section');
    await expectAccessible(page);
    await page.getByLabel(S151).uncheck();
    await submit('Save roles');
    expect(await page.title()).toMatch(/^Error: /);
    await expect(page.locator('#roles-error').textContent()).resolves.toContain(
      'Select at least one role, or deactivate the account instead',
    );
    await expectAccessible(page);

    await page.getByLabel(S151).check();
    await page.getByLabel('Investigator').check();
    await submit('Save roles');
    await expect(page.locator('#user-notice').textContent()).resolves.toContain(
      'Existing cases are not re-routed',
    );
    await expect(page.locator('#user-details').textContent()).resolves.toContain(`Investigator, ${S151}`);
    await expectAccessible(page);
  });

  it('puts the roles the administrator asked for in front of the monitoring officer, who confirms them (issue #15)', async () => {
    const other = await newPage(browser);
    await signInAsStaff(other, stack.portalUrl, tenant.slug, mo, { step: -1 }); // the later test uses step 0
    await other.goto(`${stack.portalUrl}/staff/home`);
    const card = other.locator('.govuk-summary-card', { hasText: 'Sam Section' });
    await expect(card.textContent()).resolves.toContain('Test administrator');
    await expect(card.textContent()).resolves.toContain('still the administrator’s temporary password');
    await expectAccessible(other);
    await card.getByRole('button', { name: 'Confirm the roles of Sam Section' }).click();
    await other.waitForURL(`${stack.portalUrl}/staff/home#role-requests`);
    await expect(other.locator('.govuk-summary-card', { hasText: 'Sam Section' }).count()).resolves.toBe(0);
    await expect(other.locator('#admin-changes-table').textContent()).resolves.toContain(
      'confirmed Sam Section in the role of investigator, section 151 officer',
    );
    // The monitoring officer takes a signed checkpoint of the audit trail out of Nolan from the same page.
    const download = other.getByRole('link', { name: 'Download a signed checkpoint of the audit trail' });
    const url = `${stack.portalUrl}${await download.getAttribute('href')}`;
    const file = await other.context().request.get(url);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-disposition']).toMatch(/^attachment; filename="nolan-audit-checkpoint-/);
    expect(await file.json()).toMatchObject({ format: 'nolan-audit-checkpoint/1', tenant: tenant.slug });
    await other.context().close();
  });

  it('changes a conflict route: a problem the API names lands on the field, then the preview follows the saved route', async () => {
    await page.goto(`${stack.portalUrl}/staff/admin/conflict-routes`);
    const preview = page.locator('#routing-preview');
    await expect(preview.textContent()).resolves.toContain(
      'A concern about the monitoring officer reaches Test head_of_paid_service (head of paid service), who oversees it',
    );
    await expect(page.locator('#routes-status').textContent()).resolves.toContain('uses the default routes');
    await expectAccessible(page);

    await page
      .locator('#route-monitoring_officer')
      .getByRole('link', { name: /Change/ })
      .click();
    await expect(page.locator('h1').textContent()).resolves.toBe('A concern about the monitoring officer');
    await expectAccessible(page);
    await page.getByLabel('First choice').selectOption('s151_officer');
    await page.getByLabel('Second choice').selectOption('head_of_paid_service');
    await page
      .getByRole('group', { name: /Excluded with them/ })
      .getByLabel('Head of paid service (chief executive)')
      .check();
    await submit('Save route');
    expect(await page.title()).toMatch(/^Error: A concern about the monitoring officer/);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Leads: Head of paid service (chief executive) is excluded along with the monitoring officer, so it cannot also be in leads.',
    );
    await expect(page.locator('#lead-1-error').count()).resolves.toBe(1);
    await expect(page.getByLabel('First choice').inputValue()).resolves.toBe('s151_officer');
    await expectAccessible(page);

    await page
      .getByRole('group', { name: /Excluded with them/ })
      .getByLabel('Head of paid service (chief executive)')
      .uncheck();
    await submit('Save route');
    await expect(page.locator('#routes-notice').textContent()).resolves.toContain(
      'Existing cases are not moved',
    );
    await expect(preview.textContent()).resolves.toContain(
      'A concern about the monitoring officer reaches Sam Section (section 151 officer or internal audit), who oversees it',
    );
    await expect(page.locator('#route-monitoring_officer').textContent()).resolves.toContain(
      'Default: Head of paid service',
    );
    await expect(page.locator('#routes-status').textContent()).resolves.toContain('The council’s own routes');
    await expectAccessible(page);

    await submit('Restore the default routes');
    await expect(page.locator('#routes-status').textContent()).resolves.toContain('uses the default routes');
    await expect(preview.textContent()).resolves.toContain(
      'reaches Test head_of_paid_service (head of paid service), who oversees it',
    );
  });

  it('deactivates a user after a confirmation, and the role holders page warns about the empty role', async () => {
    await page.goto(samUrl);
    await page.getByRole('button', { name: 'Deactivate account' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Deactivate this account?');
    await expectAccessible(page);
    await submit('Deactivate account');
    await expect(page.locator('#user-notice').textContent()).resolves.toContain(
      'is signed out and cannot sign in',
    );
    await expect(page.locator('#routing-warnings').textContent()).resolves.toContain(
      'Nobody is section 151 officer',
    );
    await expect(page.getByRole('button', { name: 'Reactivate account' }).count()).resolves.toBe(1);
    await expectAccessible(page);

    await page.goto(`${stack.portalUrl}/staff/admin/role-holders`);
    await expect(
      page
        .locator('#routing-warnings .govuk-warning-text', { hasText: 'Nobody is section 151 officer' })
        .count(),
    ).resolves.toBe(1);
    await expect(page.locator('#role-holders tr', { hasText: S151 }).textContent()).resolves.toContain(
      'Sam Section',
    );
    await expectAccessible(page);
  });

  it('changes a category’s retention per outcome (a bad number first) and restores the defaults', async () => {
    await page.goto(`${stack.portalUrl}/staff/admin/retention`);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Change the periods for Fraud, theft or false claims' }).click();
    await expect(page.locator('#years-substantiated').inputValue()).resolves.toBe('6');
    await expectAccessible(page);
    await page.locator('#years-withdrawn').fill('0');
    await submit('Save periods');
    expect(await page.title()).toMatch(/^Error: Retention/);
    await expect(page.locator('#years-withdrawn-error').textContent()).resolves.toContain(
      'must be a whole number from 1 to 100',
    );
    await expectAccessible(page);

    await page.locator('#years-withdrawn').fill('3');
    await submit('Save periods');
    await expect(page.locator('#retention-notice').textContent()).resolves.toContain('nightly sweep');
    const fraud = page.locator('#retention tr', { hasText: 'Fraud, theft or false claims' });
    await expect(fraud.textContent()).resolves.toContain(
      'Until the end of the calendar year 3 years after closure',
    );
    await expect(fraud.locator('.govuk-tag').textContent()).resolves.toContain('Changed');

    await page.getByRole('link', { name: 'Change the periods for Fraud, theft or false claims' }).click();
    await submit('Restore the defaults');
    await expect(fraud.locator('.govuk-tag').count()).resolves.toBe(0);
    await expect(page.locator('#retention-status').textContent()).resolves.toContain(
      'uses the default periods',
    );
  });

  it('shows the deadlines, the categories and questions and the council’s keys', async () => {
    await page.goto(`${stack.portalUrl}/staff/admin/sla`);
    await expect(page.locator('#sla-summary').textContent()).resolves.toContain(
      'Acknowledge the reporter within 7',
    );
    await expect(
      page.locator('#sla-clocks tr', { hasText: 'An adult at risk of abuse or neglect' }).textContent(),
    ).resolves.toContain('Safeguarding: also a referral');
    await expectAccessible(page);

    await page.goto(`${stack.portalUrl}/staff/admin/categories`);
    await expect(
      page.locator('#categories tr', { hasText: 'Fraud, theft or false claims' }).textContent(),
    ).resolves.toContain(`Handled by section 151 officer`);
    await expect(page.locator('#questions tbody tr').count()).resolves.toBeGreaterThan(2);
    await expectAccessible(page);

    await page.goto(`${stack.portalUrl}/staff/admin/keys`);
    const fingerprints = await page.locator('main code').allTextContents();
    expect(fingerprints.filter((f) => /^([0-9A-F]{4} ){9}[0-9A-F]{4}$/.test(f))).toHaveLength(2);
    await expect(page.locator('#signing-key').textContent()).resolves.toContain(
      `/api/v1/tenants/${tenant.slug}/signing-key`,
    );
    await expectAccessible(page);
  });

  it('refuses a forged form without its CSRF token', async () => {
    const forged = await page.context().request.post(`${stack.portalUrl}/staff/admin/users/new`, {
      form: { name: 'Forged', email: 'forged@example.org', roles: 'administrator' },
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('This form has expired');
    await page.goto(`${stack.portalUrl}/staff/admin/users`);
    await expect(main()).resolves.not.toContain('forged@example.org');
  });

  it('refuses the admin pages to anyone who is not an administrator', async () => {
    const other = await newPage(browser);
    await signInAsStaff(other, stack.portalUrl, tenant.slug, mo);
    await expect(other.getByRole('link', { name: 'Administration' }).count()).resolves.toBe(0);
    for (const path of ['/staff/admin', '/staff/admin/users', `/staff/admin/conflict-routes`]) {
      const refused = await other.goto(`${stack.portalUrl}${path}`);
      expect(refused?.status()).toBe(403);
      await expect(other.locator('h1').textContent()).resolves.toBe('You cannot use this page');
    }
    await expect(other.getByRole('link', { name: 'Go to your home page' }).getAttribute('href')).resolves.toBe(
      '/staff',
    );
    await expectAccessible(other);
    // The monitoring officer's home shows what the administrator changed, the accounts given handler roles
    // marked for checking.
    await other.goto(`${stack.portalUrl}/staff/home`);
    const changes = other.locator('#admin-changes-table');
    await expect(changes.textContent()).resolves.toContain('Test administrator added an account for Sam Section');
    await expect(changes.locator('.moj-badge', { hasText: 'Check this' }).count()).resolves.toBeGreaterThan(0);
    await expectAccessible(other);
    await other.context().close();
  });
});
