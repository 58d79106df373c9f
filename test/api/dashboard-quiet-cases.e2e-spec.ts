/**
 * The figures' compact read (docs/performance.md "Dashboard at scale"): a case whose only part in the
 * figures is being open at the end of the period comes back in a group of its status and age band,
 * worked out in SQL, and still makes its events count. Over the seeded history's cases in this
 * financial year (all received in the previous one, so every open one is "quiet"), the figures equal
 * what is known in advance and the drill-downs, which read every case whole, list exactly as many.
 */
import { ageBand, daysBetween, financialYearOf } from '@nolan/domain';
import type { DashboardFigures, DrillDown } from '@nolan/contract';
import { seedDashboardHistory, type DashboardHistory } from '../support/dashboard-history';

jest.setTimeout(180_000);

describe('the figures of cases only open at the end of the period', () => {
  let h: DashboardHistory;

  beforeAll(async () => {
    h = await seedDashboardHistory('dashquiet');
  });
  afterAll(async () => {
    await h?.world.close();
  });

  it('counts them by status and age band as the drill-downs list them, and counts their events', async () => {
    const f = (await h.world.as('mo').get('/dashboard/figures').expect(200)).body as DashboardFigures;
    expect(f.period.from).toBe(financialYearOf(h.today).from);
    const row = (rows: { key: string; count: number }[], key: string) =>
      rows.find((r) => r.key === key)?.count;
    const drill = async (figure: string, key = '') =>
      (
        (
          await h.world
            .as('mo')
            .get(`/dashboard/cases?figure=${figure}${key ? `&key=${encodeURIComponent(key)}` : ''}`)
            .expect(200)
        ).body as DrillDown
      ).cases
        .map((c) => c.reference)
        .sort();
    const ref = (...names: (keyof DashboardHistory['cases'])[]) =>
      names.map((n) => h.cases[n].reference).sort();

    // Nothing received, closed or reopened this year: C (reopened last year), D and G (acknowledged)
    // and F (received) are open today; E names the monitoring officer; A and B closed last year.
    expect(f.received).toBe(0);
    expect(f.openAtEnd.total).toBe(4);
    expect(row(f.openAtEnd.byStatus, 'reopened')).toBe(1);
    expect(row(f.openAtEnd.byStatus, 'acknowledged')).toBe(2);
    expect(row(f.openAtEnd.byStatus, 'received')).toBe(1);
    expect(await drill('openByStatus', 'reopened')).toEqual(ref('C'));
    expect(await drill('openByStatus', 'acknowledged')).toEqual(ref('D', 'G'));
    expect(await drill('openByStatus', 'received')).toEqual(ref('F'));
    const ages = new Map<string, (keyof DashboardHistory['cases'])[]>();
    for (const n of ['C', 'D', 'F', 'G'] as const) {
      const band = ageBand(daysBetween(h.cases[n].receivedOn, h.today));
      ages.set(band, [...(ages.get(band) ?? []), n]);
    }
    for (const r of f.openAtEnd.byAge) {
      expect([r.key, r.count]).toEqual([r.key, ages.get(r.key)?.length ?? 0]);
      expect(await drill('openByAge', r.key)).toEqual(ref(...(ages.get(r.key) ?? [])));
    }
    // Their events of today count (the audit trail's): C's assessment and recusal, D's transfer; A's
    // and B's do not (closed before the year: not among the year's cases).
    expect(row(f.triage, 'investigation')).toBe(1);
    expect(f.triage.reduce((s, r) => s + r.count, 0)).toBe(1);
    expect(await drill('triage', 'investigation')).toEqual(ref('C'));
    expect(f.transferred).toBe(1);
    expect(await drill('transferred')).toEqual(ref('D'));
    expect(f.accessExceptions.recusals).toBe(1);
    expect(await drill('recusals')).toEqual(ref('C'));
    // The chair's summary reads the same way over every case of the council, E included: five open.
    const s = (await h.world.as('chair').get('/dashboard/summary').expect(200)).body;
    expect(s.openAtEndText).toBe('5');
  });
});
