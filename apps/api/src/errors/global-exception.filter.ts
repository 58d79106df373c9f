import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { AppError, statusForAppError } from './app-error';

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
};

/**
 * Maps every error to the JSON shape of docs/architecture.md ("The HTTP surface") in one place
 * (docs/conventions.md §3): known errors become a 4xx with a message; anything else a bare 500 with no
 * detail. Nothing of the request (body, headers) is ever logged, and no stack trace ever reaches the client.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      const name = exception instanceof Error ? exception.name : typeof exception;
      this.logger.error({ errorType: name }, 'Unhandled error');
    }
    if (response.headersSent) return;
    if (exception instanceof AppError && exception.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
  }
}

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof AppError) {
    const statusCode = statusForAppError(exception.code);
    return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.body };
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
      (exception.type && BODY_PARSER_MESSAGES[exception.type]) || 'The request could not be read.';
    return { statusCode: exception.status, error: STATUS_CODES[exception.status] ?? 'Error', message };
  }
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    error: 'Internal Server Error',
    message: 'Internal server error',
  };
}
