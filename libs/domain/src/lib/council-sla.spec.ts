import fc from 'fast-check';
import { checkCouncilSlaPolicy } from './council-sla';
import { DEFAULT_SLA_POLICY } from './sla';

describe('a council SLA policy', () => {
  it('accepts the defaults and a stricter working-days policy', () => {
    expect(checkCouncilSlaPolicy({})).toEqual({ ok: true, policy: DEFAULT_SLA_POLICY });
    const stricter = checkCouncilSlaPolicy({
      acknowledgementDays: 5,
      acknowledgementUnit: 'working',
      feedbackMonths: 2,
    });
    expect(stricter).toEqual({
      ok: true,
      policy: {
        ...DEFAULT_SLA_POLICY,
        acknowledgementDays: 5,
        acknowledgementUnit: 'working',
        feedbackMonths: 2,
      },
    });
  });

  it('names every problem, unknown fields and looser clocks included', () => {
    expect(checkCouncilSlaPolicy({ acknowledgementDays: 10, colour: 'red' })).toEqual({
      ok: false,
      problems: [
        'colour is not an SLA setting (use acknowledgementDays, acknowledgementUnit, acknowledgementReminderDaysBefore, feedbackMonths, feedbackReminderDaysBefore, safeguardingReferralWorkingDays, extraClosureDays).',
      ],
    });
    expect(checkCouncilSlaPolicy({ acknowledgementDays: 10 })).toEqual({
      ok: false,
      problems: [
        'acknowledgementDays can be at most 7 calendar days: a council may shorten the statutory clock, not lengthen it.',
      ],
    });
    expect(checkCouncilSlaPolicy({ feedbackMonths: 4 })).toMatchObject({ ok: false });
    expect(checkCouncilSlaPolicy([])).toMatchObject({ ok: false });
  });

  it('never accepts a policy looser than the statutory clocks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 70 }),
        fc.constantFrom('calendar', 'working'),
        fc.integer({ min: 0, max: 14 }),
        (days, unit, months) => {
          const result = checkCouncilSlaPolicy({
            acknowledgementDays: days,
            acknowledgementUnit: unit,
            feedbackMonths: months,
            acknowledgementReminderDaysBefore: 0,
          });
          if (result.ok) {
            expect(result.policy.acknowledgementDays).toBeLessThanOrEqual(unit === 'working' ? 5 : 7);
            expect(result.policy.feedbackMonths).toBeLessThanOrEqual(3);
          }
        },
      ),
    );
  });
});
