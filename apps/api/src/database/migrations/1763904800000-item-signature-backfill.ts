import { PublicKeyHandle, verifyDetached } from '@nolan/crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { itemStatement } from '../../cases/record/item-statement';

/**
 * The back-fills of migrations 1763904000000 (`case_items_before_signatures`) and 1763904500000
 * (`case_items_signed_by_system`) read `case_items` with no council set. Row-level security is forced on
 * it, so run as the tables' owner — as `cli migrate` runs them everywhere but a superuser's development
 * database — they saw no rows and listed nothing: every item from before signatures, and every item
 * signed by the system key before authors had keys, would read as "does not verify". This redoes both,
 * council by council with `nolan.tenant_id` set (as migration 1763902100000 does), and is safe to run
 * where they did work (INSERT … ON CONFLICT DO NOTHING):
 *
 * - an item with no signature is listed as from before signatures. Where the first back-fill missed
 *   its rows, an unsigned row written with the application's role since then is listed too: it reads
 *   "unsigned (recorded before signatures)", never "verified" (docs/threat-model.md).
 * - a person's item is listed as signed by the system only if its signature verifies against a key of
 *   its council's system key rows: exactly the items the system signed for their authors before authors
 *   had keys; an item signed by its author's own key stays checked against that key. Listing decides
 *   only which key an item is checked against; reads still check it against the sealed system key.
 */
export class ItemSignatureBackfill1763904800000 implements MigrationInterface {
  name = 'ItemSignatureBackfill1763904800000';

  async up(q: QueryRunner): Promise<void> {
    const tenants: { id: string }[] = await q.query(`SELECT id FROM tenants`);
    for (const { id } of tenants) {
      await q.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [id]);
      await q.query(
        `INSERT INTO case_items_before_signatures (id)
         SELECT id FROM case_items WHERE signature IS NULL ON CONFLICT DO NOTHING`,
      );
      const keyRows: { public_key: string }[] = await q.query(`SELECT public_key FROM tenant_signing_keys`);
      const keys = await Promise.all(keyRows.map((row) => PublicKeyHandle.parse(row.public_key)));
      if (keys.length === 0) continue; // a council with no system key has signed nothing
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const items: BackfillSignedItem[] = await q.query(
          `SELECT i.id, i.tenant_id AS "tenantId", i.case_id AS "caseId", i.scope, i.kind,
                  i.author_kind AS "authorKind", i.author_id AS "authorId", i.created_at AS "createdAt",
                  i.ciphertext, i.signature
             FROM case_items i
            WHERE i.signature IS NOT NULL AND i.author_kind IN ('staff', 'reporter') AND i.id > $1
              AND NOT EXISTS (SELECT 1 FROM case_items_signed_by_system s WHERE s.id = i.id)
            ORDER BY i.id LIMIT 500`,
          [after],
        );
        if (items.length === 0) break;
        after = (items[items.length - 1] as BackfillSignedItem).id;
        const bySystem: string[] = [];
        for (const item of items) {
          const statement = itemStatement(item);
          for (const key of keys)
            if (await verifyDetached(statement, new Uint8Array(item.signature), key)) {
              bySystem.push(item.id);
              break;
            }
        }
        if (bySystem.length)
          await q.query(
            `INSERT INTO case_items_signed_by_system (id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`,
            [bySystem],
          );
      }
    }
    await q.query(`SELECT set_config('nolan.tenant_id', '', true)`);
  }

  async down(): Promise<void> {
    // Nothing: the rows it adds are the ones the earlier migrations meant to add, and go with their tables.
  }
}

interface BackfillSignedItem {
  id: string;
  tenantId: string;
  caseId: string;
  scope: 'report' | 'internal' | 'identity';
  kind: string;
  authorKind: 'staff' | 'reporter';
  authorId: string | null;
  createdAt: Date;
  ciphertext: Buffer;
  signature: Buffer;
}
