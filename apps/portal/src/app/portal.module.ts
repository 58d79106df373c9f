import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ADMIN_CONTROLLERS, ADMIN_PROVIDERS } from '../admin/admin-pages';
import { ApiHttp } from '../api/api-http';
import { Sealer } from '../common/sealed';
import { StartController } from '../start/start.controller';
import { REPORTER_CONTROLLERS, REPORTER_PROVIDERS } from '../reporter/reporter-pages';
import { STAFF_CONTROLLERS, STAFF_PROVIDERS } from '../staff/staff-pages';
import { PageExceptionFilter } from './page-exception.filter';
import { loadPortalConfig, PORTAL_CONFIG, type PortalConfig } from './portal-config';

@Module({
  controllers: [StartController, ...REPORTER_CONTROLLERS, ...STAFF_CONTROLLERS, ...ADMIN_CONTROLLERS],
  providers: [
    { provide: PORTAL_CONFIG, useFactory: () => loadPortalConfig() },
    { provide: APP_FILTER, useClass: PageExceptionFilter },
    ApiHttp,
    ...REPORTER_PROVIDERS,
    { provide: Sealer, inject: [PORTAL_CONFIG], useFactory: (config: PortalConfig) => new Sealer(config.sessionSecret) },
    ...STAFF_PROVIDERS,
    ...ADMIN_PROVIDERS,
  ],
})
export class PortalModule {}
