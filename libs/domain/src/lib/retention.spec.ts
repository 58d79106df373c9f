import { retainUntil } from './retention';

describe('retention', () => {
  it('keeps proven fraud six years plus the current year, unproven fraud one year plus the current year', () => {
    expect(retainUntil('fraud_theft', 'substantiated', '2026-03-15')).toBe('2032-12-31');
    expect(retainUntil('bribery_corruption', 'partially_substantiated', '2026-12-31')).toBe('2032-12-31');
    expect(retainUntil('fraud_theft', 'not_substantiated', '2026-03-15')).toBe('2027-12-31');
    expect(retainUntil('misuse_of_public_funds', 'withdrawn', '2026-03-15')).toBe('2027-12-31');
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
});
