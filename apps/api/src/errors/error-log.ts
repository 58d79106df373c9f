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
import { type ErrorLogLevel, HourlyErrorTally as Tally, isSaturation, levelFor } from '@nolan/domain';
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
/**
 * The tally of @nolan/domain with its timer set outside every request's context (made with the filter, at
 * start): the line it writes carries no request id.
 */
export class HourlyErrorTally extends Tally {
  constructor(write: (level: ErrorLogLevel, fields: object, line: string) => void, now?: () => number) {
    const scope = new AsyncResource('nolan-hourly-error-tally');
    super(write, now, (run, ms) => scope.runInAsyncScope(() => setTimeout(run, ms)));
  }
}

export { type ErrorLogLevel, levelFor, MAX_KINDS, RECURRING_SATURATION_PER_HOUR } from '@nolan/domain';
