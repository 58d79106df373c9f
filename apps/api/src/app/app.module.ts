import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GlobalExceptionFilter } from '../errors/global-exception.filter';
import { HealthModule } from '../health/health.module';
import { CoreModule } from './core.module';

@Module({
  imports: [CoreModule, HealthModule],
  providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
})
export class AppModule {}
