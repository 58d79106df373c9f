// Why this exists: every report makes the reporter a fresh key pair (reporter-keys.ts), a key generation
// as costly as a scope key pair's. Made while the report waits, it is on the report's latency; a small pool
// made between requests takes it off, as the scope key pool does (docs/performance.md "Key pairs ahead of
// need"), with the same rules: every pair is handed out once, for one reporter; a pair is dated, like
// every packet, to its hour (packetDate), and one made in an earlier hour than the report's is never handed
// out nor kept, so a reporter's key carries the hour the report was received, as when made on demand. The
// receipt is never near the pool: a pair is locked under its receipt in the request that takes it. Few are
// kept (an attacker who could read the process's memory would find the next few reporters' keys there,
// as they would find those reports themselves while they arrive), and they live at most an hour.
import type { PrivateKey } from 'openpgp';
import { rememberPublicKey } from './key-handles';
import { generateV4KeyPair, packetDate } from './openpgp-settings';

/** A reporter's key pair made ahead of need: the key, and its public half already written and remembered. */
export interface PooledReporterKey {
  key: PrivateKey;
  /** Binary OpenPGP public key. */
  publicKey: Uint8Array;
}

/** A new reporter key pair, made now. The user ID is fixed: nothing about the reporter goes into it. */
export async function generateReporterKeyPair(): Promise<PooledReporterKey> {
  const key = await generateV4KeyPair({ name: 'Nolan reporter' });
  const publicKey = key.toPublic();
  const publicKeyBytes = publicKey.write();
  rememberPublicKey(publicKeyBytes, publicKey);
  return { key, publicKey: publicKeyBytes };
}

interface Pooled {
  pair: PooledReporterKey;
  hour: number;
}

export class ReporterKeyPool {
  private ready: Pooled[] = [];
  private filling = false;

  /** `size` ready pairs at most; `now` and `generate` are for tests. */
  constructor(
    readonly size = 4,
    private readonly now: () => number = Date.now,
    private readonly generate: () => Promise<PooledReporterKey> = generateReporterKeyPair,
  ) {}

  /** A fresh key pair, never handed out before: from the pool if one of this hour is ready. */
  async take(): Promise<PooledReporterKey> {
    const hour = packetDate(this.now()).getTime();
    this.ready = this.ready.filter((p) => p.hour === hour);
    const taken = this.ready.shift();
    this.refillSoon();
    return taken ? taken.pair : this.generate();
  }

  /** How many pairs are ready now (for tests and the bench). */
  readyCount(): number {
    const hour = packetDate(this.now()).getTime();
    return this.ready.filter((p) => p.hour === hour).length;
  }

  /** Resolves once the pool is full (tests and warm-up). */
  async fill(): Promise<void> {
    while (this.readyCount() < this.size) await this.makeOne();
  }

  private async makeOne(): Promise<void> {
    const hour = packetDate(this.now()).getTime();
    const pair = await this.generate();
    // A pair made across the hour's turn carries the old hour: drop it rather than keep it.
    if (packetDate(this.now()).getTime() !== hour) return;
    this.ready = this.ready.filter((p) => p.hour === hour);
    this.ready.push({ pair, hour });
  }

  /** Tops the pool up one pair at a time, each after the event loop's pending work (never in a request). */
  private refillSoon(): void {
    if (this.filling) return;
    this.filling = true;
    const step = () => {
      if (this.readyCount() >= this.size) {
        this.filling = false;
        return;
      }
      this.makeOne().then(
        () => setImmediate(step).unref(),
        () => {
          this.filling = false;
        },
      );
    };
    setImmediate(step).unref();
  }
}

/** The process's pool: nothing is made until a first report asks for a reporter key. */
export const sharedReporterKeyPool = new ReporterKeyPool();
