import { Clock } from '../../apps/api/src/sla/clock';

/**
 * The clock the API and the workers read (`Clock`), for tests that move time instead of waiting: the real
 * one, moved by an offset the test sets, so time still passes between two readings.
 */
export class MovableClock extends Clock {
  private offset = 0;

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** From now on reads `instant`, running on from there. */
  setTo(instant: Date): void {
    this.offset = instant.getTime() - Date.now();
  }

  advance(ms: number): void {
    this.offset += ms;
  }
}
