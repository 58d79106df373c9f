import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configurePortal } from './app/configure-portal';
import { loadPortalConfig } from './app/portal-config';
import { PortalModule } from './app/portal.module';

async function bootstrap(): Promise<void> {
  const config = loadPortalConfig();
  const app = await NestFactory.create<NestExpressApplication>(PortalModule, { logger: ['error', 'warn'] });
  configurePortal(app, config);
  await app.listen(config.port);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`nolan portal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
