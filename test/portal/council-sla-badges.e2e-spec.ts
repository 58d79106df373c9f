/**
 * Issue #16 in Chromium: a council whose SLA policy reminds of feedback three weeks before the deadline
 * (the default is two) sees "Due soon" on a case eighteen days from its feedback deadline — on the case
 * list, under the "Due soon" deadline filter and on the case page — and no badge on one twenty-two days
 * away, with JavaScript on and off. The state comes from the API (libs/domain slaClocks under the
 * council's policy); the portal only words it.
 */
import type { Browser, Page } from 'playwright-core';
import { addCalendarDays, toLondonDate } from '@nolan/domain';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { CaseWorld } from '../support/case-fixtures';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { signInAsStaff } from '../support/staff-browser';

jest.setTimeout(240_000);

describe("the case list's badges under the council's SLA policy", () => {
  let stack: PortalStack;
  let browser: Browser;
  let world: CaseWorld;
  let soon: string;
  let later: string;
  let cookies: Awaited<ReturnType<ReturnType<Page['context']>['cookies']>> = [];

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    world = await CaseWorld.start(
      'slabadgepages',
      { mo: ['monitoring_officer'], admin: ['administrator'] },
      { app: stack.api },
    );
    await world
      .as('admin')
      .put('/admin/sla-policy', { policy: { feedbackReminderDaysBefore: 21 } })
      .expect(200);
    soon = (await world.submit()).reference;
    later = (await world.submit()).reference;
    const today = toLondonDate(new Date());
    for (const [reference, days] of [
      [soon, 18],
      [later, 22],
    ] as const) {
      await world.runTo('mo', reference, 'acknowledged');
      await world.query(`UPDATE cases SET feedback_due = $2 WHERE reference = $1`, [
        reference,
        addCalendarDays(today, days),
      ]);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
    await stack?.close();
  });

  const row = (page: Page, reference: string) =>
    page.locator('tbody tr', { has: page.locator(`a:text-is("${reference}")`) });

  for (const javaScriptEnabled of [false, true]) {
    it(`shows "Due soon" by the council's reminder, on the list, in the filter and on the case (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const page = await newPage(browser, { javaScriptEnabled });
      if (!cookies.length) {
        await signInAsStaff(page, stack.portalUrl, world.tenant.slug, world.user('mo'), { step: 1 });
        cookies = await page.context().cookies();
      } else await page.context().addCookies(cookies);

      await page.goto(`${stack.portalUrl}/staff/cases`);
      await expect(row(page, soon).locator('.moj-badge').textContent()).resolves.toBe('Due soon');
      await expect(row(page, soon).textContent()).resolves.toContain('Feedback to the reporter');
      await expect(row(page, later).locator('.moj-badge').count()).resolves.toBe(0);
      await expectAccessible(page);

      await page.getByLabel('Due soon or overdue').check();
      await page.locator('[data-test="apply-filters"]').click();
      await page.waitForURL(/deadline=due_soon/);
      await expect(row(page, soon).count()).resolves.toBe(1);
      await expect(row(page, later).count()).resolves.toBe(0);

      await page.goto(`${stack.portalUrl}/staff/cases/${soon}`);
      await expect(
        page.locator('p', { hasText: 'Feedback to the reporter: by' }).locator('.moj-badge').textContent(),
      ).resolves.toBe('Due soon');
      await page.context().close();
    });
  }
});
