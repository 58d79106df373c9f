import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../config/config';

type RoutedRequest = IncomingMessage & { id?: unknown; route?: { path?: string } };

/**
 * One pino logger for the whole process (docs/conventions.md §6). A request log carries method, the route
 * template, status, duration and a request id, and nothing else: never the body, IP address,
 * forwarded headers, user agent, referrer, query string, receipt or case text. A path that matched
 * no route is logged as "unmatched" because it may hold anything a client typed.
 */
/**
 * Reporter routes are not request-logged at all: an access-log line carries the time to the
 * millisecond, and the reporter's only protection is that nothing records when they acted
 * (issue #5). Their errors are counted, and written only as the hour's count once it is over, by the
 * exception filter.
 *
 * The decision is made on the request target as Express routes it, and where in doubt it says
 * "reporter" (docs/architecture.md "Logs and the reporter's cookie"): every reading of the target that
 * Express, a proxy in front of it or a lenient client could take is tried, and any that reaches a
 * reporter route makes it one.
 */
export function isReporterRoute(url: string | undefined): boolean {
  const readings = routedReadings(url ?? '');
  return readings === UNREADABLE || readings.some(isReporterPath);
}

/** The routes a reporter reaches, after `/api/v1/tenants/:slug/`; and `/api/v1/reporter/…` whole. */
const REPORTER_TENANT_ROUTES = new Set(['reports', 'reporter-sessions', 'challenge', 'form']);

/** A path's segments (decoded, lower-case) that name a reporter route. */
function isReporterPath(segments: string[]): boolean {
  if (segments[0] !== 'api' || segments[1] !== 'v1') return false;
  if (segments[2] === 'reporter') return true;
  return segments[2] === 'tenants' && segments.length >= 5 && REPORTER_TENANT_ROUTES.has(segments[4] ?? '');
}

const UNREADABLE = Symbol('unreadable');
/** An absolute-form target's scheme and authority (`http://host:80`), which Express routes past. */
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:[/\\]{2}[^/\\]*/;

/**
 * The segments of each way the target may be routed, lower-cased, empty segments dropped:
 * - an absolute-form target (`GET http://host/api/v1/reporter/case HTTP/1.1`) is routed by Express on
 *   its path, so the scheme and authority go; the query and fragment go too; a target with a backslash
 *   anywhere in its path, raw or escaped, is a reporter's (Node's URL parser reads it as a slash,
 *   Express's matching as part of a segment);
 * - Express matches the raw path and decodes a parameter after, so the council's slug may hold an
 *   escaped slash (`tenants/demo%2Fx/reports`): the path is split first and each segment decoded;
 * - it is also decoded first and split after, and with its dot segments resolved (as a proxy in front
 *   may), which Express does not do but which costs nothing to refuse;
 * - escapes are decoded until nothing changes (a double-encoded path is still a reporter route), and
 *   an escape that does not decode makes the whole target UNREADABLE: treated as reporter-bound.
 */
function routedReadings(url: string): string[][] | typeof UNREADABLE {
  const target = url.replace(SCHEME_AND_AUTHORITY, '');
  const path = target.split(/[?#]/, 1)[0] ?? '';
  // A backslash, raw or escaped, is read as a slash by Node's URL parser (an absolute-form target) but
  // kept inside a segment by Express's matching of an origin-form one (`tenants/demo\x/reports` reaches
  // the reports route with the slug `demo\x`): no one reading covers both, so it is a reporter's.
  const whole = decodedFully(path);
  if (whole === UNREADABLE || whole.includes('\\')) return UNREADABLE;
  const segmentWise: string[] = [];
  for (const part of path.split('/')) {
    const segment = decodedFully(part);
    if (segment === UNREADABLE) return UNREADABLE;
    if (segment !== '') segmentWise.push(segment.toLowerCase());
  }
  const wholeWise = whole
    .toLowerCase()
    .split(/[/\\]/)
    .filter((s) => s !== '');
  return [segmentWise, wholeWise, withoutDotSegments(wholeWise)];
}

function decodedFully(text: string): string | typeof UNREADABLE {
  let decoded = text;
  for (let i = 0; i < 5 && decoded.includes('%'); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return UNREADABLE;
    }
  }
  return decoded;
}

function withoutDotSegments(segments: string[]): string[] {
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '..') resolved.pop();
    else if (segment !== '.') resolved.push(segment);
  }
  return resolved;
}

export function requestLogFields(req: RoutedRequest) {
  return { id: req.id, method: req.method, route: req.route?.path ?? 'unmatched' };
}

/** Where log lines go: stdout, or a stream a test reads. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

@Global()
@Module({
  providers: [{ provide: LOG_DESTINATION, useValue: process.stdout }],
  exports: [LOG_DESTINATION],
})
class LogDestinationModule {}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LogDestinationModule],
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: Writable) => ({
        pinoHttp: [
          {
            level: config.logLevel,
            genReqId: () => randomUUID(),
            wrapSerializers: false,
            serializers: {
              req: requestLogFields,
              res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
              err: (err: Error) => ({ type: err.name }),
            },
            customAttributeKeys: { responseTime: 'durationMs' },
            quietReqLogger: true,
            // originalUrl: Express rewrites req.url to what follows a middleware's mount path while the
            // request is inside it, so a response finishing there would otherwise slip past the filter.
            autoLogging: {
              ignore: (req: IncomingMessage & { originalUrl?: string }) =>
                isReporterRoute(req.originalUrl ?? req.url),
            },
            // pino-http listens for a response's 'error' even on a route it does not log, and would then
            // write "request errored" with the time: on a reporter's route every line is silent.
            customLogLevel: (req: IncomingMessage & { originalUrl?: string }) =>
              isReporterRoute(req.originalUrl ?? req.url) ? 'silent' : 'info',
            base: { service: 'nolan' },
            redact: { paths: ['req.headers', 'req.remoteAddress', 'req.remotePort'], remove: true },
          },
          destination,
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
