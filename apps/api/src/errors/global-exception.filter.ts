import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { isReporterRoute } from '../logging/logging.module';
import { AppError, statusForAppError } from './app-error';
import { type ErrorLogLevel, errorLogFields, HourlyErrorTally, StaffSaturations } from './error-log';
import { UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_AFTER_SECONDS, unavailableDependency } from './unavailable';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

/** Errors raised by Express middleware before routing (body-parser): http-errors with `expose`. */
interface ExposedHttpError {
  status: number;
  expose: boolean;
  type?: string;
  message: string;
}

export function isExposedHttpError(e: unknown): e is ExposedHttpError {
  const candidate = e as Partial<ExposedHttpError> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    candidate.expose === true
  );
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON.',
  'entity.too.large': 'The request body is too large.',
  'encoding.unsupported': 'The request body has an unsupported encoding.',
  'charset.unsupported': 'The request body has an unsupported character set.',
  'request.aborted': 'The request was aborted before its body arrived.',
  'parameters.too.many': 'The request has too many fields.',
};

/**
 * Error bodies stay small whatever the request held: a 100,000-element array once drew one message per
 * element (928 KB). At most this many messages, each at most this long, then a count of the rest.
 */
export const MAX_ERROR_MESSAGES = 20;
export const MAX_ERROR_MESSAGE_LENGTH = 500;

function clip(text: string): string {
  return text.length > MAX_ERROR_MESSAGE_LENGTH ? `${text.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…` : text;
}

export function boundedMessage(message: unknown): string | string[] {
  if (typeof message === 'string') return clip(message);
  if (!Array.isArray(message)) return 'The request could not be processed.';
  const texts = message.map((m) => (typeof m === 'string' ? m : String(m)));
  const shown = texts.slice(0, MAX_ERROR_MESSAGES).map(clip);
  const rest = texts.length - shown.length;
  return rest > 0 ? [...shown, `…and ${rest} more problem${rest === 1 ? '' : 's'}`] : shown;
}

/** A Postgres "data exception" (SQLSTATE class 22): a value it cannot store or compare, so the caller's. */
function isPostgresDataException(exception: unknown): boolean {
  const driverError = (exception as { driverError?: { code?: unknown } } | null)?.driverError;
  const code = driverError?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/**
 * Maps every error to the JSON shape of docs/architecture.md ("The HTTP surface") in one place
 * (docs/conventions.md §3): known errors become a 4xx with a message; anything else a bare 500 with no
 * detail. Nothing of the request (body, headers) is ever logged, and no stack trace ever reaches the client.
 * A 5xx is logged with the error's class, code and message (error-log.ts); on a reporter's route not when
 * it happens but counted, and written at the turn of the hour (docs/abuse-resistance.md "What an error's
 * log line holds").
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  /** One per filter, so one per API process (configure-app.ts makes the filter once, at start). */
  readonly reporterRouteErrors = new HourlyErrorTally((level, fields, line) =>
    level === 'warn' ? this.logger.warn(fields, line) : this.logger.error(fields, line),
  );
  /** Saturations answered on staff routes this hour: recurring, they are logged as errors (error-log.ts). */
  readonly staffSaturations = new StaffSaturations();

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request | undefined>();
    const body = toErrorBody(exception);
    const dependency = body.statusCode === 503 ? unavailableDependency(exception) : null;
    try {
      const logged = logLineFor(exception, body.statusCode, dependency);
      if (logged) {
        const [level, line, fields] = logged;
        if (isReporterRoute(request?.originalUrl ?? request?.url)) {
          this.reporterRouteErrors.add(level, line, fields);
        } else {
          const noted = this.staffSaturations.note(level, fields);
          const written = noted.inThisHour ? { ...fields, inThisHour: noted.inThisHour } : fields;
          if (noted.level === 'warn') this.logger.warn(written, line);
          else this.logger.error(written, line);
        }
      }
    } catch {
      // Logging never stops the answer below.
    }
    if (response.headersSent) return;
    if (exception instanceof AppError && exception.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (dependency) {
      response.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    }
    response.status(body.statusCode).json(body);
  }
}

/**
 * The line a 5xx is logged with, or null for a 4xx: a dependency that is down or saturated (a warning),
 * this process refusing work beyond its budgets (a warning), or anything else (an error).
 */
function logLineFor(
  exception: unknown,
  status: number,
  dependency: string | null,
): [ErrorLogLevel, string, object] | null {
  if (status < 500) return null;
  const fields = errorLogFields(exception);
  if (dependency) return ['warn', 'Dependency unavailable', { dependency, ...fields }];
  if (exception instanceof AppError) return ['warn', 'Busy', fields];
  return ['error', 'Unhandled error', fields];
}

export function toErrorBody(exception: unknown): ErrorBody {
  const body = unboundedErrorBody(exception);
  return { ...body, message: boundedMessage(body.message) };
}

function unboundedErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof AppError) {
    const statusCode = statusForAppError(exception.code);
    return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.body };
  }
  // Postgres or Redis cannot be reached: a 503 the caller can retry (Retry-After is set by the filter).
  if (unavailableDependency(exception)) {
    return { statusCode: 503, error: 'Service Unavailable', message: UNAVAILABLE_MESSAGE };
  }
  // A last line behind the body and parameter checks: Postgres refused a value as data.
  if (isPostgresDataException(exception)) {
    return {
      statusCode: 400,
      error: 'Bad Request',
      message: 'A value in the request cannot be stored or compared.',
    };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const payload = exception.getResponse();
    const message =
      typeof payload === 'string'
        ? payload
        : ((payload as { message?: string | string[] }).message ?? exception.message);
    return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  }
  if (isExposedHttpError(exception)) {
    const message =
      exception.type === 'nolan.body.refused'
        ? exception.message
        : (exception.type && BODY_PARSER_MESSAGES[exception.type]) || 'The request could not be read.';
    return { statusCode: exception.status, error: STATUS_CODES[exception.status] ?? 'Error', message };
  }
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    error: 'Internal Server Error',
    message: 'Internal server error',
  };
}
