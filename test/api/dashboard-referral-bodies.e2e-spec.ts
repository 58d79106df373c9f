/**
 * Referrals by body (issue #16; docs/dashboard.md "What each figure counts"): closing a case as referred
 * externally records the body's group readably on the case (a reopening clears it; the exact body stays
 * in the encrypted decision, and a dump names none), and the
 * dashboard counts referrals by body group (police and law enforcement, the external auditor,
 * regulators, other bodies, and "not recorded" for a case closed before the code was kept) with a
 * drill-down, in the published summary under small-number suppression, in the annual report's CSVs and
 * in its PDFs' text.
 */
import { execFileSync } from 'node:child_process';
import type { DashboardFigures, DrillDown, PublishedSummary } from '@nolan/contract';
import { CaseWorld } from '../support/case-fixtures';
import { TEST_ENV } from '../support/test-env';
import { binary, csvRows, pdfText } from '../support/report-files';

jest.setTimeout(180_000);

const NO_FEEDBACK = 'The reporter has not signed in since the report; this test is not about feedback.';

describe('referrals by body', () => {
  let world: CaseWorld;
  const refs: Record<string, string> = {};

  const closeReferred = async (name: string, referral: object) => {
    refs[name] = await world.submitReferred('mo', referral, NO_FEEDBACK);
    return refs[name];
  };
  const group = async (name: string) =>
    (
      await world.query<{ referral_group: string | null }>(
        `SELECT referral_group FROM cases WHERE reference = $1`,
        [refs[name]],
      )
    )[0]?.referral_group;

  beforeAll(async () => {
    world = await CaseWorld.start('refbody', {
      mo: ['monitoring_officer'],
      chair: ['audit_committee_chair'],
    });
    await closeReferred('police', { body: 'police' });
    await closeReferred('actionFraud', { body: 'action_fraud' });
    await closeReferred('ico', { body: 'information_commissioner' });
    await closeReferred('auditor', { body: 'external_auditor', details: 'The appointed auditor.' });
    // Closed before the body was kept: the migration leaves it NULL (it cannot read the decision).
    await closeReferred('old', { body: 'police' });
    await world.query(`UPDATE cases SET referral_group = NULL WHERE reference = $1`, [refs['old']]);
    // Referred, then reopened: the code goes with the outcome.
    const reopened = await closeReferred('reopened', { body: 'other', details: 'The ombudsman.' });
    await world.move('mo', reopened, { to: 'reopened', reason: 'The body sent it back.' }).expect(201);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('records only the body’s group when the case is closed, and clears it on a reopening', async () => {
    expect(await group('police')).toBe('police');
    expect(await group('actionFraud')).toBe('police');
    expect(await group('ico')).toBe('regulators');
    expect(await group('auditor')).toBe('external_auditor');
    expect(await group('reopened')).toBeNull();
    // Only group codes can be stored, never an exact body.
    for (const exact of ['the chief constable', 'action_fraud', 'national_crime_agency', 'regulator'])
      await expect(
        world.query(`UPDATE cases SET referral_group = $2 WHERE reference = $1`, [refs['police'], exact]),
      ).rejects.toThrow(/cases_referral_group_check/);
  });

  it('leaves no exact body in a dump: a referred case’s row names only its group', async () => {
    const database = new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1);
    const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--no-owner', database], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    // Codes of bodies that are not also a group's code (the police, the external auditor and "other"
    // are both): none appears anywhere, though cases went to Action Fraud and the ICO.
    for (const exact of [
      'action_fraud',
      'national_crime_agency',
      'serious_fraud_office',
      'information_commissioner',
    ])
      expect(dump).not.toContain(exact);
    expect(dump).not.toMatch(/\bregulator\b/);
    const rows = await world.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(c) AS row FROM cases c WHERE c.reference = ANY ($1)`,
      [[refs['actionFraud'], refs['ico']]],
    );
    expect(rows).toHaveLength(2);
    for (const { row } of rows) {
      expect(Object.keys(row)).not.toContain('referral_body');
      expect(['police', 'regulators']).toContain(row['referral_group']);
      expect(JSON.stringify(row)).not.toMatch(
        /action_fraud|information_commissioner|Action Fraud|Information Commissioner/,
      );
    }
  });

  it('counts referrals by body group, with a drill-down to the cases', async () => {
    const f = (await world.as('mo').get('/dashboard/figures').expect(200)).body as DashboardFigures;
    expect(f.referrals.referredExternally).toBe(5);
    expect(f.referrals.byBody).toEqual({
      available: true,
      rows: [
        { key: 'police', label: 'Police and law enforcement', count: 2 },
        { key: 'external_auditor', label: 'External auditor', count: 1 },
        { key: 'regulators', label: 'Regulators', count: 1 },
        { key: 'other', label: 'Other bodies', count: 0 },
        { key: 'not_recorded', label: 'Body not recorded', count: 1 },
      ],
    });
    const drill = async (key: string) =>
      (
        (await world.as('mo').get(`/dashboard/cases?figure=referralsByBody&key=${key}`).expect(200))
          .body as DrillDown
      ).cases
        .map((c) => c.reference)
        .sort();
    expect(await drill('police')).toEqual([refs['police'], refs['actionFraud']].sort());
    expect(await drill('regulators')).toEqual([refs['ico']]);
    expect(await drill('external_auditor')).toEqual([refs['auditor']]);
    expect(await drill('not_recorded')).toEqual([refs['old']]);
    expect(await drill('other')).toEqual([]);
  });

  it('publishes the referrals by body with small numbers suppressed, none derivable', async () => {
    const s = (await world.as('chair').get('/dashboard/summary').expect(200)).body as PublishedSummary;
    const line = s.referralsByBody;
    // Its total is the closures line's cell for the outcome: five referred externally and nothing else
    // closed, so that line withholds it (the empty outcomes would give it away), and so does this one.
    const referred = s.closedByOutcome.rows.find((r) => r.key === 'referred_externally')!;
    expect(referred.text).toBe('withheld');
    expect(line.total).toEqual(referred.published);
    // Every body is below 5: none is shown, and with the total hidden nothing can be subtracted.
    expect(line.rows.map((r) => r.text)).toEqual(
      line.rows.map(() => expect.stringMatching(/^(fewer than 5|withheld)$/)),
    );
  });

  it('puts the referrals by body in the annual report: the exempt CSV and PDF, and the public summary', async () => {
    const year = (await world.as('mo').get('/dashboard/figures').expect(200)).body as DashboardFigures;
    const fy = year.period.from.slice(0, 4);
    const download = (who: string, file: string) =>
      world
        .as(who)
        .get(`/dashboard/annual-report/${fy}/${file}`)
        .buffer(true)
        .parse(binary as never);
    const exempt = csvRows(
      (await download('mo', 'exempt-referrals-by-body.csv').expect(200)).body.toString('utf8'),
    );
    expect(exempt).toEqual([
      ['Body', 'Number'],
      ['Police and law enforcement', '2'],
      ['External auditor', '1'],
      ['Regulators', '1'],
      ['Other bodies', '0'],
      ['Body not recorded', '1'],
      ['Referred externally', '5'],
    ]);
    const pdf = pdfText((await download('mo', 'exempt.pdf').expect(200)).body as Buffer);
    for (const [label, value] of exempt.slice(1)) expect(pdf).toContain(`${label}\n${value}`);
    await download('chair', 'exempt-referrals-by-body.csv').expect(403);

    const summary = csvRows(
      (await download('chair', 'summary-referrals.csv').expect(200)).body.toString('utf8'),
    );
    expect(summary.at(-1)).toEqual(['Referred externally', 'withheld']);
    expect(summary.slice(1, -1).every(([, v]) => v === 'fewer than 5' || v === 'withheld')).toBe(true);
    const summaryPdf = pdfText((await download('chair', 'summary.pdf').expect(200)).body as Buffer);
    for (const [label, value] of summary.slice(1)) expect(summaryPdf).toContain(`${label}\n${value}`);
    const audited = await world.query<{ details: { file: string } }>(
      `SELECT details FROM audit_entries WHERE action = 'report.downloaded' AND actor_id = $1`,
      [world.user('mo').id],
    );
    expect(audited.map((a) => a.details.file)).toContain('exempt-referrals-by-body.csv');
  });
});
