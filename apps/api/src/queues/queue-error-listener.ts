import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { ALL_QUEUES } from './queue-names';

const QUIET_MS = 30_000;

/**
 * BullMQ prints connection errors to the console when a queue has no 'error' listener. Route them to
 * our logger instead, at most once per 30 s per queue: Redis being down is reported by /health, and
 * the outbox keeps accepting work meanwhile.
 */
@Injectable()
export class QueueErrorListener implements OnModuleInit {
  private readonly logger = new Logger('Queues');

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of ALL_QUEUES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      let lastLogged = 0;
      queue.on('error', (error: Error & { code?: string }) => {
        if (Date.now() - lastLogged < QUIET_MS) return;
        lastLogged = Date.now();
        this.logger.warn(`Queue ${name} cannot reach Redis (${error.code ?? error.name})`);
      });
    }
  }
}
