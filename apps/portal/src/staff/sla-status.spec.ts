import { computeSlaDates, slaClocks as judgedClocks, type SlaClockCase, type LocalDate } from '@nolan/domain';
import { mostUrgentClock as firstSentClock, slaBadge } from './sla-status';

// The badges word what the API sends: libs/domain's slaClocks under the council's policy (here the default),
// so these expectations, written when the portal judged the clocks itself, run through the same path.
const slaClocks = (c: SlaClockCase, today: LocalDate) => judgedClocks(c, today);
const mostUrgentClock = (c: SlaClockCase, today: LocalDate) => firstSentClock({ clocks: slaClocks(c, today) });

describe('the SLA badges', () => {
  // A standard case received on Monday 2 March 2026: acknowledge by 9 March, reminder on 7 March.
  const dates = computeSlaDates({ receivedOn: '2026-03-02', clock: 'standard' });
  const received = {
    category: 'fraud_theft',
    status: 'received',
    receivedOn: '2026-03-02',
    acknowledgementDue: dates.acknowledgementDue,
    acknowledgedOn: null,
    feedbackDue: dates.feedbackDue,
  };

  it('says "due soon" from the day the domain sends the acknowledgement reminder, and "overdue" the day after the deadline', () => {
    expect(dates.acknowledgementDue).toBe('2026-03-09');
    expect(slaClocks(received, '2026-03-06')).toEqual([
      { clock: 'acknowledgement', state: 'on_track', due: '2026-03-09' },
      { clock: 'feedback', state: 'on_track', due: dates.feedbackDue },
    ]);
    expect(mostUrgentClock(received, dates.acknowledgementReminder)).toEqual({
      clock: 'acknowledgement',
      state: 'due_soon',
      due: '2026-03-09',
    });
    expect(mostUrgentClock(received, '2026-03-09')?.state).toBe('due_soon');
    expect(mostUrgentClock(received, '2026-03-10')).toEqual({ clock: 'acknowledgement', state: 'overdue', due: '2026-03-09' });
    expect(slaBadge(mostUrgentClock(received, '2026-03-10'))).toEqual({ text: 'Overdue', classes: 'moj-badge--red' });
    expect(slaBadge(mostUrgentClock(received, '2026-03-08'))).toEqual({ text: 'Due soon', classes: 'moj-badge--purple' });
    expect(slaBadge(mostUrgentClock(received, '2026-03-03'))).toBeNull();
  });

  it('follows the feedback clock once the case is acknowledged, with the reminder two weeks before', () => {
    const ack = computeSlaDates({ receivedOn: '2026-03-02', acknowledgedOn: '2026-03-04', clock: 'standard' });
    const acknowledged = { ...received, status: 'assessment', acknowledgedOn: '2026-03-04', feedbackDue: ack.feedbackDue };
    expect(slaClocks(acknowledged, '2026-03-20')).toEqual([{ clock: 'feedback', state: 'on_track', due: '2026-06-04' }]);
    expect(mostUrgentClock(acknowledged, ack.feedbackReminder)?.state).toBe('due_soon');
    expect(mostUrgentClock(acknowledged, '2026-06-05')?.state).toBe('overdue');
    expect(slaClocks({ ...acknowledged, feedbackGivenOn: '2026-05-01' }, '2026-06-05')).toEqual([]);
  });

  it('shows the safeguarding referral clock for a safeguarding case, due the next working day', () => {
    const safeguarding = { ...received, category: 'safeguarding_children' };
    const clocks = slaClocks(safeguarding, '2026-03-02');
    expect(clocks[0]).toEqual({ clock: 'safeguarding_referral', state: 'due_soon', due: '2026-03-03' });
    expect(mostUrgentClock(safeguarding, '2026-03-04')).toEqual({ clock: 'safeguarding_referral', state: 'overdue', due: '2026-03-03' });
  });

  it('runs no clock on a closed case', () => {
    expect(slaClocks({ ...received, status: 'closed' }, '2027-01-01')).toEqual([]);
    expect(slaBadge(mostUrgentClock({ ...received, status: 'closed' }, '2027-01-01'))).toBeNull();
  });
});


// When a clock is due soon or overdue is libs/domain's rule (sla-clocks.spec.ts); the API sends the states.
describe('the SLA badges', () => {
  const overdue = { clock: 'acknowledgement' as const, state: 'overdue' as const, due: '2026-03-09' };
  const dueSoon = { clock: 'acknowledgement' as const, state: 'due_soon' as const, due: '2026-03-09' };
  const onTrack = { clock: 'feedback' as const, state: 'on_track' as const, due: '2026-06-04' };

  it('words the state the API decided: red for overdue, purple for due soon, none on track', () => {
    expect(slaBadge(overdue)).toEqual({ text: 'Overdue', classes: 'moj-badge--red' });
    expect(slaBadge(dueSoon)).toEqual({ text: 'Due soon', classes: 'moj-badge--purple' });
    expect(slaBadge(onTrack)).toBeNull();
  });

  it('takes the first clock the API sent as the most urgent, and none for a closed case', () => {
    expect(firstSentClock({ clocks: [dueSoon, onTrack] })).toEqual(dueSoon);
    expect(slaBadge(firstSentClock({ clocks: [] }))).toBeNull();
  });
});
