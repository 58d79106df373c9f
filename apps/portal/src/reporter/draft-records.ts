/**
 * The journey's view of the draft store (draft-store.ts): a draft's record and its files, each kept
 * encrypted under the draft's handle, with the lifetimes the record's state calls for.
 */
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DRAFT_TTL_SECONDS, type DraftHandle, type DraftRecord, RECEIPT_TTL_SECONDS } from './draft-seal';
import { DraftStore } from './draft-store';
import type { Draft, DraftFile } from './journey';

const RECORD = 'record';
const fileSlot = (id: string) => `file:${id}`;

@Injectable()
export class DraftRecords {
  constructor(private readonly store: DraftStore) {}

  read(handle: DraftHandle): DraftRecord | undefined {
    return this.store.readJson<DraftRecord>(handle, RECORD);
  }

  save(handle: DraftHandle, record: DraftRecord): void {
    this.store.writeJson(
      handle,
      RECORD,
      record,
      record.state === 'sent' ? RECEIPT_TTL_SECONDS : DRAFT_TTL_SECONDS,
    );
  }

  /** Keeps a file for the draft and says how to find it again; throws DraftStoreFull if there is no room. */
  addFile(handle: DraftHandle, name: string, bytes: Buffer): DraftFile {
    const id = randomBytes(8).toString('base64url');
    this.store.write(handle, fileSlot(id), bytes, DRAFT_TTL_SECONDS);
    return { id, name, size: bytes.length };
  }

  /** The draft's files with their bytes, or undefined if any has gone (expired with the draft). */
  files(handle: DraftHandle, draft: Draft): { name: string; bytes: Buffer }[] | undefined {
    const found = (draft.files ?? []).map((f) => ({
      name: f.name,
      bytes: this.store.read(handle, fileSlot(f.id)),
    }));
    return found.every((f) => f.bytes !== undefined)
      ? found.map((f) => ({ name: f.name, bytes: f.bytes as Buffer }))
      : undefined;
  }

  removeFile(handle: DraftHandle, id: string): void {
    this.store.delete(handle, fileSlot(id));
  }

  /** Runs the sending of this draft once, however many presses of "Send report" arrive together. */
  once<T>(handle: DraftHandle, work: () => Promise<T>) {
    return this.store.once(handle, work);
  }
}
