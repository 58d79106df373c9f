/**
 * How a report's or a message's files come in (docs/abuse-resistance.md, "Floods of uploads (issue #17)"). In place of
 * multer's memory storage, which held every file of every request in memory before anything was
 * checked:
 * - each request takes one of the process's intake places first; none free is a 503 with Retry-After;
 * - a body declared larger than the allowance is refused before a byte of it is read;
 * - on the reporter's submission, the proof of work (or wait ticket) in the `submission` field is
 *   checked, and used up, before the first file part is read; a file before that field is refused;
 * - files stream to a private temporary directory, bounded per file, per request and per process
 *   (the disk budget), and come into memory only once the whole request has been read and passed,
 *   within the process's memory budget;
 * - a part the multipart parser cannot read (a quote or line break in its filename) is a 400 naming
 *   it, never a file silently dropped; every refusal closes the connection instead of reading on.
 * The handler then sees `req.body` (the JSON field parsed and checked like any JSON body) and
 * `req.files` (`{ buffer, originalname, size, mimetype }`), as it did with multer.
 *
 * Use: `@UseInterceptors(StreamedUploads({ fileField: 'files', jsonField: 'submission', proofBeforeFiles: 'submission' }))`.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  mixin,
  type NestInterceptor,
  Optional,
  type Type,
} from '@nestjs/common';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { finalize, type Observable } from 'rxjs';
import type { HumanCheckPurpose } from '../abuse/abuse-options';
import { type HeldProof, ProofOfWorkService } from '../abuse/proof-of-work.service';
import { bodyProblem, MAX_JSON_DEPTH, nestedDeeperThan } from '../common/json-body';
import { mediaTypeOf } from '../common/request-shape.guard';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../errors/app-error';
import { type AttachmentPolicy, formatMegabytes } from './attachment-policy';
import { ATTACHMENT_POLICY } from './attachment-sanitiser.service';
import { busboyReadsPart, describeHeader, PartScanner } from './part-scanner';
import { UPLOAD_BUDGETS, type UploadBudgets } from './upload-budget';

export interface StreamedUploadOptions {
  /** The multipart field files come in. */
  readonly fileField: string;
  /** A field holding JSON (the submission, the message), parsed and checked like a JSON body. */
  readonly jsonField?: string;
  /** Check this purpose's proof of work, from the JSON field, before the first file is read. */
  readonly proofBeforeFiles?: HumanCheckPurpose;
}

/** What the handler receives for each file, as multer gave it. */
export interface StreamedFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** Room for the fields (the submission JSON is at most 1 MB) and the multipart framing. */
const FRAMING_ALLOWANCE = 2 * 1024 * 1024;
const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_FIELDS = 10;
const MAX_PARTS = 30;

function boundaryOf(contentType: string | undefined): string | null {
  const match = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/**
 * A refusal before the body has been read: answered, then the connection closed, so Node does not read
 * (and throw away) the rest of a body that may be hundreds of megabytes.
 */
function stopReading(req: Request, res: Response): void {
  if (req.complete) return;
  req.unpipe();
  if (!res.headersSent) res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroySoon());
}

interface ReadUpload {
  fields: Record<string, unknown>;
  files: StreamedFile[];
  release(): void;
}

export function StreamedUploads(options: StreamedUploadOptions): Type<NestInterceptor> {
  @Injectable()
  class StreamedUploadsInterceptor implements NestInterceptor {
    constructor(
      @Inject(APP_CONFIG) private readonly config: AppConfig,
      @Inject(UPLOAD_BUDGETS) private readonly budgets: UploadBudgets,
      @Inject(ATTACHMENT_POLICY) private readonly policy: AttachmentPolicy,
      @Optional() private readonly proofs?: ProofOfWorkService,
    ) {
      if (options.proofBeforeFiles && !proofs)
        throw new Error('StreamedUploads: proofBeforeFiles needs ProofOfWorkService (import AbuseModule)');
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const req = context.switchToHttp().getRequest<Request>();
      const res = context.switchToHttp().getResponse<Response>();
      let releaseSlot: () => void;
      try {
        releaseSlot = this.budgets.intake.take();
      } catch (error) {
        stopReading(req, res);
        throw error;
      }
      let upload: ReadUpload | undefined;
      let held: HeldProof | undefined;
      try {
        if (mediaTypeOf(req.headers['content-type']) === 'multipart/form-data') {
          upload = await this.read(req, (h) => (held = h));
          req.body = upload.fields;
          (req as Request & { files?: StreamedFile[] }).files = upload.files;
        }
      } catch (error) {
        releaseSlot();
        held?.release();
        stopReading(req, res);
        throw error;
      }
      return next.handle().pipe(
        finalize(() => {
          releaseSlot();
          held?.release();
          upload?.release();
        }),
      );
    }

    private async read(req: Request, onHeld: (held: HeldProof) => void): Promise<ReadUpload> {
      const { policy, budgets } = this;
      const boundary = boundaryOf(req.headers['content-type']);
      if (!boundary)
        throw new AppError('INVALID_INPUT', 'The multipart body has no boundary in its Content-Type.');
      const maxBody = policy.maxTotalBytes + FRAMING_ALLOWANCE;
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > maxBody) throw tooLarge(policy);

      await mkdir(this.config.uploadTmpDir, { recursive: true, mode: 0o700 });
      const dir = await mkdtemp(join(this.config.uploadTmpDir, 'upload-'));
      const diskReleases: (() => void)[] = [];
      const releaseDisk = () => diskReleases.splice(0).forEach((r) => r());
      const removeDir = () => rm(dir, { recursive: true, force: true }).catch(() => undefined);

      const fields: Record<string, unknown> = {};
      const stored: { index: number; path: string; size: number; name: string; mimetype: string }[] = [];
      const scanner = new PartScanner(boundary);
      let received = 0;
      let filesTotal = 0;
      let partsSeen = 0;
      let filesSeen = 0;
      let pending = 0;
      let closed = false;
      let failed = false;
      let proofCheck: Promise<void> | undefined;

      try {
        return await new Promise<ReadUpload>((resolve, reject) => {
          const parser = busboy({
            headers: req.headers as busboy.BusboyConfig['headers'],
            defParamCharset: 'utf8',
            limits: {
              fileSize: policy.maxFileBytes + 1,
              files: policy.maxFiles,
              fields: MAX_FIELDS,
              fieldSize: MAX_FIELD_BYTES,
              parts: MAX_PARTS,
              headerPairs: 20,
            },
          });
          const tap = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              received += chunk.length;
              if (received > maxBody) return done(tooLarge(policy));
              scanner.write(chunk);
              done(null, chunk);
            },
          });
          const fail = (error: unknown) => {
            if (failed) return;
            failed = true;
            req.unpipe(tap);
            tap.unpipe(parser);
            parser.removeAllListeners('file');
            parser.removeAllListeners('field');
            reject(error);
          };
          tap.on('error', fail);
          // A sender who hangs up must give back the intake place and the disk at once: a read that
          // never ends would hold them for good, and a few hung-up uploads would close intake. The
          // hang-up may come before these listeners (while the temporary directory was made), so an
          // already-closed request counts too.
          const cutOff = () => fail(new AppError('INVALID_INPUT', 'The upload was cut off before it ended.'));
          req.on('error', cutOff);
          req.on('aborted', cutOff);
          req.on('close', () => {
            if (!req.complete) cutOff();
          });
          if (req.destroyed && !req.complete) cutOff();

          parser.on('field', (name, value, info) => {
            partsSeen++;
            if (name === options.fileField) {
              return fail(
                new AppError(
                  'INVALID_INPUT',
                  `Part ${partsSeen} of the upload ("${name.slice(0, 40)}") has no file name, so it is not a file: send each file with a filename.`,
                ),
              );
            }
            if (info.valueTruncated)
              return fail(new AppError('PAYLOAD_TOO_LARGE', `${name.slice(0, 40)} is larger than 1 MB.`));
            if (name === options.jsonField) {
              try {
                fields[name] = parseJsonField(name, value);
              } catch (error) {
                return fail(error);
              }
            } else fields[name] = value;
          });

          parser.on('file', (name, stream, info) => {
            partsSeen++;
            filesSeen++;
            const index = filesSeen;
            if (name !== options.fileField) {
              stream.resume();
              return fail(
                new AppError(
                  'INVALID_INPUT',
                  `Files go in the "${options.fileField}" field, not "${name.slice(0, 40)}".`,
                ),
              );
            }
            // A file input left empty: browsers send a part with no name and no bytes, as multer skipped.
            const filename = info.filename && decodeFormDataName(info.filename);
            if (!filename) {
              stream.resume();
              return;
            }
            pending++;
            void (async () => {
              // One check per request, however many file parts arrive while it runs.
              proofCheck ??= (async () => {
                if (!options.proofBeforeFiles) return;
                const proof = proofIn(fields[options.jsonField ?? '']);
                if (!proof) {
                  throw new AppError(
                    'INVALID_INPUT',
                    `Send the "${options.jsonField}" field, with altcha or waitTicket, before the files: the proof of work is checked before any file is read.`,
                  );
                }
                onHeld(
                  await (this.proofs as ProofOfWorkService).checkAheadOfFiles(
                    String(req.params['slug'] ?? ''),
                    proof,
                    options.proofBeforeFiles,
                  ),
                );
              })();
              try {
                await proofCheck;
              } catch (error) {
                stream.resume();
                throw error;
              }
              if (failed) {
                stream.resume();
                return;
              }
              const path = join(dir, String(index));
              let size = 0;
              stream.on('data', (chunk: Buffer) => {
                size += chunk.length;
                filesTotal += chunk.length;
                try {
                  diskReleases.push(budgets.disk.take(chunk.length));
                } catch (error) {
                  fail(error);
                }
                if (filesTotal > policy.maxTotalBytes) fail(tooLarge(policy));
              });
              stream.on('limit', () =>
                fail(
                  new AppError(
                    'PAYLOAD_TOO_LARGE',
                    `"${shown(filename)}" is larger than ${formatMegabytes(policy.maxFileBytes)}; the limit is ${formatMegabytes(policy.maxFileBytes)} per file.`,
                  ),
                ),
              );
              await pipeline(stream, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
              stored.push({ index, path, size, name: filename, mimetype: info.mimeType });
            })().then(
              () => {
                pending--;
                void finish();
              },
              (error: unknown) => {
                pending--;
                fail(error);
              },
            );
          });

          parser.on('filesLimit', () =>
            fail(
              new AppError(
                'PAYLOAD_TOO_LARGE',
                `You attached more than ${policy.maxFiles} files; the limit is ${policy.maxFiles} per report or message.`,
              ),
            ),
          );
          parser.on('fieldsLimit', () =>
            fail(new AppError('PAYLOAD_TOO_LARGE', `The upload has more than ${MAX_FIELDS} fields.`)),
          );
          parser.on('partsLimit', () =>
            fail(new AppError('PAYLOAD_TOO_LARGE', `The upload has more than ${MAX_PARTS} parts.`)),
          );
          parser.on('error', (error: Error) => {
            const part = scanner.headers.at(-1);
            fail(
              new AppError(
                'INVALID_INPUT',
                part && /header/i.test(error.message)
                  ? `Part ${scanner.headers.length} of the upload has a header that cannot be read (${describeHeader(part.text)}). A quote mark or a line break in a file name does this: rename the file and send it again.`
                  : `The upload could not be read as multipart/form-data (${error.message.slice(0, 80)}).`,
              ),
            );
          });
          parser.on('close', () => {
            closed = true;
            void finish();
          });

          const finish = async () => {
            if (!closed || pending > 0 || failed) return;
            try {
              if (scanner.headers.length > partsSeen) {
                for (const [i, part] of scanner.headers.entries()) {
                  if (!(await busboyReadsPart(part.text))) {
                    throw new AppError(
                      'INVALID_INPUT',
                      `Part ${i + 1} of the upload could not be read, so its file would be lost: ${describeHeader(part.text)}. A quote mark or a line break in a file name does this: rename the file and send it again.`,
                    );
                  }
                }
                throw new AppError('INVALID_INPUT', 'A part of the upload could not be read.');
              }
              stored.sort((a, b) => a.index - b.index);
              const inMemory = stored.reduce((sum, f) => sum + f.size, 0);
              const releaseMemory = budgets.memory.take(inMemory);
              try {
                const files: StreamedFile[] = [];
                for (const f of stored) {
                  files.push({
                    fieldname: options.fileField,
                    originalname: f.name,
                    mimetype: f.mimetype,
                    size: f.size,
                    buffer: await readFile(f.path),
                  });
                }
                resolve({ fields, files, release: releaseMemory });
              } catch (error) {
                releaseMemory();
                throw error;
              }
            } catch (error) {
              fail(error);
            }
          };

          req.pipe(tap).pipe(parser);
        });
      } finally {
        // In memory or refused: either way the files on disk are no longer needed.
        releaseDisk();
        await removeDir();
      }
    }
  }
  return mixin(StreamedUploadsInterceptor);
}

function tooLarge(policy: AttachmentPolicy): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `The upload is larger than ${formatMegabytes(policy.maxTotalBytes)}, the limit for all the files of one report or message together.`,
  );
}

/**
 * Browsers (the HTML form encoding rules) and form-data write a newline, carriage return and double
 * quote in a file name as %0A, %0D and %22; those, and only those, are decoded (as multer did), so a
 * name like `50%.pdf` stays as it is.
 */
export function decodeFormDataName(name: string): string {
  return name.replace(
    /%0A|%0D|%22/gi,
    (m) => ({ '%0a': '\n', '%0d': '\r', '%22': '"' })[m.toLowerCase()] ?? m,
  );
}

function shown(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  return name.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 100);
}

/** The JSON field, parsed and held to the same checks as a JSON body (common/json-body.ts). */
function parseJsonField(name: string, value: string): unknown {
  const raw = Buffer.from(value, 'utf8');
  if (nestedDeeperThan(raw, MAX_JSON_DEPTH))
    throw new AppError('INVALID_INPUT', `${name} is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new AppError('INVALID_INPUT', [`${name} must be JSON`]);
  }
  const problem = bodyProblem(parsed);
  if (problem) throw new AppError('INVALID_INPUT', `${name}: ${problem}`);
  return parsed;
}

function proofIn(json: unknown): { altcha?: string; waitTicket?: string } | null {
  if (typeof json !== 'object' || json === null) return null;
  const { altcha, waitTicket } = json as { altcha?: unknown; waitTicket?: unknown };
  const proof = {
    ...(typeof altcha === 'string' && altcha !== '' ? { altcha } : {}),
    ...(typeof waitTicket === 'string' && waitTicket !== '' ? { waitTicket } : {}),
  };
  return Object.keys(proof).length > 0 ? proof : null;
}
