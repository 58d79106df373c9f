import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ReporterTime } from '../reporter-time/reporter-time';
import { OutboxEntity, type OutboxEvent } from './outbox.entity';

/**
 * Writes outbox rows through the caller's transaction, so an event exists exactly when its change does.
 * A row written in a reporter-caused transaction gets the batch boundary as its release time, so nothing
 * downstream of it happens before then (docs/architecture.md "Reporter time"): the caller cannot forget.
 */
/** A random id in [2^61, 2^62): above any id the sequence will hand out, in no order. */
export function randomOutboxId(): string {
  const bits = randomBytes(8).readBigUInt64BE() & ((1n << 61n) - 1n);
  return String((1n << 61n) | bits);
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly reporterTime: ReporterTime) {}

  async add(
    manager: EntityManager,
    row: { tenantId: string; event: OutboxEvent; aggregateId: string; payload?: OutboxEntity['payload'] },
  ): Promise<void> {
    const payload = row.payload ?? {};
    if (!(await this.reporterTime.holds(manager))) {
      await manager.getRepository(OutboxEntity).insert({ ...row, payload });
      return;
    }
    // A reporter-caused row waits for its batch boundary, and takes a random id above the sequence's
    // range, so its number says nothing of which staff rows came before or after it (their sent_at is
    // their hour). Raw SQL: the ORM never writes a generated key.
    await manager.query(
      `INSERT INTO outbox (id, tenant_id, event, aggregate_id, payload, release_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [
        randomOutboxId(),
        row.tenantId,
        row.event,
        row.aggregateId,
        JSON.stringify(payload),
        await this.reporterTime.releaseAt(manager),
      ],
    );
  }
}
