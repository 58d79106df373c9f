import { Injectable } from '@nestjs/common';
import { MoreThan, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import type { AuditActorType, AuditCheckpointRecord } from './audit-chain';
import { AuditCheckpointEntity } from './audit-checkpoint.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { ORIGIN_SQL } from '../reporter-time/reporter-time';

/**
 * Audit trail queries. Every method runs in the caller's tenant transaction (`inTenant`), so row-level
 * security limits each to the current tenant; the explicit tenant filters are for the indexes.
 */
@Injectable()
export class AuditRepository {
  /** The tenant the transaction was opened for, or null outside `inTenant`. */
  /**
   * The transaction's tenant and its reporter-time origin (ReporterTime `ORIGIN_SQL`), in one statement:
   * an append needs both (docs/performance.md "Opening a case").
   */
  async currentTenantAndOrigin(
    manager: EntityManager,
  ): Promise<{ tenantId: string | null; origin: string | null }> {
    const rows: { tenant_id: string | null; origin: string | null }[] = await manager.query(
      `SELECT nolan_current_tenant() AS tenant_id, ${ORIGIN_SQL} AS origin`,
    );
    return { tenantId: rows[0]?.tenant_id ?? null, origin: rows[0]?.origin ?? null };
  }

  async currentTenant(manager: EntityManager): Promise<string | null> {
    const rows: { tenant_id: string | null }[] = await manager.query(
      `SELECT nolan_current_tenant() AS tenant_id`,
    );
    return rows[0]?.tenant_id ?? null;
  }

  /**
   * Serialises appends per tenant until the caller's transaction ends, so two appends never read the
   * same head. The key is namespaced so other per-tenant locks never contend with this one.
   */
  async lockTrail(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))`, [
      `nolan.audit:${tenantId}`,
    ]);
  }

  async head(manager: EntityManager, tenantId: string): Promise<AuditCheckpointRecord | null> {
    const last = await manager.getRepository(AuditEntryEntity).findOne({
      select: { seq: true, hash: true },
      where: { tenantId },
      order: { seq: 'DESC' },
    });
    return last ? { seq: last.seq, hash: last.hash } : null;
  }

  async insert(
    manager: EntityManager,
    entry: Omit<AuditEntryEntity, 'id' | 'itemIds'> & { itemIds?: string[] },
  ): Promise<string> {
    // `details` is any JSON object, which TypeORM's deep-partial insert type cannot express.
    const result = await manager
      .getRepository(AuditEntryEntity)
      .insert(entry as QueryDeepPartialEntity<AuditEntryEntity>);
    return (result.identifiers[0] as { id: string }).id;
  }

  listForCase(manager: EntityManager, tenantId: string, caseId: string, limit: number, offset: number) {
    return manager.getRepository(AuditEntryEntity).findAndCount({
      where: { tenantId, caseId },
      order: { seq: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  /** A page of the council's settings changes (`config.changed`), newest first. */
  settingChanges(manager: EntityManager, tenantId: string, limit: number, offset: number) {
    return manager.getRepository(AuditEntryEntity).findAndCount({
      where: { tenantId, action: 'config.changed' },
      order: { seq: 'DESC' },
      take: limit,
      skip: offset,
    });
  }

  /** A page of the chain in seq order, for verification (keyset pagination on the unique index). */
  entriesAfter(
    manager: EntityManager,
    tenantId: string,
    afterSeq: number,
    limit: number,
  ): Promise<AuditEntryEntity[]> {
    return manager.getRepository(AuditEntryEntity).find({
      where: { tenantId, seq: MoreThan(afterSeq) },
      order: { seq: 'ASC' },
      take: limit,
    });
  }

  /** Holds a reporter-caused entry until its batch boundary (docs/architecture.md "Reporter time"). */
  async insertHeld(
    manager: EntityManager,
    entry: {
      tenantId: string;
      releaseAt: Date;
      actorType: string;
      actorId: string | null;
      action: string;
      caseId: string | null;
      details: Record<string, unknown>;
      itemIds: readonly string[];
    },
  ): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO audit_held (tenant_id, release_at, actor_type, actor_id, action, case_id, details, item_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::uuid[]) RETURNING id`,
      [
        entry.tenantId,
        entry.releaseAt,
        entry.actorType,
        entry.actorId,
        entry.action,
        entry.caseId,
        JSON.stringify(entry.details),
        entry.itemIds,
      ],
    );
    return rows[0].id;
  }

  /**
   * Held entries whose boundary has passed. The caller holds the trail's lock (lockTrail), which
   * serialises releases per tenant, so no row lock is needed (the app role may not UPDATE this table).
   */
  async heldUntil(
    manager: EntityManager,
    tenantId: string,
    now: Date,
  ): Promise<
    {
      id: string;
      releaseAt: Date;
      actorType: AuditActorType;
      actorId: string | null;
      action: string;
      caseId: string | null;
      details: Record<string, unknown>;
      itemIds: string[];
    }[]
  > {
    const rows: {
      id: string;
      release_at: Date;
      actor_type: AuditActorType;
      actor_id: string | null;
      action: string;
      case_id: string | null;
      details: Record<string, unknown>;
      item_ids: string[];
    }[] = await manager.query(
      `SELECT id, release_at, actor_type, actor_id, action, case_id, details, item_ids FROM audit_held
       WHERE tenant_id = $1 AND release_at <= $2`,
      [tenantId, now],
    );
    return rows.map((row) => ({
      id: row.id,
      releaseAt: new Date(row.release_at),
      actorType: row.actor_type,
      actorId: row.actor_id,
      action: row.action,
      caseId: row.case_id,
      details: row.details,
      itemIds: row.item_ids,
    }));
  }

  async deleteHeld(manager: EntityManager, ids: readonly string[]): Promise<void> {
    await manager.query(`DELETE FROM audit_held WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async checkpoints(manager: EntityManager, tenantId: string): Promise<AuditCheckpointRecord[]> {
    const rows = await manager
      .getRepository(AuditCheckpointEntity)
      .find({ where: { tenantId }, order: { seq: 'ASC' } });
    return rows.map((row) => ({ seq: row.seq, hash: row.hash, signature: row.signature }));
  }

  /** Idempotent: recording the same head twice leaves one checkpoint. */
  async insertCheckpoint(
    manager: EntityManager,
    tenantId: string,
    head: AuditCheckpointRecord,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditCheckpointEntity)
      .values({ tenantId, seq: head.seq, hash: head.hash, signature: head.signature ?? null })
      .orIgnore()
      .execute();
  }
}
