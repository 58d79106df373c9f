/**
 * Where an unsent report waits between the pages of the journey, so that every page can be an
 * ordinary address (post/redirect/get: the browser's Back and refresh only ever load a page, never
 * send a form again) without the portal being able to read what is waiting, and without a cookie.
 *
 * The design, and why (docs/reporter-journey.md has the longer account):
 * - A draft has a **handle**: a random id and a random 256-bit key, sealed (Sealer, under
 *   PORTAL_SESSION_SECRET) with the council's slug and an expiry into one opaque string. The handle is
 *   in the page's address and in its forms, and nowhere else: not in a cookie (a reporter gets none
 *   before receipt sign-in), not in this store, not in a log.
 * - The store keeps, under the id, only AES-256-GCM ciphertext under the handle's key (each slot's
 *   name is bound in as associated data, so no slot can stand in for another). Without the handle the
 *   store is noise; without PORTAL_SESSION_SECRET a handle seen in an address (a proxy's log) is noise.
 *   So a copy of the portal's memory, of the database or of Redis (which the portal never writes)
 *   reveals no report text, file or file name.
 * - The store is this process's memory: bounded (a byte budget across all drafts, files included),
 *   and every slot expires (a draft a day after it was started, a receipt two hours after sending).
 *   Nothing in it survives a restart, which loses only unsent drafts and never a report: a report is
 *   kept once the API has acknowledged it. Several portal processes would need their own handle
 *   routing or a shared store holding the same ciphertext; one portal process is what Nolan runs.
 * - "Sent once": sending replaces the draft by a receipt for the confirmation page and then by a bare
 *   tombstone ("this draft was sent"), which holds no reference, no receipt and no time beyond its
 *   expiry, so nothing here links a browser's handle to a case once the reporter has left the receipt
 *   page. A second press while the first is still being sent waits for the first (`once`).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What unlocks one draft: the id its slots are kept under and the key they are encrypted with. */
export interface DraftKey {
  readonly id: string;
  readonly key: Buffer;
}

export function newDraftKey(): DraftKey {
  return { id: randomBytes(16).toString('base64url'), key: randomBytes(32) };
}

interface Slot {
  readonly sealed: Buffer;
  readonly expiresAt: number;
}

/** The store could not take more bytes: too many drafts with files at once. */
export class DraftStoreFull extends Error {
  constructor() {
    super('the draft store is full');
  }
}

export interface DraftStoreOptions {
  /** Bytes of ciphertext held at most, across every draft (files included). */
  readonly budgetBytes: number;
  readonly now?: () => number;
}

/** 256 MB: 5 reports with the most files a council allows, or thousands without files. */
export const DEFAULT_DRAFT_STORE_BYTES = 256 * 1024 * 1024;

export class DraftStore {
  private readonly slots = new Map<string, Slot>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private held = 0;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: DraftStoreOptions = { budgetBytes: DEFAULT_DRAFT_STORE_BYTES }) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** Bytes held now (for tests and the budget). */
  get bytesHeld(): number {
    return this.held;
  }

  /** Every stored byte, for tests that prove the store holds no plain text. */
  *rawContents(): Iterable<Buffer> {
    for (const slot of this.slots.values()) yield slot.sealed;
  }

  write(key: DraftKey, name: string, value: Buffer, ttlSeconds: number): void {
    const slotId = `${key.id}:${name}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.key, iv);
    cipher.setAAD(Buffer.from(slotId, 'utf8'));
    const sealed = Buffer.concat([iv, cipher.update(value), cipher.final(), cipher.getAuthTag()]);
    const previous = this.slots.get(slotId);
    const growth = sealed.length - (previous?.sealed.length ?? 0);
    if (growth > 0 && this.held + growth > this.options.budgetBytes) {
      this.sweep();
      if (this.held + growth > this.options.budgetBytes) throw new DraftStoreFull();
    }
    this.held += growth;
    this.slots.set(slotId, { sealed, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  read(key: DraftKey, name: string): Buffer | undefined {
    const slotId = `${key.id}:${name}`;
    const slot = this.slots.get(slotId);
    if (!slot) return undefined;
    if (slot.expiresAt <= this.now()) {
      this.drop(slotId);
      return undefined;
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, slot.sealed.subarray(0, 12));
      decipher.setAAD(Buffer.from(slotId, 'utf8'));
      decipher.setAuthTag(slot.sealed.subarray(slot.sealed.length - 16));
      return Buffer.concat([
        decipher.update(slot.sealed.subarray(12, slot.sealed.length - 16)),
        decipher.final(),
      ]);
    } catch {
      return undefined;
    }
  }

  writeJson(key: DraftKey, name: string, value: unknown, ttlSeconds: number): void {
    this.write(key, name, Buffer.from(JSON.stringify(value), 'utf8'), ttlSeconds);
  }

  readJson<T>(key: DraftKey, name: string): T | undefined {
    const raw = this.read(key, name);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw.toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  delete(key: DraftKey, name: string): void {
    this.drop(`${key.id}:${name}`);
  }

  /**
   * Runs `work` for this draft unless a run is already under way, in which case it waits for that one
   * instead and returns undefined: two presses of "Send report" send once. The check and the claim
   * happen in one synchronous step, so no second request can slip in between.
   */
  async once<T>(key: DraftKey, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const running = this.inFlight.get(key.id);
    if (running) {
      await running.catch(() => undefined);
      return { ran: false };
    }
    const run = work();
    this.inFlight.set(key.id, run);
    try {
      return { ran: true, value: await run };
    } finally {
      this.inFlight.delete(key.id);
    }
  }

  private drop(slotId: string): void {
    const slot = this.slots.get(slotId);
    if (!slot) return;
    this.held -= slot.sealed.length;
    this.slots.delete(slotId);
  }

  private sweep(): void {
    const now = this.now();
    for (const [slotId, slot] of this.slots) if (slot.expiresAt <= now) this.drop(slotId);
  }
}
