/** The time, injected so SLA timers can be tested by moving the clock rather than by sleeping. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
