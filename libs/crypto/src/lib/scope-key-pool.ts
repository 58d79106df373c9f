// Why this exists: a report needs three fresh scope key pairs (scope-keys.ts), about a third of intake's
// public-key work. Generating them while the report waits puts that work on its latency; a small pool
// made in the background between requests takes it off (docs/performance.md "Key pairs ahead of need").
// Every key pair is still used once, for one case. A pair is dated, like every packet, to its hour
// (packetDate), and one made in an earlier hour than the report's is never handed out: a case's keys
// carry the hour it was received, as when they are made on demand. Few are kept (an attacker who could
// read the process's memory would find the next few cases' keys there, as they would find those cases
// themselves while they arrive), and they live at most an hour.
import { packetDate } from './openpgp-settings';
import { SCOPES, type Scope, type ScopeKeyPair, generateScopeKeyPair } from './scope-keys';

interface Pooled {
  pair: ScopeKeyPair;
  hour: number;
}

export class ScopeKeyPool {
  private readonly ready = new Map<Scope, Pooled[]>(SCOPES.map((scope) => [scope, []]));
  private filling = false;

  /** `size` ready pairs per scope at most; `now` and `generate` are for tests. */
  constructor(
    readonly size = 4,
    private readonly now: () => number = Date.now,
    private readonly generate: (scope: Scope) => Promise<ScopeKeyPair> = generateScopeKeyPair,
  ) {}

  /** A fresh key pair for `scope`, never handed out before: from the pool if one of this hour is ready. */
  async take(scope: Scope): Promise<ScopeKeyPair> {
    const hour = packetDate(this.now()).getTime();
    const ready = (this.ready.get(scope) ?? []).filter((p) => p.hour === hour);
    const taken = ready.shift();
    this.ready.set(scope, ready);
    this.refillSoon();
    return taken ? taken.pair : this.generate(scope);
  }

  /** How many pairs are ready for `scope` now (for tests and the bench). */
  readyCount(scope: Scope): number {
    const hour = packetDate(this.now()).getTime();
    return (this.ready.get(scope) ?? []).filter((p) => p.hour === hour).length;
  }

  /** Resolves once the pool is full (tests and warm-up). */
  async fill(): Promise<void> {
    for (const scope of SCOPES) {
      while (this.readyCount(scope) < this.size) await this.makeOne(scope);
    }
  }

  private async makeOne(scope: Scope): Promise<void> {
    const hour = packetDate(this.now()).getTime();
    const pair = await this.generate(scope);
    // A pair made across the hour's turn carries the old hour: drop it rather than keep it.
    if (packetDate(this.now()).getTime() !== hour) return;
    const ready = (this.ready.get(scope) ?? []).filter((p) => p.hour === hour);
    ready.push({ pair, hour });
    this.ready.set(scope, ready);
  }

  /** Tops the pool up one pair at a time, each after the event loop's pending work (never in a request). */
  private refillSoon(): void {
    if (this.filling) return;
    this.filling = true;
    const step = () => {
      const scope = SCOPES.find((s) => this.readyCount(s) < this.size);
      if (!scope) {
        this.filling = false;
        return;
      }
      this.makeOne(scope).then(
        () => setImmediate(step).unref(),
        () => {
          this.filling = false;
        },
      );
    };
    setImmediate(step).unref();
  }
}

/** The process's pool: nothing is made until a first case asks for keys. */
const shared = new ScopeKeyPool();

/** A fresh scope key pair for a new case, from the process's pool (see ScopeKeyPool). */
export function takeScopeKeyPair(scope: Scope): Promise<ScopeKeyPair> {
  return shared.take(scope);
}
