/**
 * Page objects for case work on the staff pages (docs/conventions.md §7): the case list with its
 * filters and search, a case page's summary, and the page to assign or transfer a case. Each reads
 * what a person sees.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expectAccessible } from './browser';

/**
 * With NOLAN_SCREENSHOTS=<folder> set, a journey saves the pages it passes through there (the README's
 * screenshots of case work come from `NOLAN_SCREENSHOTS=docs/screenshots` and the case-work journey);
 * otherwise it does nothing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env['NOLAN_SCREENSHOTS'];
  if (!folder) return;
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

export class CaseListPage {
  constructor(
    private readonly page: Page,
    private readonly portalUrl: string,
  ) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(`${this.portalUrl}/staff/cases${query}`);
    await expectAccessible(this.page);
  }

  async filterAssigned(choice: 'Anyone or nobody' | 'Assigned to me' | 'Not assigned yet'): Promise<void> {
    await this.page.getByLabel(choice, { exact: true }).check();
    await this.page.getByRole('button', { name: 'Apply filters' }).click();
    await this.page.waitForLoadState();
  }

  async search(words: string): Promise<void> {
    await this.page.getByLabel('Search').fill(words);
    await this.page.getByRole('button', { name: 'Apply filters' }).click();
    await this.page.waitForLoadState();
  }

  /** The references listed, in order. */
  async references(): Promise<string[]> {
    const links = await this.page.locator('#cases tbody tr td:first-child a').allTextContents();
    return links.map((t) => t.trim());
  }

  /** The row of `reference` as its cells' text, by column heading. */
  async row(reference: string): Promise<Record<string, string>> {
    const heads = (await this.page.locator('#cases thead th').allTextContents()).map((t) => t.trim());
    const cells = await this.page
      .locator('#cases tbody tr', { hasText: reference })
      .locator('td')
      .allTextContents(); // as written, not as styled (badges are upper case on screen)
    return Object.fromEntries(heads.map((h, i) => [h, (cells[i] ?? '').replace(/\s+/g, ' ').trim()]));
  }

  async openCase(reference: string): Promise<void> {
    await this.page.getByRole('link', { name: reference, exact: true }).click();
    await this.page.waitForURL((url) => url.pathname === `/staff/cases/${reference}`);
  }
}

export class CaseSummaryPage {
  constructor(
    private readonly page: Page,
    private readonly portalUrl: string,
  ) {}

  async open(reference: string): Promise<void> {
    await this.page.goto(`${this.portalUrl}/staff/cases/${reference}`);
  }

  /** The value beside `key` in the case's summary list. */
  async summary(key: string): Promise<string> {
    const row = this.page.locator('#case-summary .govuk-summary-list__row', {
      has: this.page.locator('.govuk-summary-list__key', { hasText: key }),
    });
    return (await row.locator('.govuk-summary-list__value').innerText()).replace(/\s+/g, ' ').trim();
  }

  async banner(): Promise<string> {
    return (await this.page.locator('.govuk-notification-banner').innerText()).replace(/\s+/g, ' ').trim();
  }

  async follow(link: string | RegExp): Promise<void> {
    await this.page.getByRole('link', { name: link }).click();
    await this.page.waitForLoadState();
  }
}

export class AssignPage {
  constructor(private readonly page: Page) {}

  /** The people offered, each as "Name: hint". */
  async people(): Promise<string[]> {
    const items = this.page.locator('.govuk-radios__item');
    const out: string[] = [];
    for (let i = 0; i < (await items.count()); i++) {
      const label = (await items.nth(i).locator('label').innerText()).trim();
      const hint = (await items.nth(i).locator('.govuk-radios__hint').innerText()).trim();
      out.push(`${label}: ${hint}`);
    }
    return out;
  }

  async choose(name: string | undefined, button: 'Assign the case' | 'Transfer the case'): Promise<void> {
    await expectAccessible(this.page);
    if (name) await this.page.getByLabel(name, { exact: true }).check();
    await this.page.getByRole('button', { name: button }).click();
    await this.page.waitForLoadState();
  }

  async errors(): Promise<string> {
    return (await this.page.locator('.govuk-error-summary').innerText()).replace(/\s+/g, ' ').trim();
  }
}

/** A transition's form ("Open an investigation", "Submit the findings", "Close the case"). */
export class TransitionPage {
  constructor(
    private readonly page: Page,
    private readonly portalUrl: string,
  ) {}

  /** From the case page, follows the action's link and checks the form. */
  async start(reference: string, link: string): Promise<void> {
    await this.page.goto(`${this.portalUrl}/staff/cases/${reference}`);
    await this.page.getByRole('link', { name: link, exact: true }).click();
    await this.page.waitForLoadState();
    await expectAccessible(this.page);
  }

  async submit(button: string): Promise<void> {
    await this.page.getByRole('button', { name: button }).click();
    await this.page.waitForLoadState();
  }

  /** The table of findings the decision rests on: [allegation, finding, reasons] per row. */
  async findings(id = 'decision-findings'): Promise<string[][]> {
    const rows = this.page.locator(`#${id} tbody tr`);
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i++)
      out.push((await rows.nth(i).locator('td').allInnerTexts()).map((t) => t.trim()));
    return out;
  }

  async errors(): Promise<string> {
    return (await this.page.locator('.govuk-error-summary').innerText()).replace(/\s+/g, ' ').trim();
  }

  async fieldError(id: string): Promise<string> {
    return (await this.page.locator(`#${id}-error`).innerText()).replace(/\s+/g, ' ').trim();
  }
}

/** The case page's recommendations, and the forms to add one and to move one on (issue #19). */
export class RecommendationsPage {
  constructor(private readonly page: Page) {}

  /** Each recommendation's row as its cells' text, by column heading (the action column left out). */
  async rows(): Promise<Record<string, string>[]> {
    const table = this.page.locator('#tracked-recommendations');
    if ((await table.count()) === 0) return [];
    const heads = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
    const rows = table.locator('tbody tr');
    const out: Record<string, string>[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      out.push(
        Object.fromEntries(
          heads.slice(0, 4).map((h, j) => [h, (cells[j] ?? '').replace(/\s+/g, ' ').trim()]),
        ),
      );
    }
    return out;
  }

  /** Fills in and sends the form to add one; `owner` 'You' or the name of a team or post. */
  async add(input: { text?: string; owner?: string; due?: [string, string, string] }): Promise<void> {
    await this.page.getByRole('link', { name: 'Add a recommendation' }).click();
    await this.page.waitForLoadState();
    await expectAccessible(this.page);
    if (input.text) await this.page.getByLabel('What should be done').fill(input.text);
    if (input.owner === 'You') await this.page.getByLabel('You', { exact: true }).check();
    else if (input.owner) {
      await this.page.getByLabel('A team or post', { exact: true }).check();
      await this.page.getByLabel('Team or post', { exact: true }).fill(input.owner);
    }
    if (input.due) {
      await this.page.getByLabel('Day').fill(input.due[0]);
      await this.page.getByLabel('Month').fill(input.due[1]);
      await this.page.getByLabel('Year').fill(input.due[2]);
    }
    await this.page.getByRole('button', { name: 'Add the recommendation' }).click();
    await this.page.waitForLoadState();
  }

  /** Follows the row's "Update" link and saves the status chosen. */
  async update(text: string, status: string, reason?: string): Promise<void> {
    await this.page.getByRole('link', { name: `Update the status of: ${text}` }).click();
    await this.page.waitForLoadState();
    await expectAccessible(this.page);
    await this.page.getByLabel(status, { exact: true }).check();
    if (reason) await this.page.getByLabel('Why it was rejected').fill(reason);
    await this.page.getByRole('button', { name: 'Save the status' }).click();
    await this.page.waitForLoadState();
  }

  async errors(): Promise<string> {
    return (await this.page.locator('.govuk-error-summary').innerText()).replace(/\s+/g, ' ').trim();
  }
}
