/**
 * An insert that reads nothing back, for the writers of rows a batch holds (docs/architecture.md "Held
 * tables"). In a transaction holding work for a batch, a row inserted into a table a reporter's action
 * writes goes to that table's held child, and the parent's insert returns no row: the ORM's own insert
 * asks for the generated columns back (`RETURNING`), which would then come back empty. The callers
 * choose every value they need (ids are made before the insert), so they ask for nothing.
 */
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

export async function insertHeldRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: QueryDeepPartialEntity<T> | QueryDeepPartialEntity<T>[],
  options: { orIgnore?: boolean } = {},
): Promise<void> {
  const insert = manager.createQueryBuilder().insert().into(entity).values(rows).updateEntity(false);
  if (options.orIgnore) insert.orIgnore();
  await insert.execute();
}
