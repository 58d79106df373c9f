/**
 * Reporter time (docs/architecture.md "Reporter time"): everything a reporter's action causes downstream
 * becomes visible only at the next batch boundary, so every time derived from it is the batch's time.
 * Pure functions; apps/api/src/reporter-time/reporter-time.ts applies them.
 */

/** The default batch: hourly, the precision Nolan promises for a reporter's actions. */
export const DEFAULT_BATCH_MINUTES = 60;

/**
 * The batches a council may choose. The floor is 15 minutes: a shorter batch tells handlers sooner but
 * places a reporter's action within that many minutes, which a proxy log of who reached the portal
 * narrows to few people; each choice divides the hour so boundaries fall on the same minutes every hour.
 */
export const BATCH_MINUTES_CHOICES = [15, 20, 30, 60] as const;
export type BatchMinutes = (typeof BATCH_MINUTES_CHOICES)[number];

export function isBatchMinutes(value: unknown): value is BatchMinutes {
  return typeof value === 'number' && (BATCH_MINUTES_CHOICES as readonly number[]).includes(value);
}

/**
 * The first batch boundary strictly after `instant`: boundaries are whole multiples of the batch since
 * the epoch (UTC), so with the hourly batch they are the top of each hour. Strictly after, so an action
 * exactly on a boundary waits for the next one and never shares a boundary's time with its own.
 */
export function batchRelease(instant: Date, minutes: number): Date {
  if (!isBatchMinutes(minutes))
    throw new Error(`a batch is one of ${BATCH_MINUTES_CHOICES.join(', ')} minutes`);
  const length = minutes * 60_000;
  return new Date(Math.floor(instant.getTime() / length) * length + length);
}
