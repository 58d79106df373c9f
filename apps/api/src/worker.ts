import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from './config/config';
import { WorkerModule } from './workers/worker.module';

/**
 * Second entry point: the BullMQ workers, over the same modules as the API (docs/architecture.md "The
 * shape").
 */
async function bootstrap(): Promise<void> {
  loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.get(Logger).log('Workers started');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`nolan worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
