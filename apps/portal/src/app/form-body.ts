/**
 * What the portal does with a form body it cannot or will not read (docs/abuse-resistance.md,
 * "Hostile input (issue #17)"): each is a 4xx page saying why, never the 500 page.
 * - body-parser's own refusals (over 200 KB, over 1,000 fields, a character set other than UTF-8, a
 *   content encoding that does not inflate) come as http-errors with a 4xx status: `refusalOf` names them.
 * - a body in a type the route does not read (text, XML, JSON, or multipart to a page without an upload
 *   handler) would reach the handler unparsed: `FormBodyGuard` answers 415 before it runs.
 * - a post with no body at all (no content type, nothing for a parser to read) leaves Express's
 *   `req.body` undefined, which every handler would trip over: `emptyFormWhenNoBody` makes it an empty
 *   form, so the page answers as it does to a form with every field left blank.
 */
import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  Injectable,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Where Nest keeps @UseInterceptors; the pages that read multipart are those with an upload handler. */
const INTERCEPTORS_METADATA = '__interceptors__';

const REASONS: Record<string, string> = {
  'entity.too.large': 'The form you sent is too large.',
  'parameters.too.many': 'The form you sent has too many fields.',
  'charset.unsupported': 'The form was sent in a character set we cannot read: send it as UTF-8.',
  'encoding.unsupported': 'The form was sent in an encoding we cannot read.',
  'entity.parse.failed': 'The form you sent could not be read.',
  'entity.verify.failed': 'The form you sent could not be read.',
  'request.aborted': 'The form stopped arriving before it ended.',
  'request.size.invalid': 'The form you sent could not be read.',
};

interface HttpError {
  status: number;
  expose?: boolean;
  type?: string;
}

/** A 4xx refusal from the body parser (or another http-errors middleware): its status and a reason. */
export function refusalOf(exception: unknown): { status: number; reason: string } | null {
  if (exception instanceof HttpException) return null;
  const e = exception as Partial<HttpError> | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.status !== 'number' ||
    e.status < 400 ||
    e.status >= 500
  )
    return null;
  // A gzip body that does not inflate: zlib's error, passed on as a 400 by body-parser.
  const reason = (e.type && REASONS[e.type]) || 'The form you sent could not be read.';
  return { status: e.status, reason };
}

/** Runs after the form parser (and before the upload handlers, which set their own body). */
export function emptyFormWhenNoBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.body === undefined) req.body = {};
  next();
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

@Injectable()
export class FormBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD' || !hasBody(req)) return true;
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/x-www-form-urlencoded') return true;
    const readsMultipart =
      ((Reflect.getMetadata(INTERCEPTORS_METADATA, context.getHandler()) as unknown[] | undefined) ?? [])
        .length > 0;
    if (type === 'multipart/form-data' && readsMultipart) return true;
    throw new UnsupportedMediaTypeException(
      'We cannot read this kind of form. Send it from the page it belongs to.',
    );
  }
}
