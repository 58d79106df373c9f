/**
 * Issue #8, the rest of the case page's tools in a browser: evidence with a file (and its download),
 * a link to a related case, legal hold, confirming ownership, naming a statutory role as involved, the
 * account page (an OpenPGP key made by GnuPG) and an export that GnuPG decrypts. axe-core checks each
 * form, error states included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { solvedAltcha } from '../support/reporter-client';
import { signInAsStaff } from '../support/staff-browser';
import { StaffFixtures, type TestUser } from '../support/staff-fixtures';

jest.setTimeout(240_000);

describe('the case page tools', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let hops: TestUser;
  let caseA: string;
  let caseB: string;
  let page: Page;
  const home = mkdtempSync(join(tmpdir(), 'nolan-staff-gpg-'));
  const gpg = (args: string[], input?: string | Buffer) =>
    spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
      input,
      timeout: 30_000,
    });

  async function submit(whatHappened: string): Promise<string> {
    const server = stack.api.getHttpServer();
    const res = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened, howYouKnow: 'saw_it', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    return res.body.reference as string;
  }

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('casetools');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    hops = await fixtures.user(tenant.id, ['head_of_paid_service']);
    caseA = await submit('Contracts split to stay under the tender limit');
    caseB = await submit('The same supplier again, a different department');
    await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      await m.query(`UPDATE cases SET assignee_id = $1, assigned_on = current_date WHERE reference = $2`, [mo.id, caseA]);
    });
    page = await newPage(browser);
    await signInAsStaff(page, stack.portalUrl, tenant.slug, mo);
  });
  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const open = async (reference: string, link: string) => {
    await page.goto(`${stack.portalUrl}/staff/cases/${reference}`);
    await page.getByRole('link', { name: link }).click();
    await expectAccessible(page);
  };

  it('adds evidence with a file, which downloads from the timeline', async () => {
    await open(caseA, 'Add evidence');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select what kind of evidence this is');
    await expectAccessible(page);
    await page.getByLabel('A record of an interview').check();
    await page.getByLabel('What it is and what it shows').fill('Notes of the interview with the buyer');
    await page.setInputFiles('#files', { name: 'interview notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Buyer said: split it.\n') });
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'evidence');
    const timeline = page.locator('#case-timeline');
    await expect(timeline.textContent()).resolves.toContain('Notes of the interview with the buyer');
    const href = await timeline.getByRole('link', { name: 'interview notes.txt' }).getAttribute('href');
    const download = await page.context().request.get(`${stack.portalUrl}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toContain('attachment');
    expect((await download.body()).toString()).toBe('Buyer said: split it.\n');
  });

  it('links a related case, refusing a reference the user cannot see', async () => {
    await open(caseA, 'Link a related case');
    await page.getByLabel('Reference of the related case').fill('NLN-ZZZZ-ZZZZ');
    await page.getByLabel('The same person or body').check();
    await page.getByLabel('Why are they related?').fill('Same supplier');
    await page.getByRole('button', { name: 'Link the cases' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('There is no case with that reference that you can see');
    await expectAccessible(page);
    await page.getByLabel('Reference of the related case').fill(caseB);
    await page.getByRole('button', { name: 'Link the cases' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'linked');
    await expect(page.locator('#case-links').textContent()).resolves.toContain(caseB);
    await expectAccessible(page);
  });

  it('puts the case on legal hold and confirms ownership', async () => {
    await open(caseA, 'Put on legal hold');
    await page.getByLabel('Reason').fill('An employment tribunal claim is expected');
    await page.getByRole('button', { name: 'Put on legal hold' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'hold-set');
    await expect(page.locator('#case-summary').textContent()).resolves.toContain('Yes: retention will not destroy this case');
    await page.getByRole('button', { name: 'Confirm you own this case' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'ownership');
    await expect(page.getByRole('button', { name: 'Confirm you own this case' }).count()).resolves.toBe(0);
    await expectAccessible(page);
  });

  it('exports the case once the user has registered their own OpenPGP key, and GnuPG opens it', async () => {
    await page.goto(`${stack.portalUrl}/staff/cases/${caseA}`);
    await page.getByRole('button', { name: 'Export the case' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('You cannot export this case yet');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Add your OpenPGP public key' }).click();
    await expectAccessible(page);
    await page.getByLabel('Public key').fill('not a key');
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Paste the whole public key');
    await expectAccessible(page);
    expect(gpg(['--quick-gen-key', `MO <${mo.email}>`, 'future-default', 'default', 'never']).status).toBe(0);
    const armored = gpg(['--armor', '--export', mo.email]).stdout.toString();
    await page.getByLabel('Public key').fill(armored);
    await page.getByRole('button', { name: 'Save key' }).click();
    await page.waitForURL(`${stack.portalUrl}/staff/account?done=key`);
    await expect(page.locator('main').textContent()).resolves.toContain('Case exports will be encrypted to it');

    await page.goto(`${stack.portalUrl}/staff/cases/${caseA}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export the case' }).click()]);
    expect(download.suggestedFilename()).toBe(`${caseA}.zip.pgp`);
    // GnuPG checks the council's signature too, with the signing key the API publishes.
    const signingKey = await request(stack.api.getHttpServer())
      .get(`/api/v1/tenants/${tenant.slug}/signing-key`)
      .expect(200);
    expect(gpg(['--import'], signingKey.text).status).toBe(0);
    const decrypted = gpg(['--status-fd', '2', '--decrypt', (await download.path())!]);
    expect({ status: decrypted.status, stderr: decrypted.stderr.toString() }).toMatchObject({
      status: 0,
      stderr: expect.stringContaining('[GNUPG:] GOODSIG'),
    });
    expect(decrypted.stdout.subarray(0, 2).toString()).toBe('PK'); // the zip inside
  });

  it('names a statutory role as involved: its holders lose the case at once', async () => {
    const handler = await newPage(browser);
    await signInAsStaff(handler, stack.portalUrl, tenant.slug, s151);
    await handler.goto(`${stack.portalUrl}/staff/cases/${caseB}`);
    await handler.getByRole('link', { name: 'Say it involves a statutory officer' }).click();
    await expectAccessible(handler);
    await handler.getByRole('button', { name: 'Continue' }).click();
    await expect(handler.locator('.govuk-error-summary').textContent()).resolves.toContain('Select who the concern involves');
    await handler.getByLabel('Monitoring officer', { exact: true }).check();
    await handler.getByLabel('How do you know?').fill('The invoices carry the monitoring officer’s approval.');
    await handler.getByRole('button', { name: 'Continue' }).click();
    // Issue #15: the section 151 officer does not oversee the case, so the naming is a request; it names
    // the overseer, so the head of paid service, who would oversee the case instead, confirms it.
    await expect(handler.locator('.govuk-panel').textContent()).resolves.toContain('has been sent');
    await expectAccessible(handler);
    expect((await page.goto(`${stack.portalUrl}/staff/cases/${caseB}`))?.status()).toBe(200);
    await handler.context().close();
    const confirmer = await newPage(browser);
    await signInAsStaff(confirmer, stack.portalUrl, tenant.slug, hops);
    await confirmer.goto(`${stack.portalUrl}/staff/cases/${caseB}`);
    await confirmer.getByRole('link', { name: 'Requests to name people as involved' }).click();
    await expectAccessible(confirmer);
    await expect(confirmer.locator('main').textContent()).resolves.toContain(
      'The invoices carry the monitoring officer’s approval.',
    );
    await confirmer.getByRole('button', { name: 'Confirm the naming' }).click();
    await expect(confirmer.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'The naming is confirmed',
    );
    const gone = await page.goto(`${stack.portalUrl}/staff/cases/${caseB}`);
    expect(gone?.status()).toBe(404);
    await confirmer.context().close();
  });
});
