/**
 * Reading a case's report-scope content once its scope key is open: the report, the files and the
 * messages, decrypted and shaped for whoever asked. Shared by the staff and the reporter views so both
 * see the same thing.
 */
import type { CaseAttachment, CaseMessage, ItemVerification } from '@nolan/contract';
import { decryptWithScope, type UnlockedKey } from '@nolan/crypto';
import { toLondonDate } from '@nolan/domain';
import type { CaseItemEntity } from '../store/case.entity';
import { bothSettled, mapInParallel } from '../../common/in-parallel';
import { type FileHeader, unpackFile, unpackJson } from './item-codec';

/** Items decrypted at once by a read (docs/performance.md "Opening a case"). */
export const ITEMS_AT_ONCE = 4;

/** A file's plaintext can be megabytes: files are decrypted one at a time, beside the rest. */
export const isFile = (item: Pick<CaseItemEntity, 'kind'>) => item.kind === 'attachment';

export interface ReportContent {
  report: unknown;
  reportVerification?: ItemVerification;
  attachments: CaseAttachment[];
  messages: CaseMessage[];
}

export async function readReportScope(
  items: readonly CaseItemEntity[],
  scopeKey: UnlockedKey,
  /**
   * Each item's signature state (ItemSeal.verify), when the reader shows it: pass the promise as it is,
   * and the signatures are checked while the items are decrypted.
   */
  shownVerification?: ReadonlyMap<string, ItemVerification> | Promise<ReadonlyMap<string, ItemVerification>>,
): Promise<ReportContent> {
  const content: ReportContent = { report: null, attachments: [], messages: [] };
  // Each item is decoded as it is decrypted, so a file's plaintext is let go at once (only its name,
  // type and size are kept).
  const decode = async (item: CaseItemEntity) => {
    const plaintext = await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey);
    if (item.kind === 'attachment') {
      const { header, bytes } = unpackFile(plaintext);
      return { file: { name: header.name, mediaType: header.mediaType, size: bytes.length } };
    }
    if (item.kind === 'report' || item.kind === 'message') return { json: unpackJson<unknown>(plaintext) };
    return {};
  };
  const [decoded, verification] = await bothSettled(
    mapInParallel(items, ITEMS_AT_ONCE, decode, isFile),
    Promise.resolve(shownVerification),
  );
  const state = (item: CaseItemEntity) =>
    verification ? { verification: verification.get(item.id) ?? 'unverified' } : {};
  for (const [index, item] of items.entries()) {
    const { json, file } = decoded[index] as Awaited<ReturnType<typeof decode>>;
    if (item.kind === 'report') {
      content.report = json;
      if (verification) content.reportVerification = verification.get(item.id) ?? 'unverified';
    } else if (item.kind === 'attachment' && file) {
      content.attachments.push({ id: item.id, ...file, ...state(item) });
    } else if (item.kind === 'message') {
      const message = json as { text: string; attachments?: string[] };
      content.messages.push({
        id: item.id,
        from: item.authorKind === 'staff' ? 'staff' : 'reporter',
        authorId: item.authorId,
        sentOn: toLondonDate(item.createdAt),
        text: message.text,
        attachments: message.attachments ?? [],
        ...state(item),
      });
    }
  }
  return content;
}

export async function readFile(
  item: CaseItemEntity,
  scopeKey: UnlockedKey,
): Promise<{ header: FileHeader; bytes: Buffer }> {
  return unpackFile(await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey));
}
