import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApiHttp } from '../api/api-http';
import { Sealer } from '../common/sealed';
import { StartController } from '../start/start.controller';
import { PageExceptionFilter } from './page-exception.filter';
import { loadPortalConfig, PORTAL_CONFIG, type PortalConfig } from './portal-config';

@Module({
  controllers: [StartController],
  providers: [
    { provide: PORTAL_CONFIG, useFactory: () => loadPortalConfig() },
    { provide: APP_FILTER, useClass: PageExceptionFilter },
    ApiHttp,
    { provide: Sealer, inject: [PORTAL_CONFIG], useFactory: (config: PortalConfig) => new Sealer(config.sessionSecret) },
  ],
})
export class PortalModule {}
