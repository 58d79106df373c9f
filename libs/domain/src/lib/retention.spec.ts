import fc from 'fast-check';
import { CATEGORY_IDS } from './categories';
import { CASE_OUTCOMES } from './lifecycle';
import { retainUntil, retentionRuleFor, validateRetentionPolicy } from './retention';

describe('retention', () => {
  it('keeps proven fraud six years plus the current year, unproven fraud one year plus the current year', () => {
    expect(retainUntil('fraud_theft', 'substantiated', '2026-03-15')).toBe('2032-12-31');
    expect(retainUntil('bribery_corruption', 'partially_substantiated', '2026-12-31')).toBe('2032-12-31');
    expect(retainUntil('fraud_theft', 'not_substantiated', '2026-03-15')).toBe('2027-12-31');
    expect(retainUntil('misuse_of_public_funds', 'withdrawn', '2026-03-15')).toBe('2027-12-31');
  });

  it('keeps a duplicate as long as the proven case it may be a second account of', () => {
    expect(retainUntil('fraud_theft', 'duplicate', '2026-03-15')).toBe('2032-12-31');
    expect(retainUntil('gifts_hospitality', 'duplicate', '2026-02-28')).toBe('2032-02-28');
    expect(retainUntil('safeguarding_children', 'duplicate', '2026-02-28')).toBe('2036-02-28');
  });

  it('keeps code-of-conduct files six years from the determination, safeguarding ten', () => {
    expect(retainUntil('gifts_hospitality', 'substantiated', '2026-02-28')).toBe('2032-02-28');
    expect(retainUntil('safeguarding_children', 'not_substantiated', '2026-02-28')).toBe('2036-02-28');
  });

  it('lets a tenant override by category, and more specifically by category and outcome', () => {
    const policy = {
      gifts_hospitality: { years: 3, untilEndOfYear: false },
      'gifts_hospitality:withdrawn': { years: 1, untilEndOfYear: true },
    };
    expect(retainUntil('gifts_hospitality', 'substantiated', '2026-05-01', policy)).toBe('2029-05-01');
    expect(retainUntil('gifts_hospitality', 'withdrawn', '2026-05-01', policy)).toBe('2027-12-31');
  });

  it('accepts overrides by category and by category and outcome, and they then decide', () => {
    const checked = validateRetentionPolicy({
      gifts_hospitality: { years: 3, untilEndOfYear: false },
      'fraud_theft:not_substantiated': { years: 2, untilEndOfYear: true },
    });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(retainUntil('fraud_theft', 'not_substantiated', '2026-03-15', checked.value)).toBe('2028-12-31');
    expect(retainUntil('fraud_theft', 'substantiated', '2026-03-15', checked.value)).toBe('2032-12-31');
    expect(retentionRuleFor('gifts_hospitality', 'withdrawn', checked.value)).toEqual({
      years: 3,
      untilEndOfYear: false,
    });
  });

  it('refuses an override that is not a category or outcome, or keeps a case under a year, naming each by its path', () => {
    const checked = validateRetentionPolicy({
      parking: { years: 3, untilEndOfYear: false },
      'fraud_theft:proven': { years: 3, untilEndOfYear: false },
      'fraud_theft:': { years: 3, untilEndOfYear: false },
      gifts_hospitality: { years: 0, untilEndOfYear: false },
      'bias_discrimination:withdrawn': { years: 2.5, untilEndOfYear: 'yes', months: 3 },
      other: 'six years',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual([
      expect.stringMatching(/^overrides\.parking: "parking" is not a category/),
      expect.stringMatching(/^overrides\.fraud_theft:proven: "proven" is not an outcome/),
      expect.stringMatching(/^overrides\.fraud_theft:: "" is not an outcome/),
      expect.stringMatching(/^overrides\.gifts_hospitality\.years must be a whole number from 1 to 100/),
      expect.stringMatching(/^overrides\.bias_discrimination:withdrawn\.years must be a whole number/),
      'overrides.bias_discrimination:withdrawn.untilEndOfYear must be true or false.',
      'overrides.bias_discrimination:withdrawn.months is not a retention setting; use years and untilEndOfYear.',
      'overrides.other must be an object with years and untilEndOfYear.',
    ]);
    expect(validateRetentionPolicy([])).toEqual({
      ok: false,
      errors: ['overrides must be an object keyed by category or category:outcome.'],
    });
  });

  it('should never destroy a case under any valid policy before a year after its closure', () => {
    const key = fc.oneof(
      fc.constantFrom(...CATEGORY_IDS),
      fc.tuple(fc.constantFrom(...CATEGORY_IDS), fc.constantFrom(...CASE_OUTCOMES)).map(([c, o]) => `${c}:${o}`),
    );
    const rule = fc.record({ years: fc.integer({ min: 1, max: 100 }), untilEndOfYear: fc.boolean() });
    fc.assert(
      fc.property(
        fc.dictionary(key, rule),
        fc.constantFrom(...CATEGORY_IDS),
        fc.constantFrom(...CASE_OUTCOMES),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }),
        (overrides, category, outcome, closed) => {
          const checked = validateRetentionPolicy(overrides);
          expect(checked.ok).toBe(true);
          if (!checked.ok) return;
          const closedOn = closed.toISOString().slice(0, 10);
          const until = retainUntil(category, outcome, closedOn, checked.value);
          const yearLater = `${Number(closedOn.slice(0, 4)) + 1}${closedOn.slice(4)}`;
          expect(until >= yearLater.replace('-02-29', '-02-28')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
