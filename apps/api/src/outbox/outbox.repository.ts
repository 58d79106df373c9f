import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ReporterTime } from '../reporter-time/reporter-time';
import { OutboxEntity, type OutboxEvent } from './outbox.entity';

/**
 * Writes outbox rows through the caller's transaction, so an event exists exactly when its change does.
 * A row written in a reporter-caused transaction gets the batch boundary as its release time, so nothing
 * downstream of it happens before then (docs/architecture.md "Reporter time"): the caller cannot forget.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly reporterTime: ReporterTime) {}

  async add(
    manager: EntityManager,
    row: { tenantId: string; event: OutboxEvent; aggregateId: string; payload?: OutboxEntity['payload'] },
  ): Promise<void> {
    const releaseAt = (await this.reporterTime.holds(manager))
      ? await this.reporterTime.releaseAt(manager)
      : null;
    await manager.getRepository(OutboxEntity).insert({ ...row, payload: row.payload ?? {}, releaseAt });
  }
}
