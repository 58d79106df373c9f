// The staff pages for docs/screenshots, in the demo council: two reports arrive (through the API, with
// the proof of work solved here), the section 151 officer signs in with two-factor, sees the case list,
// opens a case, acknowledges it and asks to see the reporter's identity; the monitoring officer sees
// that on their home page and opens the decision page; the administrator sees the queues; and the
// session timeout warning. Called from take.js; the sign-in details come from .demo/credentials.json.
'use strict';

const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { authenticator } = require('otplib');

const shot = async (page, name) => {
  await page.waitForLoadState('networkidle'); // the fonts, so no text is drawn invisible
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
};

async function solvedAltcha(apiUrl, slug) {
  const challenge = await (await fetch(`${apiUrl}/api/v1/tenants/${slug}/challenge?purpose=submission`)).json();
  for (let number = 0; number <= challenge.maxnumber; number++) {
    if (createHash('sha256').update(challenge.salt + number).digest('hex') === challenge.challenge) {
      const { algorithm, salt, signature } = challenge;
      return Buffer.from(JSON.stringify({ algorithm, challenge: challenge.challenge, number, salt, signature })).toString('base64');
    }
  }
  throw new Error('could not solve the challenge');
}

async function submit(apiUrl, slug, body) {
  const response = await fetch(`${apiUrl}/api/v1/tenants/${slug}/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, altcha: await solvedAltcha(apiUrl, slug) }),
  });
  if (response.status !== 201) throw new Error(`report not accepted: ${response.status} ${await response.text()}`);
  return (await response.json()).reference;
}

async function signIn(page, portalUrl, slug, user, shots = {}) {
  await page.goto(`${portalUrl}/staff/sign-in`);
  await page.fill('#council', slug);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  if (shots.form) await shot(page, shots.form);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Continue' }).click()]);
  if (shots.wrongCode) {
    const code = authenticator.generate(user.totpSecret);
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await shot(page, shots.wrongCode);
  }
  await page.fill('#code', authenticator.generate(user.totpSecret));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/staff/sign-in'));
}

module.exports = async function staffPages(browser, { portalUrl, apiUrl, demoDir = join(process.cwd(), '.demo') }) {
  const credentials = JSON.parse(readFileSync(join(demoDir, 'credentials.json'), 'utf8'));
  const slug = credentials.tenant.slug;
  const user = (email) => credentials.users.find((u) => u.email.startsWith(email));
  const context = () => browser.newContext({ viewport: { width: 1100, height: 900 } });

  const reference = await submit(apiUrl, slug, {
    category: 'fraud_theft',
    answers: {
      whatHappened: 'Two invoices from the same supplier for the depot roof were paid twice in March.',
      when: 'March this year',
      howYouKnow: 'saw_it',
      raisedBefore: 'no',
    },
    identity: { name: 'Jo Reporter', contact: 'jo.reporter@example.net' },
  });
  await submit(apiUrl, slug, {
    category: 'fraud_theft',
    answers: { whatHappened: 'Fuel cards used at weekends by a team that does not work weekends.', howYouKnow: 'told', raisedBefore: 'no' },
  });

  // The section 151 officer: sign-in with a wrong code, the list, the case, acknowledging it.
  const handler = await (await context()).newPage();
  await signIn(handler, portalUrl, slug, user('s151'), { form: 'staff-1-sign-in', wrongCode: 'staff-2-code-error' });
  await handler.goto(`${portalUrl}/staff/cases`);
  await shot(handler, 'staff-3-cases');
  await handler.goto(`${portalUrl}/staff/cases/${reference}/transition/acknowledged`);
  await handler.fill('#proposedHandling', 'An initial assessment by internal audit, then an investigation if the records support it.');
  await Promise.all([handler.waitForLoadState('load'), handler.getByRole('button', { name: 'Acknowledge and send' }).click()]);
  await shot(handler, 'staff-4-acknowledge-error');
  await handler.fill('#whoIsInvolved', 'Internal audit and the monitoring officer’s team');
  await handler.fill('#estimatedTimescale', 'About six weeks');
  await handler.fill('#supportAvailable', 'Protect, the whistleblowing charity, on 020 3117 2520');
  await Promise.all([handler.waitForURL(/done=acknowledged/), handler.getByRole('button', { name: 'Acknowledge and send' }).click()]);
  await handler.goto(`${portalUrl}/staff/cases/${reference}/identity-request`);
  await handler.fill('#reason', 'We need to interview the reporter about who approved the second payment.');
  await Promise.all([handler.waitForURL(/done=identity-request/), handler.getByRole('button', { name: 'Send request' }).click()]);
  await handler.goto(`${portalUrl}/staff/cases/${reference}`);
  await shot(handler, 'staff-5-case');
  await handler.context().close();

  // The monitoring officer: home, and the identity request's decision page.
  const overseer = await (await context()).newPage();
  await signIn(overseer, portalUrl, slug, user('mo@'));
  await overseer.goto(`${portalUrl}/staff/home`);
  await shot(overseer, 'staff-6-mo-home');
  await overseer.locator(`a[href^="/staff/cases/${reference}/identity-requests/"]`).first().click();
  await shot(overseer, 'staff-7-identity-decision');
  await overseer.context().close();

  // The administrator: the queues.
  const admin = await (await context()).newPage();
  await signIn(admin, portalUrl, slug, user('admin'));
  await admin.goto(`${portalUrl}/staff/admin/queues`);
  await shot(admin, 'staff-8-queues');
  await admin.context().close();

  // The session timeout warning, two minutes before the idle timeout.
  const idle = await (await context()).newPage();
  await idle.clock.install();
  await signIn(idle, portalUrl, slug, user('investigator'));
  await idle.goto(`${portalUrl}/staff/cases`);
  await idle.clock.fastForward('28:00');
  await idle.getByRole('dialog').waitFor({ state: 'visible' });
  await idle.screenshot({ path: 'docs/screenshots/staff-9-timeout-warning.png' });
  console.log('docs/screenshots/staff-9-timeout-warning.png');
  await idle.context().close();
};
