import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { HeldAuditRelease } from './held-audit-release';

// A pass with nothing to send is one cheap query (nolan_outbox_pending_tenants), so the relay can look
// often: a new case's notices start within a quarter of a second (docs/performance.md "Routing latency").
export const RELAY_EVERY_MS = 250;

/**
 * Runs the outbox relay every 250 ms in the worker process. A timer, not a BullMQ job, because the relay
 * is what catches up after Redis was away: it must keep trying without Redis. Passes never overlap.
 * Each pass first appends the reporter batches' held audit entries whose boundary has passed
 * (docs/architecture.md "Reporter time"), so they are in the trail before the workers record what
 * their batch caused.
 */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastWarning = 0;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly heldAudit: HeldAuditRelease,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), RELAY_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass, unless one is still running. */
  tick(): Promise<void> {
    if (!this.running) {
      this.running = this.heldAudit
        .releaseOnce()
        .catch((error: unknown) => {
          // The relay goes on regardless: held entries wait for the next pass, never lost.
          this.logger.error(
            `held audit entries not released: ${error instanceof Error ? error.name : 'error'}`,
          );
        })
        .then(() => this.relay.relayOnce())
        .then((count) => {
          if (count) this.logger.log(`relayed ${count} outbox event(s)`);
        })
        .catch((error: unknown) => {
          if (Date.now() - this.lastWarning > 30_000) {
            this.lastWarning = Date.now();
            this.logger.warn(`outbox relay waiting: ${error instanceof Error ? error.name : 'error'}`);
          }
        })
        .finally(() => {
          this.running = undefined;
        });
    }
    return this.running;
  }
}
