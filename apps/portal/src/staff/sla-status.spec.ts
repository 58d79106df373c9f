import { mostUrgentClock, slaBadge } from './sla-status';

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
    expect(mostUrgentClock({ clocks: [dueSoon, onTrack] })).toEqual(dueSoon);
    expect(slaBadge(mostUrgentClock({ clocks: [] }))).toBeNull();
  });
});
