import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTOR_TYPES, type AuditActorType } from '../audit-chain';
import type { AuditEntryEntity } from '../audit-entry.entity';

/**
 * One entry of a case's trail as the monitoring officer reads it. Mapped explicitly (docs/conventions.md §2).
 */
export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Position in the tenant’s chain, from 1' })
  seq!: number;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ enum: AUDIT_ACTOR_TYPES })
  actorType!: AuditActorType;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'A staff user; never set for a reporter',
  })
  actorId!: string | null;

  @ApiProperty({ example: 'case.content_decrypted' })
  action!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  caseId!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Ids, codes and counts; never case text',
  })
  details!: Record<string, unknown>;

  @ApiProperty({ description: 'SHA-256 of the entry, chained to the one before' })
  hash!: string;
}

export class AuditEntryPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items!: AuditEntryDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  limit!: number;

  @ApiProperty()
  offset!: number;
}

export function mapAuditEntry(entry: AuditEntryEntity): AuditEntryDto {
  return {
    id: entry.id,
    seq: entry.seq,
    occurredAt: entry.occurredAt.toISOString(),
    actorType: entry.actorType,
    actorId: entry.actorId,
    action: entry.action,
    caseId: entry.caseId,
    details: entry.details,
    hash: entry.hash,
  };
}
