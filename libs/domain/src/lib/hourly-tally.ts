/**
 * Errors answered to reporters, counted and written only once their clock hour is over, and database
 * saturations that recur within an hour written as errors. A log line carries the time to the
 * millisecond, and nothing Nolan keeps may place a reporter's action closer than the hour
 * (docs/architecture.md "Logs and the reporter's cookie"); the API's exception filter, its settings
 * warnings read at intake, and the portal's pages for reporters all count here
 * (docs/abuse-resistance.md "What an error's log line holds"). No I/O: the caller says how to write a
 * count and how to wait for the hour's turn.
 */

const HOUR_MS = 3_600_000;

/**
 * Postgres too saturated to answer in time: a lock not had within its `lock_timeout` (55P03), a statement
 * cancelled by its `statement_timeout` or an operator (57014). Answered as a 503 and logged as a warning,
 * since under a passing load it is one; but the same error again and again in an hour is a fault to look
 * at (a missing index, a lock held for good), so from RECURRING_SATURATION_PER_HOUR in one clock hour on
 * it is logged as an error (docs/abuse-resistance.md "What an error's log line holds").
 */
const SATURATION_CODES = new Set(['55P03', '57014']);
export const RECURRING_SATURATION_PER_HOUR = 10;

export function isSaturation(fields: object): boolean {
  const code = (fields as { code?: unknown }).code;
  return typeof code === 'string' && SATURATION_CODES.has(code);
}

/**
 * The level a warning is written at, once its kind has recurred `count` times in its hour: a saturation
 * seen RECURRING_SATURATION_PER_HOUR times or more is an error; anything else keeps its level.
 */
export function levelFor(level: ErrorLogLevel, fields: object, count: number): ErrorLogLevel {
  return level === 'warn' && isSaturation(fields) && count >= RECURRING_SATURATION_PER_HOUR ? 'error' : level;
}

/** How many kinds of error (level, line and fields) one tally keeps apart. */
export const MAX_KINDS = 100;

export type ErrorLogLevel = 'warn' | 'error';

/** A timer as setTimeout returns it, in Node or a browser. */
export type Timer = ReturnType<typeof setTimeout>;

interface Counted {
  level: ErrorLogLevel;
  line: string;
  fields: object;
  /** The start of the hour the errors were in. */
  hour: number;
  count: number;
}

/**
 * Counts of errors answered on reporter routes, each written once its hour is over (see above): one line
 * per level, line and fields, with `count` and `hour` (the hour the errors were in) added; saturations
 * counted RECURRING_SATURATION_PER_HOUR times or more in their hour, of every kind together, are written
 * as errors. The timer runs
 * outside any request's context, so the line carries no request id, and it is unref'd: it never keeps a
 * process alive, and a process that stops mid-hour writes nothing of that hour (the reporters were
 * answered; only this count is lost).
 */
export class HourlyErrorTally {
  private readonly counts = new Map<string, Counted>();
  private timer: Timer | undefined;

  constructor(
    private readonly write: (level: ErrorLogLevel, fields: object, line: string) => void,
    private readonly now: () => number = Date.now,
    /** Calls `run` after `ms` (the API runs it outside every request's context). */
    private readonly later: (run: () => void, ms: number) => Timer = (run, ms) => setTimeout(run, ms),
  ) {}

  add(level: ErrorLogLevel, line: string, given: object): void {
    const hour = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
    let fields = given;
    let key = JSON.stringify([hour, level, line, fields]);
    // At most MAX_KINDS kinds an hour are kept apart; any more are counted together, so errors whose
    // text varies can never grow this without bound.
    if (!this.counts.has(key) && this.counts.size >= MAX_KINDS) {
      fields = { errorType: 'other' };
      key = JSON.stringify([hour, level, line, fields]);
    }
    const known = this.counts.get(key);
    if (known) known.count += 1;
    else this.counts.set(key, { level, line, fields, hour, count: 1 });
    this.schedule();
  }

  /** Writes every count now, whatever its hour, and starts again (for tests: the hour's turn comes by itself). */
  flush(): void {
    this.writeWhere(() => true);
  }

  /** How many errors wait to be written (for tests). */
  get pending(): number {
    let n = 0;
    for (const { count } of this.counts.values()) n += count;
    return n;
  }

  private schedule(): void {
    if (this.timer || this.counts.size === 0) return;
    let first = Infinity;
    for (const counted of this.counts.values()) first = Math.min(first, counted.hour);
    const wait = Math.max(0, first + HOUR_MS - this.now());
    this.timer = this.later(() => {
      this.timer = undefined;
      const current = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
      this.writeWhere((c) => c.hour < current);
      this.schedule();
    }, wait);
    this.timer.unref?.();
  }

  private writeWhere(due: (counted: Counted) => boolean): void {
    // Saturations of every kind (a lock timeout, a cancelled statement) in each hour, counted together as
    // on staff routes: recurring, each kind of them is written as an error (see levelFor).
    const saturations = new Map<number, number>();
    for (const counted of this.counts.values())
      if (due(counted) && isSaturation(counted.fields))
        saturations.set(counted.hour, (saturations.get(counted.hour) ?? 0) + counted.count);
    for (const [key, counted] of this.counts) {
      if (!due(counted)) continue;
      this.counts.delete(key);
      const { level, line, fields, hour, count } = counted;
      this.write(
        levelFor(level, fields, saturations.get(hour) ?? count),
        { ...fields, count, hour: new Date(hour).toISOString() },
        line,
      );
    }
    if (this.counts.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
