// Why this exists: what reporter batching costs (docs/architecture.md "Reporter time"; README "What
// batching costs"): how long a handler waits from a report (or a reporter's message) to its notice at
// each batch a council may choose, and what the size buckets cost in bytes and time. Figures only.
import { encryptToScope, generateScopeKeyPair, PublicKeyHandle } from '@nolan/crypto';
import { BATCH_MINUTES_CHOICES, batchRelease, DEFAULT_BATCH_MINUTES } from '@nolan/domain';
import type { BenchContext } from './bench';
import { measure, printTable } from './measure';

/** The relay's period in the worker (apps/api/src/workers/outbox-relay.runner.ts, RELAY_EVERY_MS). */
const RELAY_EVERY_MS = 2000;
const SAMPLES = 100_000;

/** A small deterministic generator (mulberry32), so every run prints the same delays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? 0;
}

export async function reporterBatchBench(context: BenchContext): Promise<void> {
  // Submission to notice = the wait for the batch boundary + the relay's next pass (at most 2 s) + the
  // job and the e-mail (about 1.5 s measured end to end, README "Routing, assignment…"). The wait is
  // computed with the very function the API uses, for reports arriving at uniformly random instants
  // over a year.
  const next = random(14);
  const start = Date.UTC(2026, 0, 1);
  const year = 365 * 24 * 3600 * 1000;
  console.log('\nreporter batching: submission to notice, reports at uniformly random instants');
  console.log('  batch             mean wait   p95 wait    max wait    (+ up to 2 s relay, ~1.5 s e-mail)');
  for (const minutes of BATCH_MINUTES_CHOICES) {
    const waits: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const at = new Date(start + Math.floor(next() * year));
      waits.push(batchRelease(at, minutes).getTime() - at.getTime() + next() * RELAY_EVERY_MS);
    }
    waits.sort((a, b) => a - b);
    const mean = waits.reduce((sum, w) => sum + w, 0) / waits.length;
    const label = `${minutes} min${minutes === DEFAULT_BATCH_MINUTES ? ' (default)' : ''}`;
    const fmt = (ms: number) => `${(ms / 60_000).toFixed(1)} min`.padEnd(12);
    console.log(
      `  ${label.padEnd(18)}${fmt(mean)}${fmt(percentile(waits, 0.95))}${fmt(waits[waits.length - 1] ?? 0)}`,
    );
  }

  const scope = await generateScopeKeyPair('report');
  const key = await PublicKeyHandle.parse(scope.publicKey);
  console.log('\nsize buckets: ciphertext bytes stored for content of a given size (encrypted to one scope)');
  for (const size of [300, 2_000, 5_000, 40_000, 70_000, 1_000_000, 10_000_000]) {
    const stored = (await encryptToScope(new Uint8Array(size), key)).length;
    const extra = (((stored - size) / size) * 100).toFixed(0);
    console.log(`  ${String(size).padStart(10)} B -> ${String(stored).padStart(10)} B  (+${extra}%)`);
  }
  const n = context.iterations;
  const short = 'A short report of a few hundred bytes. '.repeat(8);
  const file = new Uint8Array(1_000_000);
  printTable('padded encryption (each message filled to its bucket inside the encryption)', [
    await measure('encrypt a 300 B text (to 4 KiB)', { warmup: 10, iterations: n }, () =>
      encryptToScope(short, key),
    ),
    await measure(
      'encrypt a 1 MB file (Padmé bucket)',
      { warmup: 2, iterations: Math.max(5, Math.ceil(n / 20)) },
      () => encryptToScope(file, key),
    ),
  ]);
}
