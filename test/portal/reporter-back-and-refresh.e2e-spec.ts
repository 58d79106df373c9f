/**
 * The browser's own Back, Forward and refresh on every page of the reporter's journey, in Chromium
 * with JavaScript on and off (issues #17 and #19 "Must show"): each only loads a page (the browser
 * sends no form again, so there is never a "Confirm form resubmission"), each shows the page the
 * reporter expects with their answers, and after sending nothing shows the receipt or the answers
 * again, a report sent again from a page left open makes no second case, and pressing "Send report"
 * twice without JavaScript sends it once.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { receiptShownIn } from '../support/reporter-client';
import { StaffFixtures } from '../support/staff-fixtures';

jest.setTimeout(300_000);

/** A reporter's tab, recording every form the browser sends. */
class ReporterTab {
  readonly posts: string[] = [];

  private constructor(readonly page: Page) {
    page.on('request', (request: Request) => {
      if (request.method() === 'POST') this.posts.push(new URL(request.url()).pathname);
    });
    page.setDefaultTimeout(60_000);
    page.setDefaultNavigationTimeout(60_000);
  }

  static async open(browser: Browser, javaScriptEnabled: boolean): Promise<ReporterTab> {
    return new ReporterTab(await newPage(browser, { javaScriptEnabled }));
  }

  /** Another tab of the same browser (the same cookies: none), on the same page. */
  async duplicate(): Promise<ReporterTab> {
    const tab = new ReporterTab(await this.page.context().newPage());
    await tab.page.goto(this.page.url());
    return tab;
  }

  async heading(): Promise<string> {
    return (await this.page.locator('h1').first().innerText()).trim();
  }

  async mainText(): Promise<string> {
    return this.page.locator('main').innerText();
  }

  async verifyPage(heading: string | RegExp): Promise<void> {
    await expect(this.heading()).resolves.toMatch(heading);
    await expectAccessible(this.page);
  }

  async continue(): Promise<void> {
    await Promise.all([this.page.waitForEvent('load'), this.page.click('#continue')]);
  }

  /**
   * Refresh, then Back, then Forward: each loads a page and sends no form, and each shows the page a
   * reporter expects (Back: the previous page with its answer; refresh and Forward: this page again).
   */
  async refreshBackAndForward(
    previous: { heading: string | RegExp; shows?: string } | undefined,
  ): Promise<void> {
    const heading = await this.heading();
    const sent = this.posts.length;
    await this.page.reload();
    await expect(this.heading()).resolves.toBe(heading);
    if (previous) {
      await this.page.goBack();
      await expect(this.heading()).resolves.toMatch(previous.heading);
      if (previous.shows) expect(await this.formValues()).toContain(previous.shows);
      await this.page.goForward();
      await expect(this.heading()).resolves.toBe(heading);
    }
    expect(this.posts.slice(sent)).toEqual([]);
  }

  /** What the page's fields hold: typed text, and the labels of what is ticked. */
  private async formValues(): Promise<string> {
    const typed = await this.page
      .locator('main textarea, main input[type=text]')
      .evaluateAll((fields) => fields.map((f) => (f as unknown as { value: string }).value));
    const ticked = await this.page.locator('main input:checked + label').allInnerTexts();
    return [...typed, ...ticked].join('\n');
  }

  async answer(answers: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(answers)) {
      const radio = this.page.locator(`input[type=radio][name="${id}"][value="${value}"]`);
      if (await radio.count()) await radio.check();
      else if (await this.page.locator(`#${id}`).count()) await this.page.fill(`#${id}`, value);
    }
  }

  async waitForHumanCheck(javaScriptEnabled: boolean): Promise<void> {
    if (javaScriptEnabled)
      await this.page.waitForSelector('altcha-widget .altcha[data-state="verified"]', { timeout: 30_000 });
  }
}

describe('browser Back and refresh on the reporter pages', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };

  beforeAll(async () => {
    stack = await startPortalStack({ abuse: { waitSeconds: 3 } }); // support/portal-stack.ts: the wait's length is the API's
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('reporter-back');
    await fixtures.user(tenant.id, ['monitoring_officer']);
  });
  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  const casesOfTenant = async (): Promise<number> =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return (await m.query(`SELECT count(*)::int AS n FROM cases`))[0].n as number;
    });

  for (const javaScriptEnabled of [true, false]) {
    it(`never sends a form again or shows anything again on Back and refresh at every reporter step, and sends a report once, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const marker = `MARKER-back-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
      const before = await casesOfTenant();
      const tab = await ReporterTab.open(browser, javaScriptEnabled);
      const { page } = tab;
      await page.goto(`${stack.portalUrl}/report/${tenant.slug}`);
      await page.click('#start');
      await tab.verifyPage('What is your concern about?');
      await tab.refreshBackAndForward({ heading: 'Raise a concern about conduct at work' });
      await page.check('input[name=category][value=other]');
      await tab.continue();

      // Every page: refresh, Back (the previous page, with what was answered there) and Forward.
      const answers: Record<string, string> = {
        whatHappened: `The rota was changed to keep one person off a panel. ${marker}`,
        howYouKnow: 'saw_it',
        raisedBefore: 'no',
        relationship: 'prefer_not_to_say',
      };
      let previous: { heading: string; shows?: string } = {
        heading: 'What is your concern about?',
        shows: 'Something else',
      };
      while (!(await page.locator('input[name=involves]').count())) {
        const heading = await tab.heading();
        await tab.verifyPage(heading);
        await tab.refreshBackAndForward(previous);
        await tab.answer(answers);
        const shows = heading === 'What happened?' ? answers.whatHappened : undefined;
        await tab.continue();
        expect(await page.locator('.govuk-error-summary').count()).toBe(0);
        previous = { heading, shows };
      }
      await tab.verifyPage('Does your concern involve any of these people?');
      await tab.refreshBackAndForward(previous);
      await page.check('input[name=involves][value=none]');
      await tab.continue();
      await tab.verifyPage('Do you want to tell us who you are?');
      await tab.refreshBackAndForward({
        heading: 'Does your concern involve any of these people?',
        shows: 'No, none of these',
      });
      await page.check('input[name=identityChoice][value=no]');
      await tab.continue();
      await tab.verifyPage('Add evidence');
      await tab.refreshBackAndForward({
        heading: 'Do you want to tell us who you are?',
        shows: 'No, I want to stay anonymous',
      });
      await page.setInputFiles('#evidence', {
        name: `rota-${marker}.txt`,
        mimeType: 'text/plain',
        buffer: Buffer.from('rota'),
      });
      await tab.continue();
      await tab.verifyPage('Check your answers before sending your report');
      await tab.refreshBackAndForward({ heading: 'Add evidence' });
      expect(await tab.mainText()).toContain(`rota-${marker}.txt`);
      expect(await tab.mainText()).toContain('Prefer not to say');

      // A second tab left open on the check page: it will try to send the same report later.
      const stale = await tab.duplicate();

      await tab.waitForHumanCheck(javaScriptEnabled);
      if (javaScriptEnabled) await Promise.all([page.waitForEvent('load'), page.click('#send')]);
      else {
        // Without JavaScript nothing stops a second press while the first is waiting out its ticket.
        // A double press: two clicks at once, the second while the first request is still out.
        await page.dblclick('#send', { noWaitAfter: true });
        await page.waitForSelector('#receipt');
      }
      // Chromium may fold a double press into one request, so which answer the page shows varies; what
      // must hold is one case and one receipt. The server's answer to a second press that does arrive
      // ("sent once") is proven in reporter-sent-once.e2e-spec.ts.
      await tab.verifyPage('Report sent');
      const receipt = (await page.locator('#receipt').innerText()).trim();
      expect(await casesOfTenant()).toBe(before + 1);
      // Refreshing the receipt page shows the same receipt until it has been written down.
      const posts = tab.posts.length;
      await page.reload();
      expect((await page.locator('#receipt').innerText()).trim()).toBe(receipt);
      expect(tab.posts.slice(posts)).toEqual([]);
      await page.check('input[name=writtenDown]');
      await tab.continue();
      await tab.verifyPage('What happens next');
      await tab.refreshBackAndForward(undefined);

      // Back from "What happens next", again and again: the report has been sent; nothing of it is shown.
      const afterSending = tab.posts.length;
      for (let i = 0; i < 4; i++) {
        await page.goBack();
        await tab.verifyPage('This report has already been sent');
        const seen = await tab.mainText();
        expect(receiptShownIn(seen, receipt)).toEqual([]);
        expect(seen).not.toContain(marker);
        await page.reload();
        await expect(tab.heading()).resolves.toBe('This report has already been sent');
      }
      expect(tab.posts.slice(afterSending)).toEqual([]);

      // The tab left open sends the same report: "already sent", no second case, no receipt.
      await stale.waitForHumanCheck(javaScriptEnabled);
      await Promise.all([stale.page.waitForEvent('load'), stale.page.click('#send')]);
      await stale.verifyPage('This report has already been sent');
      expect(receiptShownIn(await stale.mainText(), receipt)).toEqual([]);
      expect(await casesOfTenant()).toBe(before + 1);
      await page.context().close();
    });
  }
});
