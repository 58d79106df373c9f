import fc from 'fast-check';
import { caseCountsFor, figureScopeFor } from './figure-visibility';
import {
  ageBand,
  daysBetween,
  financialYearLabel,
  financialYearOf,
  median,
  monthsOf,
  percentage,
  percentile,
  validatePeriod,
} from './statistics';

describe('figure statistics', () => {
  it('puts 31 March in the financial year before and 1 April in the next', () => {
    expect(financialYearOf('2026-03-31')).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(financialYearOf('2026-04-01')).toEqual({ from: '2026-04-01', to: '2027-03-31' });
    expect(financialYearLabel(financialYearOf('2026-01-10'))).toBe('2025-26');
  });

  it('takes the median of an odd and an even count, and the 90th percentile by nearest rank', () => {
    expect(median([7, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([4], 90)).toBe(4);
  });

  it('should give a percentile that is one of the values and never below the median', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 400 }), { minLength: 1, maxLength: 50 }), (values) => {
        const p90 = percentile(values, 90) as number;
        expect(values).toContain(p90);
        expect(p90).toBeGreaterThanOrEqual(Math.floor(median(values) as number));
      }),
    );
  });

  it('counts days, bands ages and lists months', () => {
    expect(daysBetween('2025-04-01', '2025-04-08')).toBe(7);
    expect(ageBand(7)).toBe('0-7');
    expect(ageBand(8)).toBe('8-30');
    expect(ageBand(500)).toBe('181+');
    expect(monthsOf({ from: '2025-11-15', to: '2026-02-01' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(percentage(1, 3)).toBe(33.3);
    expect(percentage(0, 0)).toBeNull();
  });

  it('refuses a period that is not two dates in order', () => {
    expect(validatePeriod('2025-04-01', '2026-03-31')).toEqual([]);
    expect(validatePeriod('2026-04-01', '2025-03-31')).toEqual(['from must not be after to.']);
    expect(validatePeriod('yesterday', undefined)).toHaveLength(2);
  });
});

describe('figure visibility', () => {
  it('gives the monitoring officer the council, handlers their own cases, the chair the summary and administrators nothing', () => {
    expect(figureScopeFor(['monitoring_officer'])).toBe('council');
    expect(figureScopeFor(['deputy_monitoring_officer'])).toBe('council');
    expect(figureScopeFor(['investigator'])).toBe('own');
    expect(figureScopeFor(['s151_officer'])).toBe('own');
    expect(figureScopeFor(['audit_committee_chair'])).toBe('summary');
    expect(figureScopeFor(['administrator', 'monitoring_officer'])).toBe('none');
  });

  it('should never count a case that excludes the viewer, whatever the scope', () => {
    fc.assert(
      fc.property(fc.constantFrom('council', 'own', 'summary', 'none' as const), fc.boolean(), (scope, grant) => {
        expect(caseCountsFor(scope, { viewerHoldsGrant: grant, viewerExcluded: true })).toBe(false);
      }),
    );
  });
});
