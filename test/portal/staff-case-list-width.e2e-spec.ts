/**
 * Issue #19: the staff case list fits its column beside the filter panel on a 1100 px wide screen (a
 * common laptop width): nothing scrolls sideways, neither the page nor the table. What a person sees:
 * every column of a case's row inside the page, with the filter still there.
 */
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { signInAsStaff } from '../support/staff-browser';
import { CaseListPage } from '../support/staff-case-pages';
import { StaffFixtures } from '../support/staff-fixtures';

jest.setTimeout(240_000);

describe('the case list at 1100 px', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let page: Page;
  const references: string[] = [];

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('narrow');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer'], { name: 'Morgan Hale-Fitzwilliam' });
    for (const category of ['fraud_theft', 'gifts_hospitality', 'safeguarding_children'] as const) {
      const created = await fixtures.case(tenant.id, { category, staffIds: [mo.id], report: {} });
      references.push(created.reference);
    }
    await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      await m.query(`UPDATE cases SET assignee_id = $1, assigned_on = current_date WHERE tenant_id = $2`, [
        mo.id,
        tenant.id,
      ]);
      // The widest cells: an overdue clock with its badge, and a long age.
      await m.query(
        `UPDATE cases SET received_at = date_trunc('hour', now()) - interval '400 days', acknowledgement_due = current_date - 393
          WHERE reference = $1`,
        [references[0]],
      );
    });
    page = await newPage(browser);
    await page.setViewportSize({ width: 1100, height: 900 });
    await signInAsStaff(page, stack.portalUrl, tenant.slug, mo);
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  it('shows every column of the list without scrolling sideways, beside or above the filter', async () => {
    const list = new CaseListPage(page, stack.portalUrl);
    await list.open();
    expect((await list.references()).sort()).toEqual([...references].sort());
    // In the page (test code has no DOM types): how far each box is wider than it shows.
    const overflow = await page.evaluate(`(() => {
      const wider = (el) => (el ? el.scrollWidth - el.clientWidth : 0);
      const last = document.querySelector('#cases thead th:last-child')?.getBoundingClientRect();
      return {
        page: wider(document.scrollingElement),
        tableBox: wider(document.querySelector('.staff-table-scroll')),
        content: wider(document.querySelector('.moj-filter-layout__content')),
        lastColumnInside: last ? last.right <= window.innerWidth : false,
      };
    })()`);
    expect(overflow).toEqual({ page: 0, tableBox: 0, content: 0, lastColumnInside: true });
    await expect(page.getByRole('button', { name: 'Apply filters' }).isVisible()).resolves.toBe(true);
    expect(await list.row(references[0]!)).toEqual(
      expect.objectContaining({ 'Assigned to': 'Morgan Hale-Fitzwilliam (you)' }),
    );
    await expectAccessible(page);
  });
});
