/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), and axe-core run inside
 * the page for WCAG 2.2 A/AA checks.
 */
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Contexts made with JavaScript off: axe-core cannot run its timers there (see accessibilityViolations). */
const scriptless = new WeakSet<BrowserContext>();

/** A fresh page; `javaScriptEnabled: false` for the no-JavaScript journeys (Tor Browser's safest level). */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  if (options.javaScriptEnabled === false) scriptless.add(context);
  return context.newPage();
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page as it is now. Injected through the DevTools
 * protocol, so it works with the page's strict CSP and even when the page itself has JavaScript off.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  if (scriptless.has(page.context())) return scriptlessViolations(page);
  return runAxe(page);
}

/**
 * A page rendered with JavaScript off is checked as rendered: its exact HTML is served again, at the
 * same address (so its own stylesheets apply), to a checking page that can run axe-core's timers.
 */
async function scriptlessViolations(page: Page): Promise<AxeViolation[]> {
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser');
  const html = await page.content();
  const checker = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  try {
    const checking = await checker.newPage();
    const url = page.url();
    await checking.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
    // The checked markup must stay as served: no enhancement scripts may run on it.
    await checking.route('**/*.js', (route) => route.abort());
    await checking.goto(url);
    return await runAxe(checking);
  } finally {
    await checker.close();
  }
}

async function runAxe(page: Page): Promise<AxeViolation[]> {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('Runtime.evaluate', { expression: axeSource });
    const result = await session.send('Runtime.evaluate', {
      expression: `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
        .then((r) => JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }))))`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (result.exceptionDetails) throw new Error(`axe-core failed: ${result.exceptionDetails.text}`);
    return JSON.parse(result.result.value as string) as AxeViolation[];
  } finally {
    await session.detach();
  }
}

/** Fails with a readable list when the page has any WCAG A/AA violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await accessibilityViolations(page);
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`);
  expect({ url: page.url(), violations: summary }).toEqual({ url: page.url(), violations: [] });
}
