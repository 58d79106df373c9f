// The reporter's main pages for docs/screenshots, taken by walking the journey in the demo council:
// each page is the answer to the previous page's form (the answers travel sealed in the page), so
// they cannot be opened by address. Called from take.js; runs with JavaScript on, so the ALTCHA
// widget does the proof of work as it would for a person.
'use strict';

const shot = async (page, name) => {
  await page.waitForLoadState('networkidle'); // the fonts, so no text is drawn invisible
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
};

const continueTo = (page) => Promise.all([page.waitForLoadState('load'), page.click('#continue')]);

/** Fills whichever of these questions the current page asks. */
async function answer(page, answers) {
  for (const [id, value] of Object.entries(answers)) {
    const radio = page.locator(`input[type=radio][name="${id}"][value="${value}"]`);
    if (await radio.count()) await radio.check();
    else if (await page.locator(`#${id}`).count()) await page.fill(`#${id}`, value);
  }
}

module.exports = async function reporterJourney(browser, portalUrl, slug = 'demo') {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);

  await page.goto(`${portalUrl}/report/${slug}`);
  await page.click('#start');
  await shot(page, 'reporter-1-concern');
  await page.check('input[name=category][value=fraud_theft]');
  await continueTo(page);
  await continueTo(page); // nothing typed: the error summary
  await shot(page, 'reporter-2-question-error');
  const answers = {
    whatHappened:
      'Two invoices from the same supplier for the depot roof were paid twice in March. The second payments went to a bank account that was added the day before.',
    when: 'March this year',
    where: 'Accounts payable, Town Hall',
    whoIsInvolved: 'A senior accounts officer',
    howYouKnow: 'documents',
    raisedBefore: 'no',
    evidence: 'The payment run reports for March',
    relationship: 'employee',
    amountInvolved: 'About £40,000',
  };
  while (!(await page.locator('input[name=involves]').count())) {
    await answer(page, answers);
    await continueTo(page);
  }
  await page.check('input[name=involves][value=none]');
  await continueTo(page);
  await shot(page, 'reporter-3-identity');
  await page.check('input[name=identityChoice][value=no]');
  await continueTo(page);
  // The evidence page, then check answers (files included) as the last step, where the report is sent.
  await page.setInputFiles('#evidence', {
    name: 'payment-run-march.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Payment run, 14 March: supplier 20417, £20,160.00 (twice)\n'),
  });
  await shot(page, 'reporter-5-evidence-and-send');
  while (!(await page.locator('#send').count())) await continueTo(page);
  await page.waitForSelector('altcha-widget .altcha[data-state="verified"]');
  await shot(page, 'reporter-4-check-answers');
  await Promise.all([page.waitForLoadState('load'), page.click('#send')]);
  await page.waitForSelector('#receipt');
  await shot(page, 'reporter-6-receipt');
  const receipt = (await page.locator('#receipt').innerText()).trim();
  await page.check('input[name=writtenDown]');
  await continueTo(page);
  await page.click('#follow-up');
  await page.fill('#receipt', receipt);
  await page.waitForSelector('altcha-widget .altcha[data-state="verified"]');
  await shot(page, 'reporter-7-sign-in');
  await Promise.all([page.waitForURL(/\/case$/), page.click('#sign-in')]);
  await page.fill('#text', 'The new bank account belongs to a company registered last month.');
  await Promise.all([page.waitForURL(/sent=1/), page.click('#send-message')]);
  await shot(page, 'reporter-8-case');
  await context.close();
};
