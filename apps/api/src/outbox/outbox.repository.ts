import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxEntity, type OutboxEvent } from './outbox.entity';

/** Writes outbox rows through the caller's transaction, so an event exists exactly when its change does. */
@Injectable()
export class OutboxRepository {
  async add(
    manager: EntityManager,
    row: { tenantId: string; event: OutboxEvent; aggregateId: string; payload?: OutboxEntity['payload'] },
  ): Promise<void> {
    await manager.getRepository(OutboxEntity).insert({ ...row, payload: row.payload ?? {} });
  }
}
