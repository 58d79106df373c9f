/**
 * Referrals by body on the figures pages in Chromium, JavaScript off (issue #16; docs/dashboard.md "What
 * each figure counts"): the monitoring officer's dashboard shows an SVG chart of the referrals by body
 * with its table beside it, each count linked to the cases behind it; the chair's page shows the
 * suppressed line. axe-core finds no WCAG 2.2 A/AA violation.
 */
import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { CaseWorld } from '../support/case-fixtures';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { signInAsStaff } from '../support/staff-browser';

jest.setTimeout(240_000);

describe('referrals by body on the figures pages', () => {
  let stack: PortalStack;
  let browser: Browser;
  let world: CaseWorld;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    world = await CaseWorld.start(
      'refpages',
      { mo: ['monitoring_officer'], chair: ['audit_committee_chair'] },
      { app: stack.api },
    );
    for (const [name, body] of [
      ['police', 'police'],
      ['fraud', 'action_fraud'],
      ['ico', 'information_commissioner'],
    ] as const) {
      refs[name] = await world.submitReferred(
        'mo',
        { body },
        'The reporter has not signed in since the report.',
      );
    }
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
    await stack?.close();
  });

  it('charts the referrals by body with a table beside it, and drills down to the cases', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await signInAsStaff(page, stack.portalUrl, world.tenant.slug, world.user('mo'), { step: 1 });
    await page.goto(`${stack.portalUrl}/staff/figures`);
    const rows = await page
      .locator('table:has(caption:text-is("Referrals by body")) tbody tr')
      .evaluateAll((trs) =>
        trs.map((r) => [
          r.querySelector('th')?.textContent?.trim() ?? '',
          /^\s*(\d+)/.exec(r.querySelector('td')?.textContent ?? '')?.[1] ?? '',
        ]),
      );
    expect(rows).toEqual([
      ['Police and law enforcement', '2'],
      ['External auditor', '0'],
      ['Regulators', '1'],
      ['Other bodies', '0'],
      ['Body not recorded', '0'],
    ]);
    const chart = page.locator('svg[role="img"]', {
      has: page.locator('title', { hasText: 'Referrals by body' }),
    });
    await expect(chart.count()).resolves.toBe(1);
    await expect(chart.locator('desc').textContent()).resolves.toContain('Police and law enforcement 2');
    // No longer among the figures Nolan cannot give.
    await expect(page.locator('#not-available ~ dl').textContent()).resolves.not.toContain(
      'Referrals by body',
    );
    await expectAccessible(page);
    await page.locator('table:has(caption:text-is("Referrals by body")) a', { hasText: '2' }).click();
    await expect(page.locator('h1').textContent()).resolves.toContain('police and law enforcement');
    const listed = await page.locator('tbody tr th, tbody tr td:first-child').allTextContents();
    expect(listed.join(' ')).toContain(refs['police']);
    expect(listed.join(' ')).toContain(refs['fraud']);
    expect(listed.join(' ')).not.toContain(refs['ico']);
    await page.context().close();
  });

  it('shows the chair the referrals by body with small numbers suppressed', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await signInAsStaff(page, stack.portalUrl, world.tenant.slug, world.user('chair'), { step: 1 });
    await page.goto(`${stack.portalUrl}/staff/committee`);
    const texts = await page
      .locator('table:has(caption:text-is("Cases referred externally, by body")) tbody td')
      .allTextContents();
    expect(texts.length).toBe(6);
    for (const t of texts) expect(t.trim()).toMatch(/^(fewer than 5|withheld)$/);
    await expectAccessible(page);
    await page.context().close();
  });
});
