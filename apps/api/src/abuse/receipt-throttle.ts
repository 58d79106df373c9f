/**
 * Rate limits on receipt sign-in (`POST /tenants/:slug/reporter-sessions`) that never look at who is
 * asking: no IP address, user agent or cookie (docs/abuse-resistance.md).
 *
 * (a) Per tenant, globally: after 20 wrong receipts within a minute, every receipt sign-in for that
 *     council is refused for a cool-down of 1 minute, doubling each time the threshold is reached
 *     again within an hour of the last cool-down (2, 4, 8 minutes), up to 15 minutes. Guessing a
 *     ~90-bit receipt is hopeless anyway; this caps the rate at which anyone could try, whatever
 *     number of machines they use, at the price that a determined attacker can pause receipt
 *     sign-in for a council (never submission, never staff sign-in).
 * (b) Per receipt lookup key (the caller's HMAC of the normalised receipt): 5 failures in a clock hour.
 *     The window is the clock hour, not an hour from the first failure, so the key's expiry says no
 *     more than the hour a receipt was mistyped in (docs/architecture.md "Reporter time").
 *
 * Redis keys hold tenant ids and a keyed hash of the lookup key, never the lookup key itself, so a
 * copy of Redis cannot be matched against the receipts table in a copy of Postgres. Every window here
 * is a CountWindows window (abuse-store.ts): its end is sealed and its key expires on an hour that says
 * only the clock hour it opened in, so neither the first wrong receipt of a minute nor a cool-down's
 * start is placed closer than the hour (docs/architecture.md "Redis hygiene").
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../errors/app-error';
import { inMinutes, retryAfterSeconds } from './abuse-options';
import { AbuseStore, type CountWindows, type WindowState } from './abuse-store';

export const TENANT_FAILURES_PER_MINUTE = 20;
export const FIRST_COOL_DOWN_SECONDS = 60;
export const MAX_COOL_DOWN_SECONDS = 15 * 60;
/** A cool-down is remembered this long after it starts: another one within it lasts twice as long. */
export const COOL_DOWN_MEMORY_SECONDS = 60 * 60;
export const FAILURES_PER_RECEIPT_PER_HOUR = 5;

@Injectable()
export class ReceiptSignInThrottle {
  private readonly key: Buffer;
  /** Wrong receipts in the council's running minute (from the first). */
  private readonly tenantFailures: CountWindows;
  /** Count = how many cool-downs in a row; remembered COOL_DOWN_MEMORY_SECONDS from the last. */
  private readonly coolDowns: CountWindows;
  /** A running window here means "cool-down running"; its count is which cool-down in a row it is. */
  private readonly coolingDown: CountWindows;
  private readonly receiptFailures: CountWindows;

  constructor(@Inject(APP_CONFIG) config: AppConfig, store: AbuseStore) {
    this.key = Buffer.from(hkdfSync('sha256', config.sessionSecret, '', 'nolan/receipt-throttle/v1', 32));
    this.tenantFailures = store.windows('receipt-failures-tenant', 60);
    this.coolDowns = store.windows('receipt-cool-downs', COOL_DOWN_MEMORY_SECONDS);
    this.coolingDown = store.windows('receipt-cooling-down', MAX_COOL_DOWN_SECONDS);
    this.receiptFailures = store.windows('receipt-failures-key', 3600);
  }

  /** Before checking a receipt: 429 with Retry-After while the tenant cools down or the key is spent. */
  async assertAllowed(tenantId: string, lookupKey: string): Promise<void> {
    const coolDown = await this.coolingDown.get(tenantId);
    if (running(coolDown)) {
      // The cool-down's whole length, never what is left of it: that would say, to the second, when
      // someone else's twentieth wrong receipt came (docs/architecture.md "Redis hygiene").
      const seconds = coolDownSeconds(Math.max(1, coolDown.count));
      throw new AppError(
        'TOO_MANY_REQUESTS',
        'Too many wrong receipts have been tried for this council, so signing in with a receipt is ' +
          `paused for everyone for a short while. Try again in ${inMinutes(seconds)}.`,
        seconds,
      );
    }
    const receipt = await this.receiptFailures.get(this.receiptWindow(tenantId, lookupKey).key);
    if (running(receipt) && receipt.count >= FAILURES_PER_RECEIPT_PER_HOUR) {
      const seconds = retryAfterSeconds(receipt.msLeft);
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `This receipt has been tried too many times. Try again in ${inMinutes(seconds)}.`,
        seconds,
      );
    }
  }

  /**
   * After a wrong receipt. Never throws a 429 itself (the caller answers this attempt with its own
   * 401); the next assertAllowed refuses.
   */
  async recordFailure(tenantId: string, lookupKey: string): Promise<void> {
    const window = this.receiptWindow(tenantId, lookupKey);
    await this.receiptFailures.add(window.key, 1, window.seconds);
    const failures = await this.tenantFailures.add(tenantId, 1);
    // Exactly one request sees the count reach the threshold (HINCRBY is atomic), so one cool-down
    // starts per burst; the count restarts so the next cool-down takes another full burst.
    if (failures.count !== TENANT_FAILURES_PER_MINUTE) return;
    const previous = await this.coolDowns.get(tenantId);
    const inARow = (running(previous) ? previous.count : 0) + 1;
    await this.coolDowns.set(tenantId, inARow, COOL_DOWN_MEMORY_SECONDS);
    // Its count is which cool-down in a row it is, so a refusal can name its whole length.
    await this.coolingDown.set(tenantId, inARow, coolDownSeconds(inARow));
    await this.tenantFailures.delete(tenantId);
  }

  /**
   * After a right receipt: that key's failures are forgotten. The tenant's count is not: one valid
   * receipt must not let its holder reset the global slow-down for guesses at everyone else's.
   */
  async recordSuccess(tenantId: string, lookupKey: string): Promise<void> {
    await this.receiptFailures.delete(this.receiptWindow(tenantId, lookupKey).key);
  }

  /** A receipt's failures this clock hour: its key, and the seconds left until the hour ends. */
  private receiptWindow(tenantId: string, lookupKey: string): { key: string; seconds: number } {
    const now = Date.now();
    const hour = Math.floor(now / 3_600_000);
    return {
      key: `${this.receiptKey(tenantId, lookupKey)}:${hour}`,
      seconds: Math.max(1, Math.ceil(((hour + 1) * 3_600_000 - now) / 1000)),
    };
  }

  private receiptKey(tenantId: string, lookupKey: string): string {
    return createHmac('sha256', this.key).update(`${tenantId}\0${lookupKey}`).digest('base64url');
  }
}

/** The n-th cool-down in a row: 1, 2, 4, 8 minutes, then 15. */
export function coolDownSeconds(inARow: number): number {
  return Math.min(MAX_COOL_DOWN_SECONDS, FIRST_COOL_DOWN_SECONDS * 2 ** Math.min(inARow - 1, 20));
}

/** A window that has not ended. */
function running(state: WindowState | null): state is WindowState {
  return state !== null && state.msLeft > 0;
}
