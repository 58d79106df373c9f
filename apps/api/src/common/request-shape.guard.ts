/**
 * Two checks every route gets before its own guards, pipes and handler run (docs/abuse-resistance.md,
 * "Hostile input (issue #17)"), so none of them can forget one:
 * - a body's media type must be one the operation reads: the types its OpenAPI description names with
 *   @ApiConsumes, JSON otherwise. Anything else is a 415 naming both, instead of a body the handler
 *   never parsed reaching it as `undefined`.
 * - path and query parameters must be text Postgres and people can hold (no NUL or other control
 *   character, no lone surrogate, not absurdly long): a 400 naming the parameter, before any query.
 */
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import { textProblem } from './json-body';

/** Where @nestjs/swagger's @ApiConsumes keeps its media types (DECORATORS.API_CONSUMES, not exported). */
const API_CONSUMES_METADATA = 'swagger/apiConsumes';
export const MAX_PARAMETER_LENGTH = 256;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The media type of a Content-Type header, lower case, without parameters; '' when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function parameterProblem(value: string): string | null {
  if (value.length > MAX_PARAMETER_LENGTH) return `is longer than ${MAX_PARAMETER_LENGTH} characters`;
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters';
  return textProblem(value);
}

@Injectable()
export class RequestShapeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    for (const [name, value] of Object.entries(req.params ?? {})) {
      const problem = typeof value === 'string' ? parameterProblem(value) : null;
      if (problem) throw new AppError('INVALID_INPUT', `${name.slice(0, 40)} in the path ${problem}`);
    }
    for (const [name, value] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        const problem = typeof v === 'string' ? parameterProblem(v) : null;
        if (problem) throw new AppError('INVALID_INPUT', `${name.slice(0, 40)} in the query ${problem}`);
      }
    }
    if (BODY_METHODS.has(req.method) && hasBody(req)) {
      const consumes = this.reflector.getAllAndOverride<string[] | undefined>(API_CONSUMES_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? ['application/json'];
      const sent = mediaTypeOf(req.headers['content-type']);
      if (!consumes.includes(sent)) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `This request's body must be ${consumes.join(' or ')}${sent ? `, not ${sent.slice(0, 80)}` : ' (no Content-Type was sent)'}.`,
        );
      }
    }
    return true;
  }
}
