import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { PassThrough } from 'node:stream';
import { AppModule } from '../../apps/api/src/app/app.module';
import { configureApp } from '../../apps/api/src/app/configure-app';
import { LOG_DESTINATION } from '../../apps/api/src/logging/logging.module';
import {
  ABUSE_OPTIONS,
  type AbuseOptions,
  DEFAULT_ABUSE_OPTIONS,
} from '../../apps/api/src/abuse/abuse-options';

/**
 * The abuse settings of an API the suites start: production's, with a proof of work of 10,000 instead of
 * 150,000. Every report and receipt sign-in in the suites solves one, in the suite's own process
 * (support/reporter-client.ts) or in Chromium's widget on every page that shows it; at production's
 * size that was about a tenth of the suites' CPU (docs/performance.md "What the suites cost"). The proof is
 * made and checked by the same code whatever its size; test/api/proof-of-work.e2e-spec.ts starts its own
 * API with production's numbers and holds them. A suite's own override of ABUSE_OPTIONS replaces this one.
 */
export const TEST_ABUSE_OPTIONS: AbuseOptions = { ...DEFAULT_ABUSE_OPTIONS, powMaxNumber: 10_000 };

/** The API exactly as main.ts sets it up, on an ephemeral port. */
export async function startApi(): Promise<INestApplication> {
  return (await startApiCapturingLogs()).app;
}

/** The same, with every log line the API writes kept in `lines` (set LOG_LEVEL before calling). */
export async function startApiCapturingLogs(
  override: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
): Promise<{ app: INestApplication; lines: string[] }> {
  const lines: string[] = [];
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) =>
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
  );
  const moduleRef = await override(
    Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(LOG_DESTINATION)
      .useValue(destination)
      .overrideProvider(ABUSE_OPTIONS)
      .useValue(TEST_ABUSE_OPTIONS),
  ).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app);
  await app.init();
  return { app, lines };
}
