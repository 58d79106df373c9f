import type { Browser } from 'playwright-core';
import { accessibilityViolations, expectAccessible, launchBrowser, newPage } from '../support/browser';
import { startPortalStack, type PortalStack } from '../support/portal-stack';

describe('the browser harness', () => {
  let stack: PortalStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startPortalStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('serves the start page to Chromium, with and without JavaScript, with no WCAG A/AA violations', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const page = await newPage(browser, { javaScriptEnabled });
      await page.goto(`${stack.portalUrl}/`);
      await expectAccessible(page);
      expect(await page.context().cookies()).toEqual([]);
      await page.context().close();
    }
  });

  it('really finds violations, with and without JavaScript: a page with an unlabelled input fails', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const page = await newPage(browser, { javaScriptEnabled });
      await page.goto(`${stack.portalUrl}/`);
      // A string, not a function: test/ compiles without the DOM library.
      await page.evaluate(`document.querySelector('main').appendChild(document.createElement('input'))`);
      const violations = await accessibilityViolations(page);
      expect(violations.map((v) => v.id)).toContain('label');
      await page.context().close();
    }
  });
});
