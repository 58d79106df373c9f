// The clocks' states under a council's policy (docs/dashboard.md "The council's SLA policy"): known days
// first (the badges' examples, which lived beside the portal's copy of this rule until the API sent the
// states), then properties: "due soon" starts the day the SLA timers send the reminder, for any policy a
// council may store, and the deadline filter's dates agree with the states for any case and day.
import fc from 'fast-check';
import { CATEGORIES } from './categories';
import { checkCouncilSlaPolicy } from './council-sla';
import { addCalendarDays, compareLocalDates, fromDayNumber, type LocalDate, toDayNumber } from './local-date';
import { computeSlaDates, type SlaPolicy } from './sla';
import {
  acknowledgementReminderDay,
  deadlineThresholds,
  type DeadlineThresholds,
  type SlaClockCase,
  slaClocks,
} from './sla-clocks';

const mostUrgent = (c: SlaClockCase, today: LocalDate, policy?: SlaPolicy) =>
  slaClocks(c, today, policy)[0] ?? null;

describe('the SLA clocks under the default policy', () => {
  // A standard case received on Monday 2 March 2026: acknowledge by 9 March, reminder on 7 March.
  const dates = computeSlaDates({ receivedOn: '2026-03-02', clock: 'standard' });
  const received = {
    category: 'fraud_theft',
    status: 'received',
    receivedOn: '2026-03-02',
    acknowledgementDue: dates.acknowledgementDue,
    feedbackDue: dates.feedbackDue,
  };

  it('says "due soon" from the day the domain sends the acknowledgement reminder, and "overdue" the day after the deadline', () => {
    expect(dates.acknowledgementDue).toBe('2026-03-09');
    expect(slaClocks(received, '2026-03-06')).toEqual([
      { clock: 'acknowledgement', state: 'on_track', due: '2026-03-09' },
      { clock: 'feedback', state: 'on_track', due: dates.feedbackDue },
    ]);
    expect(mostUrgent(received, dates.acknowledgementReminder)).toEqual({
      clock: 'acknowledgement',
      state: 'due_soon',
      due: '2026-03-09',
    });
    expect(mostUrgent(received, '2026-03-09')?.state).toBe('due_soon');
    expect(mostUrgent(received, '2026-03-10')).toEqual({
      clock: 'acknowledgement',
      state: 'overdue',
      due: '2026-03-09',
    });
    expect(mostUrgent(received, '2026-03-08')?.state).toBe('due_soon');
    expect(mostUrgent(received, '2026-03-03')?.state).toBe('on_track');
  });

  it('follows the feedback clock once the case is acknowledged, with the reminder two weeks before', () => {
    const ack = computeSlaDates({
      receivedOn: '2026-03-02',
      acknowledgedOn: '2026-03-04',
      clock: 'standard',
    });
    const acknowledged = { ...received, status: 'assessment', feedbackDue: ack.feedbackDue };
    expect(slaClocks(acknowledged, '2026-03-20')).toEqual([
      { clock: 'feedback', state: 'on_track', due: '2026-06-04' },
    ]);
    expect(mostUrgent(acknowledged, ack.feedbackReminder)?.state).toBe('due_soon');
    expect(mostUrgent(acknowledged, '2026-06-05')?.state).toBe('overdue');
    expect(slaClocks({ ...acknowledged, feedbackGivenOn: '2026-05-01' }, '2026-06-05')).toEqual([]);
  });

  it('shows the safeguarding referral clock for a safeguarding case, due the next working day', () => {
    const safeguarding = { ...received, category: 'safeguarding_children' };
    const clocks = slaClocks(safeguarding, '2026-03-02');
    expect(clocks[0]).toEqual({ clock: 'safeguarding_referral', state: 'due_soon', due: '2026-03-03' });
    expect(mostUrgent(safeguarding, '2026-03-04')).toEqual({
      clock: 'safeguarding_referral',
      state: 'overdue',
      due: '2026-03-03',
    });
  });

  it('runs no clock on a closed case', () => {
    expect(slaClocks({ ...received, status: 'closed' }, '2027-01-01')).toEqual([]);
  });
});

describe("the SLA clocks under a council's stricter policy", () => {
  const strict = checkCouncilSlaPolicy({
    acknowledgementDays: 3,
    acknowledgementUnit: 'working',
    acknowledgementReminderDaysBefore: 2,
    feedbackReminderDaysBefore: 21,
  });
  if (!strict.ok) throw new Error(strict.problems.join(' '));
  const policy = strict.policy;
  // Received on Thursday 5 March 2026: acknowledge by Tuesday 10 March; the reminder is on Friday 6.
  const dates = computeSlaDates({ receivedOn: '2026-03-05', clock: 'standard', policy });
  const received = {
    category: 'fraud_theft',
    status: 'received',
    receivedOn: '2026-03-05',
    acknowledgementDue: dates.acknowledgementDue,
    feedbackDue: dates.feedbackDue,
  };

  it('counts the acknowledgement reminder in working days, as the council set it', () => {
    expect(dates.acknowledgementDue).toBe('2026-03-10');
    expect(dates.acknowledgementReminder).toBe('2026-03-06');
    expect(acknowledgementReminderDay('2026-03-10', policy)).toBe('2026-03-06');
    expect(mostUrgent(received, '2026-03-05', policy)?.state).toBe('on_track');
    // Friday, the weekend and Monday are all "due soon"; the default (2 calendar days) would wait for Sunday.
    expect(mostUrgent(received, '2026-03-06', policy)).toEqual({
      clock: 'acknowledgement',
      state: 'due_soon',
      due: '2026-03-10',
    });
    expect(mostUrgent(received, '2026-03-06')?.state).toBe('on_track');
    expect(mostUrgent(received, '2026-03-11', policy)?.state).toBe('overdue');
  });

  it('warns of feedback three weeks before its deadline', () => {
    const acknowledged = { ...received, status: 'assessment', feedbackDue: '2026-06-10' };
    expect(mostUrgent(acknowledged, '2026-05-20', policy)).toEqual({
      clock: 'feedback',
      state: 'due_soon',
      due: '2026-06-10',
    });
    expect(mostUrgent(acknowledged, '2026-05-19', policy)?.state).toBe('on_track');
    // The default policy's reminder is two weeks before, on 27 May.
    expect(mostUrgent(acknowledged, '2026-05-20')?.state).toBe('on_track');
  });
});

const day = (from: string, to: string) =>
  fc.integer({ min: toDayNumber(from), max: toDayNumber(to) }).map((n) => fromDayNumber(n));

/** Any policy a council may store (checkCouncilSlaPolicy accepts it). */
const councilPolicy = fc
  .record({
    acknowledgementUnit: fc.constantFrom('calendar' as const, 'working' as const),
    acknowledgementDays: fc.integer({ min: 1, max: 7 }),
    acknowledgementReminderDaysBefore: fc.integer({ min: 0, max: 6 }),
    feedbackMonths: fc.integer({ min: 1, max: 3 }),
    feedbackReminderDaysBefore: fc.integer({ min: 0, max: 27 }),
    safeguardingReferralWorkingDays: fc.integer({ min: 1, max: 10 }),
    extraClosureDays: fc.array(day('2025-11-01', '2026-03-31'), { maxLength: 30 }),
  })
  .map((p) => ({
    ...p,
    acknowledgementDays:
      p.acknowledgementUnit === 'working' ? Math.min(p.acknowledgementDays, 5) : p.acknowledgementDays,
  }))
  .map((p) => ({
    ...p,
    acknowledgementReminderDaysBefore: Math.min(
      p.acknowledgementReminderDaysBefore,
      p.acknowledgementDays - 1,
    ),
  }))
  .map((p) => {
    const checked = checkCouncilSlaPolicy(p);
    if (!checked.ok) throw new Error(checked.problems.join(' '));
    return checked.policy;
  });

/** The case list query's condition (apps/api/src/cases/store/cases.repository.ts), over one case. */
function inFilter(t: DeadlineThresholds, c: SlaClockCase): boolean {
  const le = (a: LocalDate, b: LocalDate) => compareLocalDates(a, b) <= 0;
  return (
    (c.status === 'received' && le(c.acknowledgementDue, t.acknowledgementBy)) ||
    (c.status !== 'closed' && !c.feedbackGivenOn && le(c.feedbackDue, t.feedbackBy)) ||
    (c.status === 'received' &&
      t.safeguardingCategories.includes(c.category) &&
      (t.safeguardingReceivedBy === null || le(c.receivedOn, t.safeguardingReceivedBy)))
  );
}

describe('the SLA clocks, for any council policy', () => {
  it('says "due soon" from the day the SLA timers send the acknowledgement reminder, and "overdue" after the deadline', () => {
    fc.assert(
      fc.property(
        councilPolicy,
        day('2025-11-01', '2026-02-28'),
        fc.integer({ min: 0, max: 20 }),
        (policy, receivedOn, after) => {
          const dates = computeSlaDates({ receivedOn, clock: 'standard', policy });
          const today = addCalendarDays(receivedOn, after);
          const c = { category: 'other', status: 'received', receivedOn, ...dates };
          const ack = slaClocks(c, today, policy).find((k) => k.clock === 'acknowledgement');
          const expected =
            compareLocalDates(today, dates.acknowledgementDue) > 0
              ? 'overdue'
              : compareLocalDates(today, dates.acknowledgementReminder) >= 0
                ? 'due_soon'
                : 'on_track';
          expect(ack?.state).toBe(expected);
        },
      ),
    );
  });

  it('never leaves out of the deadline filter a case it calls overdue or due soon, and never lets in one on track', () => {
    const statuses = ['received', 'acknowledged', 'assessment', 'investigation', 'reopened', 'closed'];
    const categories = CATEGORIES.map((c) => c.id);
    fc.assert(
      fc.property(
        councilPolicy,
        day('2025-11-01', '2026-02-28'),
        fc.integer({ min: -40, max: 40 }),
        fc.integer({ min: -40, max: 120 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(...statuses),
        fc.constantFrom(...categories),
        fc.boolean(),
        (policy, today, ackOffset, feedbackOffset, age, status, category, feedbackGiven) => {
          const c: SlaClockCase = {
            category,
            status,
            receivedOn: addCalendarDays(today, -age),
            acknowledgementDue: addCalendarDays(today, ackOffset),
            feedbackDue: addCalendarDays(today, feedbackOffset),
            feedbackGivenOn: feedbackGiven ? addCalendarDays(today, -1) : null,
          };
          const states = slaClocks(c, today, policy).map((k) => k.state);
          expect(inFilter(deadlineThresholds('overdue', today, policy), c)).toBe(states.includes('overdue'));
          expect(inFilter(deadlineThresholds('due_soon', today, policy), c)).toBe(
            states.some((s) => s !== 'on_track'),
          );
        },
      ),
    );
  });
});
