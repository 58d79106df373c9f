import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { QueueErrorListener } from './queue-error-listener';
import { ALL_QUEUES } from './queue-names';

/** BullMQ on Redis, shared by the API (producers) and the workers (consumers). */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        prefix: `${config.redisPrefix}:bull`,
        connection: { url: config.redisUrl, maxRetriesPerRequest: null },
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 5000 },
          removeOnComplete: { age: 24 * 3600, count: 1000 },
          removeOnFail: false,
        },
      }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [QueueErrorListener],
  exports: [BullModule],
})
export class QueuesModule {}
