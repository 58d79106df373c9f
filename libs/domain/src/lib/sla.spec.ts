// The SLA calendar (docs/architecture.md "SLA timers"; docs/regulatory.md EU-06, EU-09, UK-22): the deadlines
// workers remind and escalate on. Known dates first, then properties over any receipt date and policy.
import fc from 'fast-check';
import { isBankHoliday } from './bank-holidays';
import { compareLocalDates, isWeekend } from './local-date';
import {
  DEFAULT_SLA_POLICY,
  addWorkingDays,
  computeSlaDates,
  isWorkingDay,
  OWNERSHIP_CONFIRMATION_WORKING_DAYS,
  ownershipConfirmationDue,
  validateSlaPolicy,
  type SlaPolicy,
} from './sla';

describe('SLA calendar', () => {
  it('gives 7 calendar days to acknowledge, with a reminder on day 5', () => {
    const dates = computeSlaDates({ receivedOn: '2025-03-10', clock: 'standard' });
    expect(dates.acknowledgementReminder).toBe('2025-03-15');
    expect(dates.acknowledgementDue).toBe('2025-03-17');
    expect(dates.safeguardingReferralDue).toBeNull();
  });

  it('gives 3 months from the acknowledgement for feedback, reminding two weeks before', () => {
    const dates = computeSlaDates({
      receivedOn: '2025-03-10',
      acknowledgedOn: '2025-03-12',
      clock: 'standard',
    });
    expect(dates.feedbackDue).toBe('2025-06-12');
    expect(dates.feedbackReminder).toBe('2025-05-29');
  });

  it('counts feedback from the end of the 7-day window when no acknowledgement was sent', () => {
    const dates = computeSlaDates({ receivedOn: '2025-03-10', clock: 'standard' });
    expect(dates.feedbackDue).toBe('2025-06-17');
  });

  it('gives a reopened case a new feedback clock of 3 months from the reopening', () => {
    const dates = computeSlaDates({
      receivedOn: '2025-03-10',
      acknowledgedOn: '2025-03-12',
      reopenedOn: '2025-09-01',
      clock: 'standard',
    });
    expect(dates.feedbackDue).toBe('2025-12-01');
    expect(dates.feedbackReminder).toBe('2025-11-17');
    // The acknowledgement clock is untouched: it was met, or missed, long ago.
    expect(dates.acknowledgementDue).toBe('2025-03-17');
    expect(() =>
      computeSlaDates({ receivedOn: '2025-03-10', reopenedOn: '2025-03-09', clock: 'standard' }),
    ).toThrow('reopenedOn cannot be before receivedOn.');
    expect(() =>
      computeSlaDates({ receivedOn: '2025-03-10', reopenedOn: 'last week', clock: 'standard' }),
    ).toThrow('reopenedOn must be a date in the form YYYY-MM-DD.');
  });

  it('should give any reopened case its feedback deadline after the reopening, whenever it was acknowledged', () => {
    fc.assert(
      fc.property(
        receipt,
        fc.option(fc.integer({ min: 0, max: 30 })),
        fc.integer({ min: 0, max: 2000 }),
        policy,
        (receivedOn, ackAfter, reopenAfter, overrides) => {
          const reopenedOn = shift(receivedOn, reopenAfter);
          const dates = computeSlaDates({
            receivedOn,
            acknowledgedOn: ackAfter === null ? null : shift(receivedOn, ackAfter),
            reopenedOn,
            clock: 'standard',
            policy: overrides,
          });
          expect(compareLocalDates(dates.feedbackDue, reopenedOn)).toBeGreaterThan(0);
          expect(dates.feedbackDue).toBe(
            computeSlaDates({ receivedOn, acknowledgedOn: reopenedOn, clock: 'standard', policy: overrides })
              .feedbackDue,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('clamps the feedback deadline to the end of February', () => {
    expect(
      computeSlaDates({ receivedOn: '2025-11-28', acknowledgedOn: '2025-11-30', clock: 'standard' })
        .feedbackDue,
    ).toBe('2026-02-28');
    expect(
      computeSlaDates({ receivedOn: '2027-11-29', acknowledgedOn: '2027-11-30', clock: 'standard' })
        .feedbackDue,
    ).toBe('2028-02-29');
  });

  it('gives safeguarding concerns one working day for the referral, across a weekend and a bank holiday', () => {
    expect(computeSlaDates({ receivedOn: '2025-03-12', clock: 'safeguarding' }).safeguardingReferralDue).toBe(
      '2025-03-13',
    );
    expect(computeSlaDates({ receivedOn: '2025-08-22', clock: 'safeguarding' }).safeguardingReferralDue).toBe(
      '2025-08-26',
    );
  });

  it('gives an assigned handler two working days to confirm ownership, across a weekend and Easter', () => {
    expect(OWNERSHIP_CONFIRMATION_WORKING_DAYS).toBe(2);
    expect(ownershipConfirmationDue('2025-03-10')).toBe('2025-03-12');
    expect(ownershipConfirmationDue('2025-03-14')).toBe('2025-03-18');
    expect(ownershipConfirmationDue('2026-04-02')).toBe('2026-04-08');
    expect(ownershipConfirmationDue('2025-03-10', ['2025-03-11'])).toBe('2025-03-13');
  });

  it('counts working days across Christmas and Easter', () => {
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-23', 5)).toBe('2027-01-04');
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07');
    expect(addWorkingDays('2025-04-17', 2)).toBe('2025-04-23');
    expect(addWorkingDays('2026-12-24', 0)).toBe('2026-12-24');
  });

  it('honours a tenant policy of 5 working days to acknowledge and its own closure days', () => {
    const policy: Partial<SlaPolicy> = {
      acknowledgementDays: 5,
      acknowledgementUnit: 'working',
      extraClosureDays: ['2026-12-29', '2026-12-30', '2026-12-31'],
    };
    const dates = computeSlaDates({ receivedOn: '2026-12-23', clock: 'standard', policy });
    expect(dates.acknowledgementReminder).toBe('2027-01-05');
    expect(dates.acknowledgementDue).toBe('2027-01-07');
    // The statutory 7 days end sooner than the local policy, so feedback counts from them.
    expect(dates.feedbackDue).toBe('2027-03-30');
    expect(isWorkingDay('2026-12-30', policy.extraClosureDays)).toBe(false);
  });

  it('lets a tenant give more months for feedback and an earlier reminder', () => {
    const dates = computeSlaDates({
      receivedOn: '2025-01-06',
      acknowledgedOn: '2025-01-07',
      clock: 'standard',
      policy: { feedbackMonths: 2, feedbackReminderDaysBefore: 21 },
    });
    expect(dates.feedbackDue).toBe('2025-03-07');
    expect(dates.feedbackReminder).toBe('2025-02-14');
  });

  it('refuses an acknowledgement before receipt and a policy that makes no sense, naming the field', () => {
    expect(() =>
      computeSlaDates({ receivedOn: '2025-03-10', acknowledgedOn: '2025-03-09', clock: 'standard' }),
    ).toThrow('acknowledgedOn cannot be before receivedOn.');
    expect(validateSlaPolicy({ ...DEFAULT_SLA_POLICY, feedbackMonths: 0 })).toEqual([
      'feedbackMonths must be a whole number from 1 to 12.',
    ]);
    expect(
      validateSlaPolicy({
        ...DEFAULT_SLA_POLICY,
        acknowledgementUnit: 'fortnights' as 'working',
        extraClosureDays: ['soon'],
      }),
    ).toEqual([
      'acknowledgementUnit must be "calendar" or "working".',
      'extraClosureDays must be a list of dates in the form YYYY-MM-DD.',
    ]);
    expect(() =>
      computeSlaDates({ receivedOn: '2025-03-10', clock: 'standard', policy: { acknowledgementDays: 0 } }),
    ).toThrow('Invalid SLA policy: acknowledgementDays must be a whole number from 1 to 60.');
    expect(validateSlaPolicy(DEFAULT_SLA_POLICY)).toEqual([]);
  });

  const receipt = fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  const policy: fc.Arbitrary<Partial<SlaPolicy>> = fc.record(
    {
      acknowledgementDays: fc.integer({ min: 1, max: 60 }),
      acknowledgementUnit: fc.constantFrom('calendar' as const, 'working' as const),
      acknowledgementReminderDaysBefore: fc.integer({ min: 0, max: 60 }),
      feedbackMonths: fc.integer({ min: 1, max: 12 }),
      feedbackReminderDaysBefore: fc.integer({ min: 0, max: 27 }),
      safeguardingReferralWorkingDays: fc.integer({ min: 1, max: 10 }),
    },
    { requiredKeys: [] },
  );

  it('the due date is never before receipt', () => {
    fc.assert(
      fc.property(
        receipt,
        fc.option(fc.integer({ min: 0, max: 30 })),
        fc.constantFrom('standard' as const, 'safeguarding' as const),
        policy,
        (receivedOn, ackAfter, clock, overrides) => {
          const acknowledgedOn = ackAfter === null ? null : shift(receivedOn, ackAfter);
          const dates = computeSlaDates({ receivedOn, acknowledgedOn, clock, policy: overrides });
          for (const date of [
            dates.acknowledgementReminder,
            dates.acknowledgementDue,
            dates.feedbackReminder,
            dates.feedbackDue,
            dates.safeguardingReferralDue ?? receivedOn,
          ]) {
            expect(compareLocalDates(date, receivedOn)).toBeGreaterThanOrEqual(0);
          }
          expect(
            compareLocalDates(dates.acknowledgementReminder, dates.acknowledgementDue),
          ).toBeLessThanOrEqual(0);
          expect(compareLocalDates(dates.feedbackReminder, dates.feedbackDue)).toBeLessThanOrEqual(0);
          expect(compareLocalDates(dates.acknowledgementDue, receivedOn)).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a working-day due date is never a weekend or bank holiday', () => {
    fc.assert(
      fc.property(receipt, fc.integer({ min: 1, max: 30 }), (receivedOn, days) => {
        const due = computeSlaDates({
          receivedOn,
          clock: 'safeguarding',
          policy: {
            acknowledgementDays: days,
            acknowledgementUnit: 'working',
            acknowledgementReminderDaysBefore: 0,
          },
        });
        for (const date of [due.acknowledgementDue, due.safeguardingReferralDue as string]) {
          expect(isWeekend(date)).toBe(false);
          expect(isBankHoliday(date)).toBe(false);
          expect(compareLocalDates(date, receivedOn)).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should count exactly n working days between a date and n working days after it', () => {
    fc.assert(
      fc.property(receipt, fc.integer({ min: 0, max: 40 }), (start, n) => {
        const end = addWorkingDays(start, n);
        let counted = 0;
        for (let d = shift(start, 1); compareLocalDates(d, end) <= 0; d = shift(d, 1)) {
          if (!isWeekend(d) && !isBankHoliday(d)) counted += 1;
        }
        expect(counted).toBe(n);
      }),
      { numRuns: 200 },
    );
  });
});

function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
