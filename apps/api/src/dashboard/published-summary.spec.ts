import { feasibleRanges } from '@nolan/domain';
import { tally, figuresFrom, type CaseFacts } from './figures';
import { publishSummary } from './published-summary';

const period = { from: '2025-04-01', to: '2026-03-31' };
const make = (id: string, category: string): CaseFacts => ({
  id,
  reference: `NLN-AAAA-AAA${id}`,
  category,
  status: 'received',
  outcome: null,
  channel: 'web',
  receivedOn: '2025-05-01',
  acknowledgementDue: '2025-05-08',
  acknowledgedOn: null,
  feedbackDue: '2025-08-08',
  feedbackGivenOn: null,
  closedOn: null,
  reopenedOn: null,
});

describe('the published summary', () => {
  it('withholds the shared total everywhere when one line has to withhold it', () => {
    // Five reports, all by the web form: the channel line can only hide "web = 5" by withholding its
    // total, so the category line (3 + 2, both "fewer than 5") and the headline must not show 5 either.
    const cases = ['1', '2', '3'].map((id) => make(id, 'gifts_hospitality'));
    cases.push(make('4', 'other'), make('5', 'other'));
    const figures = figuresFrom(tally(cases, [], period, '2026-04-01'), period, 'council', '2026-04-01');
    const sut = publishSummary(figures, 5);
    expect(sut.byChannel.total).toEqual({ kind: 'withheld' });
    expect(sut.byCategory.total).toEqual({ kind: 'withheld' });
    expect(sut.received).toEqual({ kind: 'withheld' });
    expect(sut.byCategory.rows.find((r) => r.key === 'gifts_hospitality')?.text).toBe('fewer than 5');
  });

  it('publishes a percentage only when every count behind it reaches the threshold', () => {
    const cases = Array.from({ length: 12 }, (_, i) => ({
      ...make(String(i), 'other'),
      acknowledgedOn: i < 9 ? '2025-05-03' : '2025-05-20',
    }));
    const figures = figuresFrom(tally(cases, [], period, '2026-04-01'), period, 'council', '2026-04-01');
    // 9 in time, 3 late: 75% would give away the 3.
    expect(publishSummary(figures, 5).acknowledgedWithinStatutory).toEqual({
      value: null,
      text: 'not published (fewer than 5 cases behind it)',
    });
    expect(publishSummary(figures, 3).acknowledgedWithinStatutory).toEqual({ value: 75, text: '75%' });
  });

  it('publishes referrals by body under the closures line’s cell for them, no hidden body derivable', () => {
    // Closures: 6 no further action and n referred externally, to body groups in the proportions below
    // (police twice: the police and Action Fraud).
    const bodies = ['police', 'police', 'external_auditor', 'regulators', 'other', null];
    for (const n of [3, 5, 7, 9, 12, 20]) {
      const cases: CaseFacts[] = Array.from({ length: 6 + n }, (_, i) => ({
        ...make(String(i), 'other'),
        status: 'closed',
        closedOn: '2025-06-01',
        outcome: i < 6 ? 'no_further_action' : 'referred_externally',
        referralGroup: i < 6 ? null : (bodies[(i * i) % bodies.length] ?? null),
      }));
      const figures = figuresFrom(tally(cases, [], period, '2026-04-01'), period, 'council', '2026-04-01');
      const s = publishSummary(figures, 5);
      const cell = s.closedByOutcome.rows.find((r) => r.key === 'referred_externally')!.published;
      expect(s.referralsByBody.total).toEqual(cell);
      for (const r of s.referralsByBody.rows)
        if (r.published.kind === 'shown') expect(r.published.value).toBeGreaterThanOrEqual(5);
      if (s.referralsByBody.total.kind !== 'shown') continue;
      const shown = s.referralsByBody.rows.filter((r) => r.published.kind === 'shown');
      const hidden = s.referralsByBody.rows.filter((r) => r.published.kind !== 'shown');
      const remainder =
        s.referralsByBody.total.value -
        shown.reduce((sum, r) => sum + (r.published as { value: number }).value, 0);
      const kinds = hidden.map((r): 'fewer_than' | 'withheld' =>
        r.published.kind === 'fewer_than' ? 'fewer_than' : 'withheld',
      );
      for (const [low, high] of feasibleRanges(kinds, remainder, 5)) expect(high).toBeGreaterThan(low);
    }
  });

  it('shares the reports received between the lines by mode, category and channel', () => {
    // Five reports, 3 + 2 by category and by channel (every cell "fewer than 5", totals shown), but all
    // five anonymous: the mode line can only hide "anonymous = 5" by withholding its total, so the other
    // lines and the headline withhold it too.
    const cases = ['1', '2', '3', '4', '5'].map((id, i) => ({
      ...make(id, i < 3 ? 'gifts_hospitality' : 'other'),
      channel: i < 3 ? 'web' : 'phone',
      mode: 'anonymous' as const,
    }));
    const figures = figuresFrom(tally(cases, [], period, '2026-04-01'), period, 'council', '2026-04-01');
    const sut = publishSummary(figures, 5);
    expect(sut.byMode.total).toEqual({ kind: 'withheld' });
    expect(sut.byCategory.total).toEqual({ kind: 'withheld' });
    expect(sut.byChannel.total).toEqual({ kind: 'withheld' });
    expect(sut.received).toEqual({ kind: 'withheld' });
    // Without a recorded mode the line withholds its rows and leaves the total to the others.
    const unrecorded = figuresFrom(
      tally(
        cases.map((c) => ({ ...c, mode: null })),
        [],
        period,
        '2026-04-01',
      ),
      period,
      'council',
      '2026-04-01',
    );
    const plain = publishSummary(unrecorded, 5);
    expect(plain.byCategory.totalText).toBe('5');
    expect(plain.byMode.totalText).toBe('5');
    expect(plain.byMode.rows.map((r) => r.text)).toEqual(['withheld', 'withheld', 'withheld', 'withheld']);
  });
});
