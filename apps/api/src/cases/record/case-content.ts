/**
 * Reading a case's report-scope content once its scope key is open: the report, the files and the
 * messages, decrypted and shaped for whoever asked. Shared by the staff and the reporter views so both
 * see the same thing.
 */
import type { CaseAttachment, CaseMessage, ItemVerification } from '@nolan/contract';
import { decryptWithScope, type UnlockedKey } from '@nolan/crypto';
import { toLondonDate } from '@nolan/domain';
import type { CaseItemEntity } from '../store/case.entity';
import { type FileHeader, unpackFile, unpackJson } from './item-codec';

export interface ReportContent {
  report: unknown;
  reportVerification?: ItemVerification;
  attachments: CaseAttachment[];
  messages: CaseMessage[];
}

export async function readReportScope(
  items: readonly CaseItemEntity[],
  scopeKey: UnlockedKey,
  /** Each item's signature state (ItemSeal.verify), when the reader shows it. */
  verification?: ReadonlyMap<string, ItemVerification>,
): Promise<ReportContent> {
  const content: ReportContent = { report: null, attachments: [], messages: [] };
  const state = (item: CaseItemEntity) =>
    verification ? { verification: verification.get(item.id) ?? 'unverified' } : {};
  for (const item of items) {
    const plaintext = await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey);
    if (item.kind === 'report') {
      content.report = unpackJson(plaintext);
      if (verification) content.reportVerification = verification.get(item.id) ?? 'unverified';
    } else if (item.kind === 'attachment') {
      const { header, bytes } = unpackFile(plaintext);
      content.attachments.push({
        id: item.id,
        name: header.name,
        mediaType: header.mediaType,
        size: bytes.length,
        ...state(item),
      });
    } else if (item.kind === 'message') {
      const message = unpackJson<{ text: string; attachments?: string[] }>(plaintext);
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
