import fc from 'fast-check';
import { BATCH_MINUTES_CHOICES, batchRelease, DEFAULT_BATCH_MINUTES, isBatchMinutes } from './reporter-batch';

describe('batchRelease', () => {
  it('releases an action at minute 17 at the top of the next hour by default', () => {
    expect(batchRelease(new Date('2026-12-06T10:17:42.123Z'), DEFAULT_BATCH_MINUTES).toISOString()).toBe(
      '2026-12-06T11:00:00.000Z',
    );
  });

  it('waits for the next boundary when the action falls exactly on one', () => {
    expect(batchRelease(new Date('2026-12-06T10:00:00.000Z'), 60).toISOString()).toBe(
      '2026-12-06T11:00:00.000Z',
    );
  });

  it('uses the shorter batch a council chose', () => {
    expect(batchRelease(new Date('2026-12-06T10:17:42.123Z'), 15).toISOString()).toBe(
      '2026-12-06T10:30:00.000Z',
    );
  });

  it('refuses a batch below the floor or one that does not divide the hour', () => {
    for (const minutes of [0, 1, 5, 10, 25, 45, 90]) {
      expect(isBatchMinutes(minutes)).toBe(false);
      expect(() => batchRelease(new Date(), minutes)).toThrow(/15, 20, 30, 60/);
    }
  });

  it('is a boundary after the action, at most one batch later, the same for every action in the batch', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.constantFrom(...BATCH_MINUTES_CHOICES),
        fc.integer({ min: 0, max: 59 * 60_000 }),
        (instant, minutes, later) => {
          const release = batchRelease(instant, minutes);
          const length = minutes * 60_000;
          expect(release.getTime()).toBeGreaterThan(instant.getTime());
          expect(release.getTime() - instant.getTime()).toBeLessThanOrEqual(length);
          expect(release.getTime() % length).toBe(0);
          const other = new Date(release.getTime() - length + (later % length));
          expect(batchRelease(other, minutes)).toEqual(release);
        },
      ),
    );
  });
});
