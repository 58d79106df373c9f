import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { dataSourceOptions } from '../database/data-source';
import { LoggingModule } from '../logging/logging.module';
import { RedisModule } from '../redis/redis.module';
import { ReporterTimeModule } from '../reporter-time/reporter-time.module';

/** What both entry points (API and workers) share: config, logging, Postgres as the app role, Redis. */
@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    RedisModule,
    ReporterTimeModule,
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.databaseUrl), retryAttempts: 2 }),
    }),
  ],
  exports: [ConfigModule, LoggingModule, RedisModule, TypeOrmModule],
})
export class CoreModule {}
