import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app/app.module';
import { configureApp } from './app/configure-app';
import { ConfigError, loadConfig } from './config/config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app);
  await app.listen(config.apiPort);
}

bootstrap().catch((error: unknown) => {
  // One line, no stack: the message names what is wrong (e.g. every bad environment variable).
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`nolan api: ${message}\n`);
  process.exit(1);
});
