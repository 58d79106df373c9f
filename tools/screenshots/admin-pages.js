// The administrators' pages for docs/screenshots, in the demo council: the administrator signs in with
// two-factor and sees the admin home, the users, a person's page, the conflict routes after a change (the
// route beside its default, and the preview following it), retention after a change, and the council's
// keys. Every change is put back afterwards (the defaults restored), so the demo is left as it was.
// Called from take.js; the sign-in details come from .demo/credentials.json.
'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { authenticator } = require('otplib');

const shot = async (page, name) => {
  await page.waitForLoadState('networkidle'); // the fonts, so no text is drawn invisible
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
};

async function signIn(page, portalUrl, slug, user) {
  await page.goto(`${portalUrl}/staff/sign-in`);
  await page.fill('#council', slug);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Continue' }).click()]);
  await page.fill('#code', authenticator.generate(user.totpSecret));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/staff/sign-in'));
}

const click = (page, name) =>
  Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).click()]);

module.exports = async function adminPages(browser, { portalUrl, demoDir = join(process.cwd(), '.demo') }) {
  const credentials = JSON.parse(readFileSync(join(demoDir, 'credentials.json'), 'utf8'));
  const slug = credentials.tenant.slug;
  const admin = credentials.users.find((u) => u.roles.includes('administrator'));
  const investigator = credentials.users.find((u) => u.roles.includes('investigator'));
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await signIn(page, portalUrl, slug, admin);

  await page.goto(`${portalUrl}/staff/admin`);
  await shot(page, 'admin-1-home');
  await page.goto(`${portalUrl}/staff/admin/users`);
  await shot(page, 'admin-2-users');
  await page.getByRole('link', { name: investigator.name }).click();
  await shot(page, 'admin-3-user');

  // A concern about the monitoring officer led by the section 151 officer first: the route beside its
  // default, and the preview naming the person it now reaches.
  await page.goto(`${portalUrl}/staff/admin/conflict-routes/monitoring_officer`);
  await page.getByLabel('First choice').selectOption('s151_officer');
  await page.getByLabel('Second choice').selectOption('head_of_paid_service');
  await click(page, 'Save route');
  await shot(page, 'admin-4-conflict-routes');
  await click(page, 'Restore the default routes');

  // Withdrawn fraud cases kept three years instead of one.
  await page.goto(`${portalUrl}/staff/admin/retention/fraud_theft`);
  await page.fill('#years-withdrawn', '3');
  await click(page, 'Save periods');
  await shot(page, 'admin-5-retention');
  await page.goto(`${portalUrl}/staff/admin/retention/fraud_theft`);
  await click(page, 'Restore the defaults');

  await page.goto(`${portalUrl}/staff/admin/keys`);
  await shot(page, 'admin-6-keys');
  await page.context().close();
};
