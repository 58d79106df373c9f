import { type CaseFacts, drillTitle, figuresFrom, tally } from './figures';

const base: CaseFacts = {
  id: 'x',
  reference: 'NLN-AAAA-AAAA',
  category: 'other',
  status: 'acknowledged',
  outcome: null,
  channel: 'web',
  receivedOn: '2025-05-01',
  acknowledgementDue: '2025-05-08',
  acknowledgedOn: null,
  feedbackDue: '2025-08-08',
  feedbackGivenOn: null,
  closedOn: null,
  reopenedOn: null,
};
const period = { from: '2025-04-01', to: '2026-03-31' };

describe('the dashboard tally', () => {
  it('counts an acknowledgement on day 7 as in time and one on day 8 as late', () => {
    const sut = tally(
      [
        { ...base, id: 'a', acknowledgedOn: '2025-05-08' },
        { ...base, id: 'b', acknowledgedOn: '2025-05-09' },
      ],
      [],
      period,
      '2026-04-10',
    );
    expect(sut.tally.get('ackWithinStatutory')?.get('')).toEqual(['a']);
    expect(sut.tally.get('ackLate')?.get('')).toEqual(['b']);
    expect(figuresFrom(sut, period, 'council', '2026-04-10').acknowledgement.medianDays).toBe(7.5);
  });

  it('counts a case closed after the period as open at its end, and none outside the period', () => {
    const sut = tally(
      [
        { ...base, id: 'a', status: 'closed', outcome: 'withdrawn', closedOn: '2026-04-02' },
        { ...base, id: 'b', receivedOn: '2026-04-02' },
      ],
      [{ caseId: 'a', kind: 'recusal', on: '2026-04-03' }],
      period,
      '2026-05-01',
    );
    expect(sut.tally.get('openByStatus')?.get('closed_since')).toEqual(['a']);
    expect(sut.tally.get('received')?.get('')).toEqual(['a']);
    expect(sut.tally.has('recusals')).toBe(false);
  });

  it('ignores events of cases the viewer does not see', () => {
    const sut = tally(
      [base],
      [{ caseId: 'hidden', kind: 'transfer', on: '2025-06-01' }],
      period,
      '2026-01-01',
    );
    expect(sut.tally.has('transferred')).toBe(false);
  });

  it('counts a case once per row however many events of a kind it has, and each case once', () => {
    const sut = tally(
      [base, { ...base, id: 'y', category: 'retaliation' }, base],
      [
        { caseId: 'x', kind: 'transfer', on: '2025-06-01' },
        { caseId: 'x', kind: 'transfer', on: '2025-07-01' },
        { caseId: 'y', kind: 'transfer', on: '2025-07-02' },
        { caseId: 'x', kind: 'triage', key: 'investigation', on: '2025-06-02' },
        { caseId: 'x', kind: 'triage', key: 'investigation', on: '2025-09-02' },
        { caseId: 'x', kind: 'triage', key: 'no_further_action', on: '2025-10-02' },
      ],
      period,
      '2026-01-01',
    );
    expect(sut.tally.get('transferred')?.get('')).toEqual(['x', 'y']);
    expect(sut.tally.get('triage')?.get('investigation')).toEqual(['x']);
    expect(sut.tally.get('triage')?.get('no_further_action')).toEqual(['x']);
    expect(sut.tally.get('received')?.get('')).toEqual(['x', 'y']);
    expect(sut.tally.get('retaliation')?.get('received')).toEqual(['y']);
    expect(sut.ackDays).toEqual([]);
  });

  it('counts a group of quiet cases (only open at the end) as it counts each of them read whole', () => {
    // Received before the period, neither closed nor reopened in it: their status and age band only,
    // and their events still count (they are the viewer's cases).
    const quiet = [
      { ...base, id: 'q1', receivedOn: '2024-12-01' },
      { ...base, id: 'q2', receivedOn: '2024-12-01' },
      {
        ...base,
        id: 'q3',
        status: 'closed',
        outcome: 'withdrawn',
        receivedOn: '2025-01-10',
        closedOn: '2026-04-20',
      },
    ];
    const events = [{ caseId: 'q2', kind: 'transfer' as const, on: '2025-06-01' }];
    const whole = tally([base, ...quiet], events, period, '2026-05-01');
    const grouped = tally(
      [base],
      events,
      period,
      '2026-05-01',
      undefined,
      [],
      [
        { ids: ['q1', 'q2'], openStatus: 'acknowledged', band: '181+' },
        { ids: ['q3'], openStatus: 'closed_since', band: '181+' },
      ],
    );
    const counts = (t: typeof whole) => JSON.stringify(figuresFrom(t, period, 'council', '2026-05-01'));
    expect(counts(grouped)).toEqual(counts(whole));
    expect(grouped.tally.get('transferred')?.get('')).toEqual(['q2']);
    // A group not open at the end still makes its cases the viewer's (their events count).
    const notOpen = tally(
      [],
      events,
      period,
      '2026-05-01',
      undefined,
      [],
      [{ ids: ['q2'], openStatus: null, band: null }],
    );
    expect(notOpen.tally.get('transferred')?.get('')).toEqual(['q2']);
    expect(notOpen.tally.has('openByStatus')).toBe(false);
  });

  it('counts the period\'s reports by mode, those without a recorded mode as not recorded', () => {
    const sut = tally(
      [
        { ...base, id: 'a', mode: 'anonymous' },
        { ...base, id: 'b', mode: 'confidential' },
        { ...base, id: 'c', mode: 'open' },
        { ...base, id: 'd', mode: 'anonymous' },
        { ...base, id: 'e', mode: null },
        // Received before the period: not a report of it, whatever its mode.
        { ...base, id: 'f', mode: 'open', receivedOn: '2025-03-31' },
      ],
      [],
      period,
      '2026-04-10',
    );
    expect(sut.tally.get('byMode')?.get('anonymous')).toEqual(['a', 'd']);
    const f = figuresFrom(sut, period, 'council', '2026-04-10');
    expect(f.mode).toEqual({
      available: true,
      rows: [
        { key: 'anonymous', label: 'Anonymous', count: 2 },
        { key: 'confidential', label: 'Confidential', count: 1 },
        { key: 'open', label: 'Open', count: 1 },
        { key: 'not_recorded', label: 'Mode not recorded', count: 1 },
      ],
    });
    expect(drillTitle('byMode', 'open')).toBe('Reports received by mode: open');
  });

  it('gives no reports by mode for a period none of whose reports has its mode recorded', () => {
    const f = figuresFrom(tally([base], [], period, '2026-04-10'), period, 'council', '2026-04-10');
    expect(f.mode).toEqual({ available: false, reason: expect.stringMatching(/installed/) });
  });
});
