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
 * (issue #5). Their errors are still logged, by type only, by the exception filter.
 */
export function isReporterRoute(url: string | undefined): boolean {
  return REPORTER_ROUTE.test(routedPath(url ?? ''));
}

const REPORTER_ROUTE =
  /^\/api\/v1\/(tenants\/[^/]+\/(reports|reporter-sessions|challenge|form)|reporter)(\/|$)/i;

/**
 * The path as Express routes it, so the filter cannot be stepped round (docs/architecture.md "Reporter
 * time"): routing ignores case and decodes percent-escapes in each segment, so `/API/V1/REPORTER/case`
 * and `/api/v1/%72eporter/case` reach reporter routes and must be recognised as such. The query is
 * dropped; escapes are decoded until nothing changes (a double-encoded path is still refused as one);
 * an escape that does not decode is treated as reporter-bound, never logged.
 */
function routedPath(url: string): string {
  let path = url.split(/[?#]/, 1)[0] ?? '';
  for (let i = 0; i < 5 && path.includes('%'); i++) {
    try {
      path = decodeURIComponent(path);
    } catch {
      return '/api/v1/reporter/';
    }
  }
  return path.replace(/\/{2,}/g, '/');
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
