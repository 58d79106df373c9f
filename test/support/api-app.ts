import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { PassThrough } from 'node:stream';
import { AppModule } from '../../apps/api/src/app/app.module';
import { configureApp } from '../../apps/api/src/app/configure-app';
import { LOG_DESTINATION } from '../../apps/api/src/logging/logging.module';

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
      .useValue(destination),
  ).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app);
  await app.init();
  return { app, lines };
}
