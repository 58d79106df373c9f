/**
 * Reports by mode (issue #16; docs/dashboard.md "Reports by mode"): the dashboard counts the period's
 * reports as anonymous, confidential or open from each case's keyed mode tag (read with MODE_TAG_SECRET's key,
 * never stored readably), "not recorded" for a case from before the tags; with a drill-down, in the
 * published summary under small-number suppression, in the annual report's CSVs and in the exempt PDF's
 * text. A report that names the monitoring officer is in none of their figures, its mode included.
 */
import type { DashboardFigures, DrillDown, PublishedSummary } from '@nolan/contract';
import { financialYearOf, toLondonDate } from '@nolan/domain';
import { CaseWorld } from '../support/case-fixtures';
import { binary, csvRows, pdfText } from '../support/report-files';

jest.setTimeout(180_000);

const ANSWERS = { whatHappened: 'Something happened', howYouKnow: 'saw_it', raisedBefore: 'no' };

/** The reports of the world, by the mode each is made in (and whether it names the monitoring officer). */
const REPORTS: {
  name: string;
  mode: 'anonymous' | 'confidential' | 'open' | 'not_recorded';
  body: object;
}[] = [
  ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((name) => ({ name, mode: 'anonymous' as const, body: {} })),
  // Agreeing to be named without saying who you are is still anonymous.
  { name: 'a7', mode: 'anonymous', body: { identity: { named: 'yes' } } },
  {
    name: 'c1',
    mode: 'confidential',
    body: { identity: { name: 'Pat Example', contact: 'pat@example.org' } },
  },
  { name: 'c2', mode: 'confidential', body: { identity: { name: 'Sam Example' } } },
  { name: 'o1', mode: 'open', body: { identity: { name: 'Lee Open', named: 'yes' } } },
  // An open report about the monitoring officer: in the chair's figures, never in theirs.
  {
    name: 'moOpen',
    mode: 'open',
    body: { identity: { name: 'Kim Open', named: 'yes' }, involves: ['monitoring_officer'] },
  },
  // Made before the tags were kept: its tag is cleared below.
  { name: 'old', mode: 'not_recorded', body: {} },
];

describe('reports by mode', () => {
  let world: CaseWorld;
  const refs: Record<string, string> = {};
  const today = toLondonDate(new Date());
  const year = financialYearOf(today).from.slice(0, 4);
  const since = `from=${financialYearOf(today).from}&to=${today}`;

  beforeAll(async () => {
    world = await CaseWorld.start('dashmode', {
      mo: ['monitoring_officer'],
      hops: ['head_of_paid_service'],
      chair: ['audit_committee_chair'],
      inv: ['investigator'],
    });
    for (const r of REPORTS)
      refs[r.name] = (await world.submit({ category: 'fraud_theft', answers: ANSWERS, ...r.body })).reference;
    await world.query(`UPDATE cases SET mode_tag = NULL WHERE reference = $1`, [refs['old']]);
  });
  afterAll(async () => {
    await world?.close();
  });

  /** The expected count of a mode among the reports a viewer sees. */
  const expected = (mode: string, withMo: boolean) =>
    REPORTS.filter((r) => r.mode === mode && (withMo || r.name !== 'moOpen')).length;
  const namesOf = (mode: string) =>
    REPORTS.filter((r) => r.mode === mode && r.name !== 'moOpen').map((r) => refs[r.name]!);
  const drill = async (key: string) =>
    (await world.as('mo').get(`/dashboard/cases?${since}&figure=byMode&key=${key}`).expect(200))
      .body as DrillDown;

  it('counts the monitoring officer’s reports by mode, without the one that names them', async () => {
    const f = (await world.as('mo').get(`/dashboard/figures?${since}`).expect(200)).body as DashboardFigures;
    expect(f.received).toBe(REPORTS.length - 1);
    expect(f.mode).toEqual({
      available: true,
      rows: [
        { key: 'anonymous', label: 'Anonymous', count: expected('anonymous', false) },
        { key: 'confidential', label: 'Confidential', count: expected('confidential', false) },
        { key: 'open', label: 'Open', count: expected('open', false) },
        { key: 'not_recorded', label: 'Mode not recorded', count: expected('not_recorded', false) },
      ],
    });
    expect(expected('open', false)).toBe(1);
    // The rows add up to the reports received.
    if (f.mode.available) expect(f.mode.rows.reduce((s, r) => s + r.count, 0)).toBe(f.received);
  });

  it('lists the cases behind each mode, never the report that names the monitoring officer', async () => {
    for (const mode of ['anonymous', 'confidential', 'open', 'not_recorded']) {
      const d = await drill(mode);
      expect([mode, d.cases.map((c) => c.reference).sort()]).toEqual([mode, namesOf(mode).sort()]);
    }
    const open = await drill('open');
    expect(open.title).toBe('Reports received by mode: open');
    expect(JSON.stringify(open)).not.toContain(refs['moOpen']);
    // The drill-down's cases carry metadata only: no identity, and no mode of their own.
    expect(JSON.stringify(open.cases)).not.toMatch(/Lee Open|Kim Open|anonymous|confidential|mode/i);
  });

  it('shows a report’s mode only to the custodian of its reporter’s identity', async () => {
    // An investigator given a1 holds its report, not its identity: a1's mode (whether its reporter
    // gave their identity) is in none of their figures or lists.
    await world
      .as('mo')
      .post(`/cases/${refs['a1']}/assignment`, { assigneeId: world.user('inv').id })
      .expect(200);
    const [held] = await world.query<{ n: string }>(
      `SELECT count(*) AS n FROM case_grants g JOIN cases c ON c.id = g.case_id
        WHERE c.reference = $1 AND g.grantee_id = $2 AND g.scope = 'identity'`,
      [refs['a1'], world.user('inv').id],
    );
    expect(held?.n).toBe('0');
    const f = (await world.as('inv').get(`/dashboard/figures?${since}`).expect(200)).body as DashboardFigures;
    expect(f.received).toBe(1);
    expect(f.mode).toEqual({ available: false, reason: expect.stringMatching(/custodian/) });
    for (const mode of ['anonymous', 'confidential', 'open', 'not_recorded']) {
      const d = (await world.as('inv').get(`/dashboard/cases?${since}&figure=byMode&key=${mode}`).expect(200))
        .body as DrillDown;
      expect([mode, d.cases]).toEqual([mode, []]);
    }
  });

  it('gives no figure for a period none of whose reports has its mode recorded', async () => {
    const f = (
      await world
        .as('mo')
        .get(`/dashboard/figures?year=${Number(year) - 1}`)
        .expect(200)
    ).body as DashboardFigures;
    expect(f.mode).toEqual({ available: false, reason: expect.stringMatching(/installed/) });
  });

  it('publishes the chair’s reports by mode with small numbers suppressed, the total shared', async () => {
    const s = (await world.as('chair').get(`/dashboard/summary?${since}`).expect(200))
      .body as PublishedSummary;
    const text = (key: string) => s.byMode.rows.find((r) => r.key === key)?.text;
    // The chair counts every report (moOpen too): 7 anonymous, 2 confidential, 2 open, 1 not recorded.
    expect(expected('anonymous', true)).toBe(7);
    expect(text('anonymous')).toBe('7');
    expect(text('confidential')).toBe('fewer than 5');
    expect(text('open')).toBe('fewer than 5');
    expect(text('not_recorded')).toBe('fewer than 5');
    expect(s.byMode.totalText).toBe(s.receivedText);
    expect(s.receivedText).toBe(String(REPORTS.length));
    expect(s.byMode.rows.map((r) => r.label)).toEqual([
      'Anonymous',
      'Confidential',
      'Open',
      'Mode not recorded',
    ]);
  });

  describe('the annual report for this financial year', () => {
    const download = (who: string, file: string) =>
      world
        .as(who)
        .get(`/dashboard/annual-report/${year}/${file}`)
        .buffer(true)
        .parse(binary as never);

    it('gives the reports by mode as an exempt CSV and in the exempt PDF’s text', async () => {
      const csv = csvRows((await download('mo', 'exempt-by-mode.csv').expect(200)).body.toString('utf8'));
      expect(csv).toEqual([
        ['Mode', 'Number'],
        ['Anonymous', String(expected('anonymous', false))],
        ['Confidential', String(expected('confidential', false))],
        ['Open', String(expected('open', false))],
        ['Mode not recorded', String(expected('not_recorded', false))],
        ['Total', String(REPORTS.length - 1)],
      ]);
      const pdf = pdfText((await download('mo', 'exempt.pdf').expect(200)).body as Buffer);
      expect(pdf).toContain('Reports by mode');
      for (const [label, value] of csv.slice(1)) expect(pdf).toContain(`${label}\n${value}`);
      await download('chair', 'exempt-by-mode.csv').expect(403);
    });

    it('gives the published reports by mode as a CSV and in the public PDF’s text', async () => {
      const csv = csvRows((await download('chair', 'summary-by-mode.csv').expect(200)).body.toString('utf8'));
      expect(csv).toEqual([
        ['Row', 'Number'],
        ['Anonymous', '7'],
        ['Confidential', 'fewer than 5'],
        ['Open', 'fewer than 5'],
        ['Mode not recorded', 'fewer than 5'],
        ['Total', String(REPORTS.length)],
      ]);
      const pdf = pdfText((await download('chair', 'summary.pdf').expect(200)).body as Buffer);
      for (const [label, value] of csv.slice(1)) expect(pdf).toContain(`${label}\n${value}`);
    });
  });
});
