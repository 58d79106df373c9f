import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { StartController } from '../start/start.controller';
import { PageExceptionFilter } from './page-exception.filter';
import { loadPortalConfig, PORTAL_CONFIG } from './portal-config';

@Module({
  controllers: [StartController],
  providers: [
    { provide: PORTAL_CONFIG, useFactory: () => loadPortalConfig() },
    { provide: APP_FILTER, useClass: PageExceptionFilter },
  ],
})
export class PortalModule {}
