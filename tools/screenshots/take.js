// Screenshots of the main pages for docs/screenshots (run against `npm start`): node tools/screenshots/take.js
const { chromium } = require('playwright-core');
const reporterJourney = require('./reporter-journey');
const staffPages = require('./staff-pages');
const adminPages = require('./admin-pages');

// Run against another port with PORTAL_URL=http://localhost:3101 (the reporter journey only).
const portalUrl = process.env.PORTAL_URL || 'http://localhost:3001';
// The staff pages also need the API (to send two demo reports) and the demo's sign-in details.
const apiUrl = process.env.API_URL || 'http://localhost:3000';

const pages = [
  ['portal-start', 'http://localhost:3001/'],
  ['portal-404', 'http://localhost:3001/no-such-page'],
  ['api-docs', 'http://localhost:3000/api/docs'],
];

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  for (const [name, url] of pages) {
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
    console.log(`docs/screenshots/${name}.png`);
  }
  await reporterJourney(browser, portalUrl);
  await staffPages(browser, { portalUrl, apiUrl, demoDir: process.env.NOLAN_DEMO_DIR });
  await adminPages(browser, { portalUrl, demoDir: process.env.NOLAN_DEMO_DIR });
  await browser.close();
})();
