/**
 * The reporter's whole journey in Chromium against the real portal and API (issue #8 "Must show"),
 * once with JavaScript on (the ALTCHA widget does the proof of work) and once with it off (Tor
 * Browser's safest level: the API's wait ticket). Each run raises a concern with a file, writes down
 * the receipt, signs in with it, sees the status and replies with a file. On every page: no WCAG 2.2
 * A/AA violation (axe-core), no cookie until receipt sign-in, and no request to anywhere but the portal.
 */
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';
import { StaffFixtures } from '../support/staff-fixtures';

jest.setTimeout(300_000);

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The reporter's browser, with what the test checks on every page. */
class ReporterBrowser {
  readonly requests: string[] = [];
  readonly visited: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly portalUrl: string,
  ) {
    // The whole context: the page and anything it starts (the proof-of-work worker included).
    page.context().on('request', (request) => this.requests.push(request.url()));
    page.setDefaultTimeout(60_000);
    page.setDefaultNavigationTimeout(60_000);
  }

  static async open(
    browser: Browser,
    portalUrl: string,
    javaScriptEnabled: boolean,
  ): Promise<ReporterBrowser> {
    return new ReporterBrowser(await newPage(browser, { javaScriptEnabled }), portalUrl);
  }

  cookies() {
    return this.page.context().cookies();
  }

  /** What every page must be: accessible, and (before sign-in) without cookies. */
  async verifyPage(heading: string | RegExp, options: { cookiesAllowed?: boolean } = {}): Promise<void> {
    await expect(this.heading()).resolves.toMatch(heading);
    this.visited.push(`${new URL(this.page.url()).pathname} ${await this.heading()}`);
    await expectAccessible(this.page);
    if (!options.cookiesAllowed) expect(await this.cookies()).toEqual([]);
  }

  async heading(): Promise<string> {
    return (await this.page.locator('h1').first().innerText()).trim();
  }

  async errorSummary(): Promise<string> {
    return this.page.locator('.govuk-error-summary').innerText();
  }

  /** Presses Continue and waits for the page the form leads to (never reads the one it left). */
  async continue(): Promise<void> {
    await Promise.all([this.page.waitForEvent('load'), this.page.click('#continue')]);
  }

  /** Fills whichever of the form's questions this page asks. */
  async answerQuestionPage(answers: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(answers)) {
      const radio = this.page.locator(`input[type=radio][name="${id}"][value="${value}"]`);
      if (await radio.count()) await radio.check();
      else if (await this.page.locator(`#${id}`).count()) await this.page.fill(`#${id}`, value);
    }
  }

  /** The proof of work: with JavaScript, wait for the widget to have solved it. */
  async waitForHumanCheck(javaScriptEnabled: boolean): Promise<void> {
    if (!javaScriptEnabled) return;
    // (page.waitForFunction would evaluate a string, which the page's CSP rightly forbids.)
    await this.page.waitForSelector('altcha-widget .altcha[data-state="verified"]', { timeout: 30_000 });
    expect(await this.page.locator('input[name="altcha"]').inputValue()).not.toBe('');
  }

  /** Every request the browser made stayed on the portal's origin. */
  expectOnlyPortalRequests(): void {
    const elsewhere = this.requests.filter(
      (url) => !url.startsWith(`${this.portalUrl}/`) && !url.startsWith('data:'),
    );
    expect(elsewhere).toEqual([]);
  }
}

describe('the reporter journey in a browser', () => {
  let stack: PortalStack;
  let browser: Browser;
  let fixtures: StaffFixtures;
  let slug: string;

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
    fixtures = await StaffFixtures.open();
    const tenant = await fixtures.tenant('reporter-journey');
    slug = tenant.slug;
    // Role holders, so that reports are routed and "does this involve any of these people?" has choices.
    await fixtures.user(tenant.id, ['monitoring_officer']);
    await fixtures.user(tenant.id, ['deputy_monitoring_officer']);
    await fixtures.user(tenant.id, ['s151_officer']);
  });
  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    await stack?.close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`lets a reporter send a concern with a file, keep the receipt, sign in with it and reply with a file, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const marker = `MARKER-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
      const reporter = await ReporterBrowser.open(browser, stack.portalUrl, javaScriptEnabled);
      const { page } = reporter;

      // Start page: what Nolan is and how anonymity works.
      await page.goto(`${stack.portalUrl}/report/${slug}`);
      await reporter.verifyPage('Raise a concern about conduct at work');
      expect(await page.locator('main').innerText()).toContain('How staying anonymous works');
      await page.click('#start');

      // What the concern is about: nothing chosen is an error, shown the GOV.UK way.
      await reporter.verifyPage('What is your concern about?');
      await reporter.continue();
      expect(await reporter.errorSummary()).toContain('Select what your concern is about');
      expect(await page.title()).toMatch(/^Error: /);
      await reporter.verifyPage('What is your concern about?');
      await page.check('input[name=category][value=fraud_theft]');
      await reporter.continue();

      // The questions, one page at a time.
      await reporter.verifyPage('What happened?');
      await reporter.continue();
      expect(await reporter.errorSummary()).toContain('Tell us what happened');
      await reporter.verifyPage('What happened?');
      await reporter.answerQuestionPage({ whatHappened: `Invoices were paid twice. ${marker}` });
      await reporter.continue();
      await reporter.verifyPage('When and where did it happen?');
      if (javaScriptEnabled) {
        // Back shows the previous page with its answer, carried in the sealed draft.
        await page.click('button[value=back]');
        await reporter.verifyPage('What happened?');
        expect(await page.inputValue('#whatHappened')).toBe(`Invoices were paid twice. ${marker}`);
        await reporter.continue();
        await reporter.verifyPage('When and where did it happen?');
      }
      const answers = {
        when: 'Last spring',
        where: 'The finance team',
        whoIsInvolved: 'A senior accounts officer',
        howYouKnow: 'documents',
        raisedBefore: 'no',
        evidence: 'The payment ledger',
        relationship: 'employee',
        amountInvolved: 'About £40,000',
      };
      while (!(await page.locator('input[name=involves]').count())) {
        const heading = await reporter.heading();
        await reporter.verifyPage(heading);
        await reporter.answerQuestionPage(answers);
        await reporter.continue();
        expect(await page.locator('.govuk-error-summary').count()).toBe(0);
      }

      // Does this involve any of these people?
      await reporter.verifyPage('Does your concern involve any of these people?');
      expect(await page.locator('main').innerText()).toContain('Section 151 officer');
      await page.check(
        javaScriptEnabled ? 'input[name=involves][value=none]' : 'input[name=involves][value=s151_officer]',
      );
      await reporter.continue();

      // Optional identity, with the anonymity statement.
      await reporter.verifyPage('Do you want to tell us who you are?');
      expect(await page.locator('main').innerText()).toContain('You do not have to tell us who you are');
      if (javaScriptEnabled) await page.check('input[name=identityChoice][value=no]');
      else await page.check('input[name=identityChoice][value=yes]');
      await reporter.continue();
      if (!javaScriptEnabled) {
        await reporter.verifyPage('Your details');
        await reporter.continue();
        expect(await reporter.errorSummary()).toContain(
          'Enter your name, your job title or how we can contact you',
        );
        await reporter.verifyPage('Your details');
        await page.fill('#name', `Pat ${marker}`);
        await reporter.continue();
      }

      // Evidence: before check your answers, which is the last page (so the files are checked too).
      await reporter.verifyPage('Add evidence');
      // An e-mail saved as a file is accepted, and the page says what it gives away (issue #19).
      expect(await page.locator('#evidence').getAttribute('accept')).toContain('.eml');
      expect((await page.locator('#email-warning').innerText()).replace(/\s+/g, ' ')).toContain(
        'An email saved as a file (.eml) is kept exactly as it is, with its addresses and headers',
      );
      await page.setInputFiles('#evidence', {
        name: `ledger-${marker}.txt`,
        mimeType: 'text/plain',
        buffer: Buffer.from(`Ledger extract ${marker}\n`),
      });
      await reporter.continue();

      // Check your answers, and change one.
      await reporter.verifyPage('Check your answers before sending your report');
      let check = await page.locator('main').innerText();
      expect(check).toContain('Fraud');
      expect(check).toContain(`Invoices were paid twice. ${marker}`);
      expect(check).toContain('I have seen documents or records');
      expect(check).toContain(javaScriptEnabled ? 'You have chosen to stay anonymous' : `Pat ${marker}`);
      expect(check).toContain(`ledger-${marker}.txt`);
      await page.getByRole('button', { name: 'Change where did it happen' }).click();
      await reporter.verifyPage('When and where did it happen?');
      await page.fill('#where', 'The payments office');
      await reporter.continue();
      await reporter.verifyPage('Check your answers before sending your report');
      check = await page.locator('main').innerText();
      expect(check).toContain('The payments office');

      // Send, with the proof of work, from the check page.
      await reporter.waitForHumanCheck(javaScriptEnabled);
      const sentAt = Date.now();
      await page.click('#send');

      // The reference and the receipt, and "I have written it down".
      await reporter.verifyPage('Report sent');
      if (!javaScriptEnabled) expect(Date.now() - sentAt).toBeGreaterThanOrEqual(10_000);
      const reference = (await page.locator('#reference').innerText()).trim();
      const receipt = (await page.locator('#receipt').innerText()).trim();
      expect(receipt.split(/\s+/)).toHaveLength(7);
      await reporter.continue();
      expect(await reporter.errorSummary()).toContain('Confirm that you have written down your receipt');
      await reporter.verifyPage('Report sent');
      expect((await page.locator('#receipt').innerText()).trim()).toBe(receipt);
      await page.check('input[name=writtenDown]');
      await reporter.continue();
      await reporter.verifyPage('What happens next');
      await page.click('#follow-up');

      // Sign in with the receipt: the first cookie.
      await reporter.verifyPage('Sign in with your receipt');
      await page.click('#sign-in');
      expect(await reporter.errorSummary()).toContain('Enter the 7 words of your receipt');
      await reporter.verifyPage('Sign in with your receipt');
      if (javaScriptEnabled) {
        await page.fill('#receipt', 'not my receipt at all these words');
        await reporter.waitForHumanCheck(true);
        await page.click('#sign-in');
        expect(await reporter.errorSummary()).toContain('We could not find a report for that receipt');
        expect(await page.inputValue('#receipt')).toBe('');
        await reporter.verifyPage('Sign in with your receipt');
      }
      await page.fill('#receipt', `  ${receipt.toUpperCase().replace(/ /g, ' - ')} `);
      await reporter.waitForHumanCheck(javaScriptEnabled);
      await page.click('#sign-in');
      await reporter.verifyPage('Your report', { cookiesAllowed: true });
      const cookies = await reporter.cookies();
      const session = cookies.find((c) => c.name === 'nolan_reporter');
      expect(session).toEqual(expect.objectContaining({ httpOnly: true, sameSite: 'Strict', path: '/' }));
      expect(session?.value).not.toContain(receipt.split(' ')[0]);
      expect(cookies.map((c) => c.name).sort()).toEqual(['nolan_csrf', 'nolan_reporter']);

      // The status, what was sent, and the file.
      expect(await page.locator('#report-summary').innerText()).toContain(reference);
      expect((await page.locator('#status').innerText()).trim()).toBe('Received');
      expect(await page.locator('#your-answers').innerText()).toContain(
        `Invoices were paid twice. ${marker}`,
      );
      const fileLink = page.locator('#report-files a');
      expect((await fileLink.innerText()).trim()).toBe(`ledger-${marker}.txt`);
      const download = await page
        .context()
        .request.get(new URL((await fileLink.getAttribute('href'))!, stack.portalUrl).toString());
      expect(download.status()).toBe(200);
      expect((await download.body()).toString()).toBe(`Ledger extract ${marker}\n`);

      // A reply with nothing in it is an error; a reply with a file is sent.
      await page.click('#send-message');
      expect(await reporter.errorSummary()).toContain('Enter a message, or select a file to send');
      await reporter.verifyPage('Your report', { cookiesAllowed: true });
      await page.fill('#text', `More detail: the second payment went to a new account. ${marker}`);
      await page.setInputFiles('#files', { name: 'photo.png', mimeType: 'image/png', buffer: PNG_1X1 });
      await page.click('#send-message');
      await reporter.verifyPage('Your report', { cookiesAllowed: true });
      expect(await page.locator('#message-sent').innerText()).toContain('Your message has been sent');
      const messages = await page.locator('#messages').innerText();
      expect(messages).toContain(`More detail: the second payment went to a new account. ${marker}`);
      expect(messages).toContain('photo.png');

      // Adding to the report afterwards: who they are (JavaScript on), or who else it involves (off).
      if (javaScriptEnabled) {
        await page.click('#add-identity');
        await reporter.verifyPage('Tell us who you are', { cookiesAllowed: true });
        await page.click('#send-identity');
        expect(await reporter.errorSummary()).toContain(
          'Enter your name, your job title or how we can contact you',
        );
        await reporter.verifyPage('Tell us who you are', { cookiesAllowed: true });
        await page.fill('#contact', `pat-${marker}@example.org`);
        await page.click('#send-identity');
        await reporter.verifyPage('Your report', { cookiesAllowed: true });
        expect(await page.locator('#message-sent').innerText()).toContain('Your details have been added');
      } else {
        await page.click('#add-involved');
        await reporter.verifyPage('Tell us who else your concern involves', { cookiesAllowed: true });
        await page.check('input[name=roles][value=monitoring_officer]');
        await page.click('#send-involved');
        await reporter.verifyPage('Your report', { cookiesAllowed: true });
        expect(await page.locator('#message-sent').innerText()).toContain('can no longer see your report');
      }

      // Sign out: the session cookie goes.
      await page.click('#sign-out');
      await reporter.verifyPage('You have signed out', { cookiesAllowed: true });
      expect((await reporter.cookies()).map((c) => c.name)).not.toContain('nolan_reporter');
      await page.goto(`${stack.portalUrl}/report/${slug}/case`);
      await reporter.verifyPage('Sign in with your receipt', { cookiesAllowed: true });

      reporter.expectOnlyPortalRequests();
      // With JavaScript the widget fetched its challenge from the portal; without, neither its script nor a
      // challenge was fetched (its stylesheet, linked in the page's head, still is).
      const altchaRequests = reporter.requests.filter((url) => /\/altcha\/.*\.js$|\/challenge\?/.test(url));
      if (javaScriptEnabled)
        expect(altchaRequests).toEqual(
          expect.arrayContaining([
            `${stack.portalUrl}/altcha/altcha.js`,
            `${stack.portalUrl}/report/${slug}/challenge?purpose=submission`,
            `${stack.portalUrl}/report/${slug}/challenge?purpose=reporter-session`,
          ]),
        );
      else expect(altchaRequests).toEqual([]);
      expect(reporter.requests.some((url) => url.startsWith(stack.apiUrl))).toBe(false);
      await page.context().close();
    });
  }
});
