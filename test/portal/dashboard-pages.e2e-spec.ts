/**
 * The figures pages in Chromium (issue #16), with JavaScript on and off, over the seeded history of
 * test/support/dashboard-history.ts: the monitoring officer's dashboard shows the known figures with an
 * accessible SVG chart and a table beside each, a drill-down lists the cases behind a figure (never the
 * case about the monitoring officer), the period chooser is a GET form, the annual report downloads, and
 * the chair's page shows the published summary. axe-core finds no WCAG 2.2 A/AA violation on any of them.
 */
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { DashboardFigures, PublishedSummary } from '@nolan/contract';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { seedDashboardHistory, type DashboardHistory } from '../support/dashboard-history';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { signInAsStaff } from '../support/staff-browser';

jest.setTimeout(240_000);

function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1] as string, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const m of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      out.push(Buffer.from(m[1] as string, 'hex').toString('latin1'));
  }
  return out.join('\n');
}

/** With SCREENSHOTS=1, the pages are also saved to docs/screenshots (JavaScript on) for the README. */
async function shot(page: Page, name: string, javaScriptEnabled = true): Promise<void> {
  if (process.env['SCREENSHOTS'] !== '1' || !javaScriptEnabled) return;
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
}

describe('the figures pages', () => {
  let stack: PortalStack;
  let browser: Browser;
  let h: DashboardHistory;
  let since: string;

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    // Seeded through the stack's own API, so the portal reads what was seeded.
    h = await seedDashboardHistory('figpages', { app: stack.api });
    since = `from=${h.P}&to=${h.today}`;
  });
  afterAll(async () => {
    await browser?.close();
    await h?.world.close();
    await stack?.close();
  });

  const cell = (page: Page, table: string, row: string) =>
    page
      .locator(`table:has(caption:text-is("${table}")) tr`, { has: page.locator(`th:text-is("${row}")`) })
      .locator('td')
      .first();

  /** The monitoring officer's session cookie, from one sign-in (a TOTP code is accepted once). */
  let moCookies: Awaited<ReturnType<ReturnType<Page['context']>['cookies']>> = [];

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      let page: Page;

      beforeAll(async () => {
        page = await newPage(browser, { javaScriptEnabled, acceptDownloads: true });
        if (!moCookies.length) {
          await signInAsStaff(page, stack.portalUrl, h.world.tenant.slug, h.world.user('mo'), { step: 1 });
          moCookies = await page.context().cookies();
        } else await page.context().addCookies(moCookies);
      });
      afterAll(async () => {
        await page?.context().close();
      });

      it("shows the monitoring officer's figures for a period chosen with the GET form, each chart with its table", async () => {
        await page.goto(`${stack.portalUrl}/staff/figures`);
        await expect(page.locator('h1').textContent()).resolves.toBe('Figures');
        await expectAccessible(page);
        await page.getByLabel('From (first day)').fill(h.P);
        await page.getByLabel('To (last day)').fill(h.today);
        await page.getByRole('button', { name: 'Show these dates' }).click();
        await page.waitForURL(/from=/);
        expect(new URL(page.url()).searchParams.get('from')).toBe(h.P);
        await expect(page.locator('#received-count').textContent()).resolves.toContain('6');
        await expect(cell(page, 'By category', 'Gifts or hospitality').textContent()).resolves.toContain('2');
        await expect(page.locator('#open-count').textContent()).resolves.toBe('4');
        await expect(
          cell(
            page,
            'Cases received in the period, against their deadlines',
            'Acknowledged within 7 days',
          ).textContent(),
        ).resolves.toContain('4');
        await expect(
          page
            .locator('.govuk-summary-list__row', { hasText: 'Median days to acknowledge' })
            .locator('dd')
            .textContent(),
        ).resolves.toContain('3 days');
        await expect(cell(page, 'Other figures', 'Reopened').textContent()).resolves.toContain('1');
        await expect(
          cell(page, 'Other figures', 'Transferred to another handler').textContent(),
        ).resolves.toContain('1');
        // The charts: server-rendered SVG images with a title and a description giving every value.
        const chart = page.locator('svg[role="img"]', {
          has: page.locator('title', { hasText: 'Reports received by category' }),
        });
        await expect(chart.count()).resolves.toBe(1);
        await expect(chart.locator('desc').textContent()).resolves.toContain('Gifts or hospitality 2');
        await expect(page.locator('svg[role="img"]').count()).resolves.toBe(5);
        await expect(page.content()).resolves.not.toContain(h.cases.E.reference);
        await expectAccessible(page);
        await shot(page, 'figures-1-dashboard', javaScriptEnabled);
      });

      it('says what is wrong with a period that is not one, on the same page', async () => {
        await page.goto(`${stack.portalUrl}/staff/figures`);
        await page.getByLabel('From (first day)').fill(h.today);
        await page.getByLabel('To (last day)').fill(h.P);
        await page.getByRole('button', { name: 'Show these dates' }).click();
        await page.waitForURL(/from=/);
        expect(await page.title()).toMatch(/^Error: Figures/);
        await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
          'from must not be after to.',
        );
        await expect(page.getByLabel('From (first day)').inputValue()).resolves.toBe(h.today);
        await expectAccessible(page);
      });

      it('drills down from a figure to the cases behind it, never the one about the monitoring officer', async () => {
        await page.goto(`${stack.portalUrl}/staff/figures?${since}`);
        await page.locator('table:has(caption:text-is("By category")) a', { hasText: '2' }).first().click();
        await page.waitForURL(/figures\/cases/);
        await expect(page.locator('h1').textContent()).resolves.toContain('Gifts');
        await expect(page.locator('#drill-count').textContent()).resolves.toBe('2 cases.');
        const text = (await page.locator('main').textContent()) ?? '';
        expect(text).toContain(h.cases.A.reference);
        expect(text).toContain(h.cases.B.reference);
        expect(text).not.toContain(h.cases.E.reference);
        await expectAccessible(page);
        await shot(page, 'figures-2-drill-down', javaScriptEnabled);
      });

      it('shows the reports by mode in a table whose counts open the cases behind them', async () => {
        await page.goto(`${stack.portalUrl}/staff/figures?${since}`);
        // Every report of the history gave no identity: the six the monitoring officer sees are anonymous.
        await expect(cell(page, 'By mode', 'Anonymous').textContent()).resolves.toMatch(/^6\b/);
        await expect(cell(page, 'By mode', 'Confidential').textContent()).resolves.toBe('0');
        await expect(cell(page, 'By mode', 'Open').textContent()).resolves.toBe('0');
        await expect(cell(page, 'By mode', 'Mode not recorded').textContent()).resolves.toBe('0');
        await expect(page.locator('#not-available + dl').textContent()).resolves.not.toContain(
          'Reports by mode',
        );
        await cell(page, 'By mode', 'Anonymous').locator('a').click();
        await page.waitForURL(/figure=byMode/);
        await expect(page.locator('h1').textContent()).resolves.toContain('by mode: anonymous');
        await expect(page.locator('#drill-count').textContent()).resolves.toBe('6 cases.');
        const text = (await page.locator('main').textContent()) ?? '';
        for (const n of ['A', 'B', 'C', 'D', 'F', 'G'] as const) expect(text).toContain(h.cases[n].reference);
        expect(text).not.toContain(h.cases.E.reference);
        await expectAccessible(page);
      });

      it('offers the annual report, whose PDF holds the figures as text', async () => {
        await page.goto(`${stack.portalUrl}/staff/figures/annual-report?year=${h.previousYear}`);
        await expectAccessible(page);
        await shot(page, 'figures-3-annual-report', javaScriptEnabled);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Exempt detail (PDF)' }).click(),
        ]);
        expect(download.suggestedFilename()).toMatch(/-exempt\.pdf$/);
        const path = await download.path();
        const text = pdfText(readFileSync(path));
        expect(text).toContain('Acknowledged within 7 days\n4');
        expect(text).toContain('Median days to close\n40');
      });
    });
  }

  it('shows every figure the API counted, each in its table, and the policy the clocks were measured against', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.context().addCookies(moCookies);
    const f = (await h.world.as('mo').get(`/dashboard/figures?${since}`).expect(200))
      .body as DashboardFigures;
    await page.goto(`${stack.portalUrl}/staff/figures?${since}`);
    /** Each row of a table: its heading cell's text and the number its first cell starts with. */
    const table = (caption: string) =>
      page
        .locator(`table:has(caption:text-is("${caption}")) tbody tr`)
        .evaluateAll((rows) =>
          rows.map((r) => [
            r.querySelector('th')?.textContent?.trim() ?? '',
            /^\s*([\d.]+)/.exec(r.querySelector('td')?.textContent ?? '')?.[1] ?? '',
          ]),
        );
    const counts = (rows: { label: string; count: number }[]) => rows.map((r) => [r.label, String(r.count)]);
    await expect(table('By category')).resolves.toEqual(counts(f.byCategory.filter((r) => r.count > 0)));
    await expect(table('By channel')).resolves.toEqual(counts(f.byChannel));
    await expect(table('By month')).resolves.toEqual(counts(f.byMonth));
    await expect(table('Open cases by status')).resolves.toEqual(counts(f.openAtEnd.byStatus));
    await expect(table('Open cases by age')).resolves.toEqual(counts(f.openAtEnd.byAge));
    await expect(table('Assessment outcomes')).resolves.toEqual(counts(f.triage));
    await expect(table('Cases closed in the period, by outcome')).resolves.toEqual(
      counts(f.closedByOutcome.filter((r) => r.count > 0)),
    );
    // The seeded history's known figures (test/api/dashboard.e2e-spec.ts proves the API's).
    await expect(table('Cases received in the period, against their deadlines')).resolves.toEqual([
      ['Acknowledged within 7 days', '4'],
      ['Acknowledged by the policy’s due date (7 calendar days)', '4'],
      ['Acknowledged late, or overdue', '2'],
      ['Not yet acknowledged, still in time', '0'],
      ['Feedback within 3 months', '2'],
      ['Feedback late, or overdue', '4'],
      ['No feedback yet, still in time', '0'],
    ]);
    await expect(table('Substantiation rate by category')).resolves.toEqual([['Gifts or hospitality', '1']]);
    await expect(table('Other figures')).resolves.toEqual([
      ['Cases closed', '2'],
      ['Referred externally', '0'],
      ['Retaliation reports received', '1'],
      ['Retaliation reports investigated', '0'],
      ['Retaliation reports substantiated', '0'],
      ['Reopened', '1'],
      // Recommendations are tracked as actions (issue #19): the history's closing decision raised one.
      ['Recommendations raised', '1'],
      ['Recommendations implemented', '0'],
      ['Recommendations overdue', '0'],
      ['Transferred to another handler', '1'],
      ['Cases with a recusal', '1'],
      ['Cases with someone named later as involved', '0'],
      ['Reporter’s identity disclosed to a handler', '0'],
    ]);
    const medians = await page
      .locator('.govuk-summary-list__row')
      .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(medians).toEqual(
      expect.arrayContaining([
        'Median days to acknowledge 3 days',
        'Median days to feedback 36 days',
        'Median days to close 40 days',
        '90th percentile days to close 60 days',
      ]),
    );
    await expect(page.locator('#policy').textContent()).resolves.toBe(f.policy.description);
    expect(f.policy.description).toMatch(
      /^Measured against Nolan’s default policy: acknowledge within 7 calendar days/,
    );
    await page.context().close();
  });

  it('says on the page that a working-days council’s clocks were measured against its own policy', async () => {
    await h.world
      .as('admin')
      .put('/admin/sla-policy', { policy: { acknowledgementDays: 5, acknowledgementUnit: 'working' } })
      .expect(200);
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.context().addCookies(moCookies);
    try {
      const f = (await h.world.as('mo').get(`/dashboard/figures?${since}`).expect(200))
        .body as DashboardFigures;
      await page.goto(`${stack.portalUrl}/staff/figures?${since}`);
      await expect(page.locator('#policy').textContent()).resolves.toMatch(
        /^Measured against the council’s own policy: acknowledge within 5 working days/,
      );
      await expect(
        cell(
          page,
          'Cases received in the period, against their deadlines',
          'Acknowledged by the policy’s due date (5 working days)',
        ).textContent(),
      ).resolves.toMatch(new RegExp(`^${f.acknowledgement.withinPolicy}\\b`));
      await expectAccessible(page);
    } finally {
      await page.context().close();
      await h.world.as('admin').put('/admin/sla-policy', { policy: {} }).expect(200);
    }
  });

  it('shows the chair the published summary on their page, with small numbers suppressed', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await signInAsStaff(page, stack.portalUrl, h.world.tenant.slug, h.world.user('chair'), { step: 1 });
    await page.goto(`${stack.portalUrl}/staff/committee?year=${h.previousYear}`);
    await expect(
      page.locator('.govuk-summary-list__row', { hasText: 'Reports received' }).locator('dd').textContent(),
    ).resolves.toContain('7');
    await expect(cell(page, 'Reports by category', 'Gifts or hospitality').textContent()).resolves.toBe(
      'fewer than 5',
    );
    // Reports by mode, published as the API publishes them (the total shared with the other lines).
    const published = (await h.world.as('chair').get(`/dashboard/summary?year=${h.previousYear}`).expect(200))
      .body as PublishedSummary;
    for (const r of published.byMode.rows)
      await expect(cell(page, 'Reports by mode', r.label).textContent()).resolves.toBe(r.text);
    await expect(cell(page, 'Reports by mode', 'Anonymous').textContent()).resolves.toBe('withheld');
    await expectAccessible(page);
    await shot(page, 'figures-4-chair-summary');
    await page.goto(`${stack.portalUrl}/staff/figures`);
    expect(new URL(page.url()).pathname).toBe('/staff/committee');
    await page.context().close();
  });
});
