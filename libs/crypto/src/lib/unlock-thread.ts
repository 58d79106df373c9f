// Why this exists: unlocking a staff key runs Argon2 twice (t=3, p=4, m=64 MiB; ≈0.4–0.6 s on one core) in
// openpgp's WebAssembly, which blocks whatever thread runs it. On the API's event loop that stalls every
// request in the process for the length of a sign-in. Here it runs on a worker thread of its own, so the
// event loop only waits for the answer (docs/performance.md "Argon2 off the event loop").
//
// The thread runs the same steps as staff-keys.ts `unlock` (read the armored key, refuse one that is not
// protected, decryptKey, which also checks the key's parameters) and hands back the unlocked key as
// OpenPGP bytes, which the caller parses (≈0.1 ms). staff-keys.spec.ts runs every unlock case through
// both paths, so they cannot drift apart. One thread, started on first use and ended after five seconds
// idle, which returns Argon2's 64 MiB of WebAssembly memory and the thread's own heap — about 100–140 MB of
// the process's resident set (docs/performance.md "Memory"); a burst of sign-ins shares one thread, and
// starting it again costs about 50 ms beside a 0.5 s unlock. If it cannot start, unlocking happens here.
import { Worker } from 'node:worker_threads';
import type { CryptoErrorCode } from './crypto-error';

const SOURCE = `
const { parentPort } = require('node:worker_threads');
const openpgp = require('openpgp');
parentPort.on('message', async ({ id, armoredKey, passphrase, config }) => {
  const fail = (error) => parentPort.postMessage({ id, error });
  let locked;
  try {
    locked = await openpgp.readPrivateKey({ armoredKey, config });
  } catch {
    return fail('INVALID_KEY');
  }
  if (locked.getKeys().some(({ keyPacket }) => keyPacket.isDecrypted() === true)) return fail('INVALID_KEY');
  let key;
  try {
    key = await openpgp.decryptKey({ privateKey: locked, passphrase, config });
  } catch {
    return fail('WRONG_PASSPHRASE');
  }
  const bytes = key.write();
  parentPort.postMessage({ id, bytes }, [bytes.buffer]);
});
`;

/** How long the thread waits for another unlock before it ends (docs/performance.md "Memory"). */
export const UNLOCK_THREAD_IDLE_MS = 5_000;

type Reply = { id: number; bytes?: Uint8Array; error?: CryptoErrorCode };

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

let worker: Worker | undefined;
let broken = false;
let nextId = 0;
let idleTimer: NodeJS.Timeout | undefined;
const pending = new Map<number, Pending>();

function stop(): void {
  const current = worker;
  worker = undefined;
  void current?.terminate();
}

function start(): Worker | undefined {
  if (broken) return undefined;
  if (worker) return worker;
  try {
    const created = new Worker(SOURCE, { eval: true });
    created.on('message', (reply: Reply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      waiting?.resolve(reply);
      if (pending.size === 0) {
        // Idle: the thread must not keep the process alive (a CLI command ends when its work does).
        created.unref();
        clearTimeout(idleTimer);
        idleTimer = setTimeout(stop, UNLOCK_THREAD_IDLE_MS).unref();
      }
    });
    const failAll = (error: Error) => {
      if (worker === created) worker = undefined;
      for (const [id, waiting] of pending) {
        pending.delete(id);
        waiting.reject(error);
      }
    };
    created.on('error', (error) => {
      broken = true;
      failAll(error);
    });
    created.on('exit', () => failAll(new Error('the unlock thread stopped')));
    created.unref();
    worker = created;
    return created;
  } catch {
    broken = true;
    return undefined;
  }
}

/**
 * Unlocks on the unlock thread: the key's bytes, or the error code to throw. undefined when the thread is
 * not available (the caller unlocks on its own thread instead).
 */
export async function unlockOnThread(
  armoredKey: string,
  passphrase: string,
  config: object,
): Promise<Reply | undefined> {
  const thread = start();
  if (!thread) return undefined;
  clearTimeout(idleTimer);
  const id = nextId++;
  try {
    return await new Promise<Reply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      thread.ref();
      thread.postMessage({ id, armoredKey, passphrase, config });
    });
  } catch {
    return undefined;
  }
}

/** For tests: whether the thread is running now. */
export function unlockThreadRunning(): boolean {
  return worker !== undefined;
}

/** For tests: whether the last unlock could use the thread. */
export function unlockThreadAvailable(): boolean {
  return !broken;
}
