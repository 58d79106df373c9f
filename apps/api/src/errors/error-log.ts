/**
 * What the exception filter logs about an error it answers with a 5xx (docs/abuse-resistance.md "What an
 * error's log line holds"): its class, its code (a Postgres SQLSTATE such as 57014, a Node or driver code
 * such as ECONNRESET) and its message, so that an operator can tell a saturated pool from a deadlock or a
 * bug without a stack trace. Never the request, its body or its headers.
 *
 * On a reporter's route nothing is written when the error happens: a log line carries the time to the
 * millisecond, and nothing Nolan keeps may place a reporter's action closer than the hour
 * (docs/architecture.md "Logs and the reporter's cookie"). Those errors are counted instead, by class,
 * code and message, and each count is written once, at the turn of the hour (`HourlyErrorTally`).
 */
import { AsyncResource } from 'node:async_hooks';
import { AppError } from './app-error';

export interface ErrorLogFields {
  errorType: string;
  code?: string;
  error: string;
}

/**
 * Longest message written. A message is kept only up to its first quote, backtick, parenthesis or colon:
 * what follows is where messages put what they were given (Node's JSON.parse quotes its input, Postgres
 * the value it could not read, Node's argument checks the value received), and on this path that can be
 * a report's words or a receipt, however short, and however it is quoted or escaped. A constraint's or
 * column's name goes with it; the class and SQLSTATE still tell an operator what happened.
 */
const MAX_LOGGED_MESSAGE = 200;
const GIVEN_FROM = /["'`(:]/;

/**
 * The class, code and message of `exception`, from the error itself or the driver's error TypeORM wraps.
 * The message is cut before anything it may quote (see MAX_LOGGED_MESSAGE) and clipped. Never throws.
 */
export function errorLogFields(exception: unknown): ErrorLogFields {
  if (!(exception instanceof Error)) return { errorType: typeof exception, error: 'not an Error' };
  const driver = (exception as { driverError?: unknown }).driverError;
  const codeOf = (e: unknown) => {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : undefined;
  };
  const code = exception instanceof AppError ? exception.code : (codeOf(exception) ?? codeOf(driver));
  const full = typeof exception.message === 'string' ? exception.message : '';
  const kept = (full.split(GIVEN_FROM)[0] ?? '').replace(/\s+/g, ' ').trim();
  const message = kept.length < full.trim().length ? `${kept}…` : kept;
  return {
    errorType: exception.name,
    ...(code ? { code } : {}),
    error: message.length > MAX_LOGGED_MESSAGE ? `${message.slice(0, MAX_LOGGED_MESSAGE - 1)}…` : message,
  };
}

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

function isSaturation(fields: object): boolean {
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

/**
 * Saturation errors answered on staff routes, counted in the clock hour they are answered in, so that
 * their log line (written at once: staff time is not the reporters') becomes an error from the
 * RECURRING_SATURATION_PER_HOUR-th of the hour on. Reporter routes' errors are never counted here: a
 * staff line turning into an error would then say that a reporter's request failed since the last one.
 * Theirs are escalated by HourlyErrorTally, with its count, once the hour is over.
 */
export class StaffSaturations {
  private hour = -1;
  private count = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Notes an error about to be logged at `level` and says the level to log it at, with the hour's count. */
  note(level: ErrorLogLevel, fields: object): { level: ErrorLogLevel; inThisHour?: number } {
    if (level !== 'warn' || !isSaturation(fields)) return { level };
    const hour = Math.floor(this.now() / HOUR_MS);
    if (hour !== this.hour) {
      this.hour = hour;
      this.count = 0;
    }
    this.count += 1;
    const escalated = levelFor(level, fields, this.count);
    return escalated === level ? { level } : { level: escalated, inThisHour: this.count };
  }
}
/** How many kinds of error (level, line and fields) one tally keeps apart. */
export const MAX_KINDS = 100;

export type ErrorLogLevel = 'warn' | 'error';

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
  private timer: NodeJS.Timeout | undefined;
  /** Made with the filter, at start, outside every request: timers are set in this context. */
  private readonly scope = new AsyncResource('nolan-hourly-error-tally');

  constructor(
    private readonly write: (level: ErrorLogLevel, fields: object, line: string) => void,
    private readonly now: () => number = Date.now,
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
    this.timer = this.scope.runInAsyncScope(() =>
      setTimeout(() => {
        this.timer = undefined;
        const current = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
        this.writeWhere((c) => c.hour < current);
        this.schedule();
      }, wait),
    );
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
