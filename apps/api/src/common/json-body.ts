/**
 * The API's one JSON body parser, with the checks every route needs before its DTO sees the body
 * (docs/abuse-resistance.md, "Hostile input (issue #17)"): a body nested deeper than any of ours (class-validator and
 * class-transformer recurse, and 10,000 levels overflowed the stack), a `__proto__`, `constructor` or
 * `prototype` key (copied onto objects by spreading and by class-transformer), and text that is not
 * well-formed Unicode or holds a NUL (Postgres refuses NUL in text; a lone surrogate cannot be stored or
 * compared as the person meant it), and a list longer than any of ours. Each is a 400 naming where it is, before any route runs.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';

/** Deeper than any body we accept (the deepest, a transition's findings, is 5) with room to spare. */
export const MAX_JSON_DEPTH = 32;

/**
 * Longer than any list we accept (the longest, a plan's allegations or a conflict route's people, is in
 * the tens): a 100,000-element array cost class-validator 7 s of CPU before it was refused.
 */
export const MAX_JSON_ARRAY_LENGTH = 1000;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** An error body-parser passes on as a 400 with our own message (see isExposedHttpError). */
export class BodyRefusedError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'nolan.body.refused';

  constructor(message: string) {
    super(message);
    this.name = 'BodyRefusedError';
  }
}

/**
 * Bytes of JSON nested deeper than `max`? Counts brackets outside strings, so it runs before
 * JSON.parse and costs one pass over at most the size limit.
 */
export function nestedDeeperThan(buf: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function pathOf(parts: readonly (string | number)[]): string {
  if (parts.length === 0) return 'the request body';
  return parts
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('')
    .slice(0, 200);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text Postgres and people can hold: well-formed UTF-16 (no lone surrogate) and no NUL. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode text (it holds a lone surrogate)';
  return null;
}

/** The first problem in a parsed body, walked without recursion; null when it is fine. */
export function bodyProblem(body: unknown): string | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: body, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return `${pathOf(path)} ${problem}`;
    } else if (Array.isArray(value)) {
      if (value.length > MAX_JSON_ARRAY_LENGTH)
        return `${pathOf(path)} has more than ${MAX_JSON_ARRAY_LENGTH} items`;
      value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        if (FORBIDDEN_KEYS.has(key)) return `${pathOf([...path, key])} is not allowed as a field name`;
        const problem = textProblem(key);
        if (problem) return `a field name in ${pathOf(path)} ${problem}`;
        stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
  return null;
}

/** express.json with the checks above; errors go to the error handler configureApp puts after it. */
export function jsonBody(limit: string): RequestHandler[] {
  const parse = json({
    limit,
    verify: (_req, _res, buf) => {
      if (nestedDeeperThan(buf, MAX_JSON_DEPTH))
        throw new BodyRefusedError(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    },
  });
  const check = (req: Request, _res: Response, next: NextFunction) => {
    // A request with no body at all leaves req.body undefined, which a handler reading its fields would
    // trip over (a 500): it is an empty object, so validation names the missing fields instead.
    if (req.body === undefined) req.body = {};
    const problem = bodyProblem(req.body);
    next(problem ? new BodyRefusedError(problem) : undefined);
  };
  return [parse, check];
}
