// Why this exists: the crypto floor of libs/crypto — what one report submission costs in openpgp work alone,
// on one core, before any HTTP, database or queue — and the single operations it is made of. It tells how
// many submissions a core can take at best, and which operation to look at first when that is too few.
// Measures docs/architecture.md "Encryption model" (scope keys, grants, reporter key under the receipt,
// lookup).
import {
  PublicKeyHandle,
  UnlockedKey,
  createGrant,
  createGrants,
  createReporterKey,
  decryptWithScope,
  encryptToScope,
  exportForRecipient,
  generateScopeKeyPair,
  generateStaffKeyPair,
  openGrant,
  receiptLookupKey,
  signDetached,
  takeScopeKeyPair,
  unlockPrivateKey,
  unlockReporterKey,
  verifyDetached,
} from '@nolan/crypto';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Measurement, measure, printTable, summarise } from './measure';
import type { BenchContext } from './bench';

const RECEIPT = 'stoic-banjo-turret-quill-amber-lilac-pelican';
const PEPPER = randomBytes(32);
const PASSPHRASE = 'bench staff passphrase';
// 4 KB of text, the size of a long written report.
const REPORT = 'The contract was awarded without the declared interest being recorded. '
  .repeat(57)
  .slice(0, 4096);

/**
 * One submission's openpgp work, in the order the API does it at intake: the reporter's key pair and the
 * three scope key pairs taken from the process's pools (made between requests: run back to back, the
 * pools' refill runs inside the measured submissions, so the floor still counts every key generation),
 * the report encrypted to its scope, and each scope's grants made together, one session key per scope
 * (docs/performance.md "One session key per scope").
 */
async function submission(handlers: PublicKeyHandle[], escrow: PublicKeyHandle): Promise<void> {
  const reporter = await createReporterKey(RECEIPT);
  const reporterKey = await PublicKeyHandle.parse(reporter.publicKey);
  const report = await takeScopeKeyPair('report');
  const internal = await takeScopeKeyPair('internal');
  const identity = await takeScopeKeyPair('identity');
  await encryptToScope(REPORT, report.publicKey);
  await createGrants(report.privateKey, [...handlers, escrow, reporterKey]);
  await createGrants(internal.privateKey, [...handlers, escrow]);
  await createGrants(identity.privateKey, [...handlers, escrow]);
  receiptLookupKey(PEPPER, RECEIPT);
}

/**
 * The same submission with a pause after each, untimed, in which the pools refill: what one report costs
 * while it waits when the API has idle moments between reports (its latency), not what it costs the CPU.
 */
async function measureWithPauses(
  label: string,
  options: { warmup: number; iterations: number },
  step: () => Promise<unknown>,
): Promise<Measurement> {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 60));
  for (let i = 0; i < options.warmup; i += 1) await step().then(pause);
  const durations: number[] = [];
  for (let i = 0; i < options.iterations; i += 1) {
    const start = performance.now();
    await step();
    durations.push(performance.now() - start);
    await pause();
  }
  return summarise(label, durations);
}

async function staffFixtures() {
  // Three handlers and the tenant escrow, as real staff keys (Argon2-protected), parsed once.
  const staff = await Promise.all(
    ['Handler One', 'Handler Two', 'Handler Three', 'Escrow'].map((name, i) =>
      generateStaffKeyPair({ name, email: `staff${i}@bench.example`, passphrase: PASSPHRASE }),
    ),
  );
  const staffKeys = await Promise.all(staff.map((material) => PublicKeyHandle.parse(material.publicKey)));
  return { staff, handlers: staffKeys.slice(0, 3), escrow: staffKeys[3] as PublicKeyHandle };
}

/** The crypto floor alone (one submission's openpgp work, back to back on one core), for other benches. */
export async function measureCryptoFloor(iterations: number): Promise<Measurement> {
  const { handlers, escrow } = await staffFixtures();
  return measure('one submission', { warmup: Math.ceil(iterations / 10), iterations }, () =>
    submission(handlers, escrow),
  );
}

export async function cryptoFloorBench(context: BenchContext): Promise<void> {
  const n = context.iterations;
  const { staff, handlers, escrow } = await staffFixtures();

  // CPU time as well as wall time: on a shared machine the wall time says as much about the neighbours as
  // about the code, while the process's CPU time (every thread, so the thread pool's WebCrypto work too)
  // counts only what one submission costs. Warm-up included; the pools' last refill too.
  const floorOptions = { warmup: Math.ceil(n / 10), iterations: n };
  const cpuBefore = process.cpuUsage();
  const floor = await measure('one submission', floorOptions, () => submission(handlers, escrow));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000 / (floorOptions.warmup + floorOptions.iterations);
  console.log(
    [
      '',
      'crypto floor: one submission = reporter key (from the pool) under the receipt, 3 scope key pairs',
      '(from the pool), 4 KB report to the report scope, grants made together per scope: report→5',
      '(3 handlers, escrow, reporter), internal→4, identity→4, receipt lookup key; run back to back on',
      'one core, the pools refilling inside the measured submissions.',
      `  mean ${floor.meanMs.toFixed(2)} ms   p95 ${floor.p95Ms.toFixed(2)} ms   ` +
        `${floor.perSecond.toFixed(0)} submissions/s on one core   (n=${floor.iterations})`,
      `  CPU time ${cpuMs.toFixed(2)} ms a submission (all threads)   load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
    ].join('\n'),
  );
  const ready = await measureWithPauses(
    'one submission, keys ready',
    { warmup: 5, iterations: Math.max(20, Math.ceil(n / 4)) },
    () => submission(handlers, escrow),
  );
  console.log(
    `  with a 60 ms pause after each (the pools refilled): mean ${ready.meanMs.toFixed(2)} ms   ` +
      `p95 ${ready.p95Ms.toFixed(2)} ms   (n=${ready.iterations})`,
  );

  // Fixtures for the single operations.
  const scope = await generateScopeKeyPair('report');
  const scopePublic = await PublicKeyHandle.parse(scope.publicKey);
  const scopeKey = await UnlockedKey.fromSerialized(scope.privateKey);
  const ciphertext = await encryptToScope(REPORT, scope.publicKey);
  const staffMaterial = staff[0] as (typeof staff)[number];
  const staffKey = await unlockPrivateKey(staffMaterial.encryptedPrivateKey, PASSPHRASE);
  const grant = await createGrant(scope.privateKey, staffKey.publicKey());
  const reporter = await createReporterKey(RECEIPT);
  const recipient = handlers[0] as PublicKeyHandle;
  const fiveGrantees = [...handlers, escrow, reporter.unlocked.publicKey()];
  // An item's signed statement is a short JSON array (ids, kind, author, time, a SHA-256): about 300 bytes.
  const statement = new TextEncoder().encode('x'.repeat(300));
  const itemSignature = await signDetached(statement, reporter.unlocked);
  const reporterPublic = reporter.unlocked.publicKey();

  const fast = { warmup: Math.ceil(n / 10), iterations: n };
  // Keys never seen before, to time a real parse rather than a hit in the parsed-key cache.
  const unseen: string[] = [];
  for (let i = 0; i < fast.warmup + fast.iterations; i += 1) {
    unseen.push((await PublicKeyHandle.parse((await generateScopeKeyPair('report')).publicKey)).toArmored());
  }
  const slow = { warmup: 1, iterations: Math.max(3, Math.ceil(n / 20)) };
  const rows = [
    await measure('generate a scope key pair (v4 Curve25519, binary)', fast, () =>
      generateScopeKeyPair('report'),
    ),
    await measure('parse a public key never seen before (armored)', fast, () =>
      PublicKeyHandle.parse(unseen.pop() ?? ''),
    ),
    await measure('encrypt 4 KB to a scope (key as bytes, known)', fast, () =>
      encryptToScope(REPORT, scope.publicKey),
    ),
    await measure('encrypt 4 KB to a scope (handle)', fast, () => encryptToScope(REPORT, scopePublic)),
    await measure('create a grant (one grantee)', fast, () => createGrant(scope.privateKey, recipient)),
    await measure('create 5 grants of one scope, one call each', fast, async () => {
      for (const grantee of fiveGrantees) await createGrant(scope.privateKey, grantee);
    }),
    await measure('create 5 grants of one scope together (createGrants)', fast, () =>
      createGrants(scope.privateKey, fiveGrantees),
    ),
    await measure('open a grant', fast, () => openGrant(grant, staffKey)),
    await measure('decrypt 4 KB (key as bytes)', fast, () => decryptWithScope(ciphertext, scope.privateKey)),
    await measure('decrypt 4 KB (parsed key)', fast, () => decryptWithScope(ciphertext, scopeKey)),
    await measure('create the reporter key under a receipt (pooled pair)', fast, () =>
      createReporterKey(RECEIPT),
    ),
    await measure('unlock the reporter key (HKDF session key)', fast, () =>
      unlockReporterKey(reporter, RECEIPT),
    ),
    await measure('receipt lookup key (HMAC-SHA256)', fast, () => receiptLookupKey(PEPPER, RECEIPT)),
    await measure('sign an item (detached, by its author’s key)', fast, () =>
      signDetached(statement, reporter.unlocked),
    ),
    await measure('verify an item’s signature (parsed key)', fast, () =>
      verifyDetached(statement, itemSignature, reporterPublic),
    ),
    await measure('export 4 KB (sign + encrypt, armored)', fast, () =>
      exportForRecipient({ content: REPORT, recipient, signer: staffKey }),
    ),
    await measure('unlock a staff key (Argon2 S2K, 2 key packets)', slow, () =>
      unlockPrivateKey(staffMaterial.encryptedPrivateKey, PASSPHRASE),
    ),
  ];
  printTable('single operations (one core, back to back)', rows);
}
