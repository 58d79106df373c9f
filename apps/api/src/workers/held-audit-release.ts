import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { inTenant } from '../database/tenant-transaction';
import { ReporterTime } from '../reporter-time/reporter-time';

/** How long a council's release waits for its audit trail's lock before leaving it for the next pass. */
export const TRAIL_WAIT = '5s';

/**
 * Appends each council's held audit entries once their batch boundary has passed (docs/architecture.md
 * "Reporter time"), one transaction per council that has some due, after putting the batch's rows back
 * in place. Postgres only, so it runs while Redis is away too.
 */
@Injectable()
export class HeldAuditRelease {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly reporterTime: ReporterTime,
  ) {}

  async releaseOnce(): Promise<number> {
    let released = 0;
    const now = this.reporterTime.now();
    // Only the councils with something due, held audit entries or rows to put in place (the function
    // returns their ids and nothing else): an idle pass is one query, not a transaction per council
    // (docs/performance.md "Routing latency").
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT nolan_held_audit_due_tenants($1) AS id`,
      [now],
    );
    // One council that fails (its pass is retried on the next tick) never holds up the councils after it.
    let failure: unknown;
    for (const tenant of due) {
      try {
        // First the rows' physical places (docs/architecture.md "Reporter time", "Placement"), committed
        // on their own: each row the batch wrote goes out and back in, in random order, before the relay
        // marks its outbox rows sent. One indexed look when nothing is due; a row that cannot move waits
        // for the next pass. A row a handler holds (the door's lock on a case being placed) is not waited
        // for beyond a moment: the row is left for the next pass, so one long request never stalls the
        // relay.
        await inTenant(this.dataSource, tenant.id, async (m) => {
          await m.query(`SET LOCAL lock_timeout = '2s'`);
          await m.query(`SELECT nolan_release_placement($1)`, [now]);
        });
        // Then the held entries. The audit trail's lock is waited for a few seconds, no longer: a staff
        // transaction that holds it for long (a key recovery re-making thousands of grants) leaves the
        // council's entries for the next pass, without undoing the placement above, and never stalls the
        // relay and every other council's release behind it (the relay sends none of the council's batch
        // meanwhile: OutboxRelay.relayOnce).
        released += await inTenant(this.dataSource, tenant.id, async (m) => {
          await m.query(`SET LOCAL lock_timeout = '${TRAIL_WAIT}'`);
          return this.audit.releaseHeld(m, now);
        });
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
    return released;
  }
}
