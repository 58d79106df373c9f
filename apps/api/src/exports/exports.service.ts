/**
 * Case exports (issue #7 "Export"; docs/architecture.md "Encryption model" → "Exports"): the whole case as one
 * OpenPGP message — encrypted to the requesting handler's own registered OpenPGP key (PUT /me/openpgp-key)
 * and signed by the tenant's export signing key — that GnuPG or any OpenPGP tool decrypts and verifies.
 * Inside is a zip: case.md, a readable document (case-document.ts), and every file under attachments/.
 *
 * The export holds exactly what its recipient may read: each scope (report, internal, identity) is
 * decrypted only through the recipient's own grant for it, so the reporter's identity is included only
 * for someone granted the identity scope. A case exists only for grant holders (404 for anyone else, as
 * everywhere). The export is audited (case.exported, with the recipient key's fingerprint) in the same
 * transaction that read the content, so no export leaves without its audit entry.
 *
 * The message is binary OpenPGP (a `.pgp` file; about a quarter smaller than armor, which matters with
 * attachments). `gpg --decrypt NLN-XXXX-XXXX.zip.pgp > case.zip` reads it.
 */
import { Injectable } from '@nestjs/common';
import {
  CryptoError,
  decryptWithScope,
  exportForRecipientBinary,
  PublicKeyHandle,
  type Scope,
  type UnlockedKey,
} from '@nolan/crypto';
import { actorLabel, timelineTitle, toLondonDate } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedStaff } from '../auth/staff-auth.guard';
import type { CaseEntity, CaseItemEntity } from '../cases/store/case.entity';
import { CasesRepository } from '../cases/store/cases.repository';
import { CaseDoor, type OpenCase } from '../cases/access/case-door';
import { unpackFile, unpackJson } from '../cases/record/item-codec';
import { type TimelineEvent, TimelineService } from '../cases/reads/timeline.service';
import { AppError } from '../errors/app-error';
import { StaffUsersRepository } from '../staff/staff-users.repository';
import { TenantSigningKeys } from '../tenants/tenant-signing-keys';
import { TenantsRepository } from '../tenants/tenants.repository';
import { type ArchiveFile, archivePath, buildArchive } from './case-archive';
import { ExportBudget } from './export-budget';
import type { ItemVerification } from '@nolan/contract';
import { ItemSeal, type SignatureEvidence } from '../cases/record/item-seal';
import { isGivenIdentity } from '../reporter-time/identity-placeholder';
import {
  type CaseDocumentInput,
  type DocumentFile,
  type DocumentMessage,
  type DocumentRecord,
  type DocumentTimelineEntry,
  type ItemSignature,
  renderCaseDocument,
} from './case-document';
import { namingRequestsHiddenFrom, withoutHiddenNamings } from '../cases/reads/naming-visibility';

export const NO_EXPORT_KEY =
  'You have no OpenPGP key registered for exports. Register your public key with PUT /api/v1/me/openpgp-key ' +
  '{ "armoredPublicKey": "…" } (for example the output of: gpg --armor --export you@example.org), then export again.';

export const UNUSABLE_EXPORT_KEY =
  'Your registered OpenPGP key cannot be encrypted to: it has expired, been revoked or has no encryption ' +
  'subkey. Register a current key with PUT /api/v1/me/openpgp-key, then export again.';

export const EXPORTS_BUSY = 'Other large exports are being prepared right now. Try again in a few seconds.';

export interface CaseExport {
  /** e.g. NLN-7KQ2-M9XD.zip.pgp */
  filename: string;
  /** Binary OpenPGP message. */
  message: Uint8Array;
  recipientFingerprint: string;
  signingFingerprint: string;
}

interface DecryptedItem {
  item: CaseItemEntity;
  json?: unknown;
  file?: { name: string; mediaType: string; bytes: Uint8Array; path: string };
  /** Set when an item cannot be read (a damaged row): the export says so instead of failing whole. */
  unreadable?: true;
}

const SCOPE_ORDER: readonly Scope[] = ['report', 'internal', 'identity'];

@Injectable()
export class ExportsService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly users: StaffUsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly door: CaseDoor,
    private readonly signingKeys: TenantSigningKeys,
    private readonly timeline: TimelineService,
    private readonly audit: AuditService,
    private readonly seal: ItemSeal,
    /** Memory for exports in progress in this process (export-budget.ts). */
    private readonly budget: ExportBudget,
  ) {}

  async export(staff: AuthenticatedStaff, reference: string): Promise<CaseExport> {
    const { session } = staff;
    const exportedAt = new Date();
    // The case first: someone without a grant learns nothing, not even whether they lack a key.
    return this.door.open(staff, reference, {}, async (opened) => {
      const { m, found } = opened;
      const tenant = await this.tenants.findById(session.tenantId);
      if (!tenant) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
      const user = await this.users.findById(m, session.userId);
      if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
      if (!user.externalPublicKey) throw new AppError('INVALID_INPUT', NO_EXPORT_KEY);
      const recipient = await PublicKeyHandle.parse(user.externalPublicKey).catch((error: unknown) => {
        if (error instanceof CryptoError) throw new AppError('INVALID_INPUT', UNUSABLE_EXPORT_KEY);
        throw error;
      });

      const held = await this.openScopes(opened);
      const rows = await this.loadItems(m, found.id, held);
      const release = this.budget.reserve(rows.reduce((sum, { item }) => sum + item.ciphertext.length, 0));
      if (!release) throw new AppError('TOO_MANY_REQUESTS', EXPORTS_BUSY, 10);
      try {
        return await this.build(m, {
          found,
          tenant,
          user,
          recipient,
          held,
          rows,
          exportedAt,
          userId: session.userId,
        });
      } finally {
        release();
      }
    });
  }

  private async build(
    m: EntityManager,
    input: {
      found: CaseEntity;
      tenant: { id: string; slug: string; name: string };
      user: { displayName: string; email: string };
      recipient: PublicKeyHandle;
      held: Map<Scope, UnlockedKey>;
      rows: { item: CaseItemEntity; key: UnlockedKey }[];
      exportedAt: Date;
      userId: string;
    },
  ): Promise<CaseExport> {
    const { found, tenant, user, recipient, held, exportedAt, userId } = input;
    // A naming request is never shown to someone it names (cases/reads/naming-visibility.ts).
    const hidden = await namingRequestsHiddenFrom(m, found.id, userId);
    const items = withoutHiddenNamings(await this.decryptItems(input.rows), hidden);
    const evidence = await this.seal.evidence(
      m,
      input.rows.map((r) => r.item),
    );
    const verification = verificationOf(evidence);
    const signatures = itemSignatures(items, evidence);
    const names = await this.authorNames(m, items);
    // The same timeline as the case page, from the audit trail and the items this user can read; links to
    // other cases only where the exporter holds those too.
    const events = await this.timeline.build(
      m,
      found.id,
      { report: held.get('report'), internal: held.get('internal') },
      { userId },
    );
    const signer = await this.signingKeys.signer(m, tenant);

    const document = this.documentInput(found, items, names, verification, signatures.byItem, events, {
      tenantName: tenant.name,
      exportedAt,
      exportedBy: { name: user.displayName, email: user.email },
      recipientFingerprint: recipient.fingerprint,
      signingFingerprint: signer.fingerprint,
      scopes: {
        report: held.has('report'),
        internal: held.has('internal'),
        identity: held.has('identity'),
      },
    });
    const content = { ...document, authorKeys: signatures.keys };
    const files: ArchiveFile[] = items.flatMap(({ file }) =>
      file ? [{ name: file.path, bytes: file.bytes }] : [],
    );
    const archive = buildArchive(
      { markdown: renderCaseDocument(content), json: caseJson(content, events) },
      files,
      exportedAt,
    );
    const filename = `${found.reference}.zip.pgp`;
    const message = await exportForRecipientBinary({
      content: archive,
      filename: `${found.reference}.zip`,
      recipient,
      signer,
    }).catch((error: unknown) => {
      if (error instanceof CryptoError && error.code === 'INVALID_KEY')
        throw new AppError('INVALID_INPUT', UNUSABLE_EXPORT_KEY);
      throw error;
    });

    await this.audit.append(m, {
      actor: { type: 'staff', id: userId },
      action: 'case.exported',
      caseId: found.id,
      details: {
        recipientId: userId,
        fingerprint: recipient.fingerprint,
        signingFingerprint: signer.fingerprint,
        scopes: SCOPE_ORDER.filter((scope) => held.has(scope)),
        items: items.length,
        files: files.length,
      },
    });
    return {
      filename,
      message,
      recipientFingerprint: recipient.fingerprint,
      signingFingerprint: signer.fingerprint,
    };
  }

  /** The scope keys this user holds a grant for, opened with their own key. */
  private async openScopes(opened: OpenCase): Promise<Map<Scope, UnlockedKey>> {
    const held = new Map<Scope, UnlockedKey>();
    for (const scope of SCOPE_ORDER) {
      const key = await opened.key(scope);
      if (key) held.set(scope, key);
    }
    return held;
  }

  /** Every item of every held scope, still encrypted, in the order they were added. */
  private async loadItems(
    m: EntityManager,
    caseId: string,
    held: Map<Scope, UnlockedKey>,
  ): Promise<{ item: CaseItemEntity; key: UnlockedKey }[]> {
    const rows: { item: CaseItemEntity; key: UnlockedKey }[] = [];
    for (const [scope, key] of held) {
      for (const item of await this.cases.items(m, caseId, scope)) rows.push({ item, key });
    }
    return rows.sort((a, b) => (BigInt(a.item.seq) < BigInt(b.item.seq) ? -1 : 1));
  }

  /** The items decrypted: files unpacked with their path in the zip, everything else as JSON. */
  private async decryptItems(
    rows: readonly { item: CaseItemEntity; key: UnlockedKey }[],
  ): Promise<DecryptedItem[]> {
    const out: DecryptedItem[] = [];
    let fileNumber = 0;
    for (const { item, key } of rows) {
      let plaintext: Uint8Array;
      try {
        plaintext = await decryptWithScope(new Uint8Array(item.ciphertext), key);
      } catch (error) {
        if (error instanceof CryptoError) {
          out.push({ item, unreadable: true });
          continue;
        }
        throw error;
      }
      if (item.kind === 'attachment') {
        const { header, bytes } = unpackFile(plaintext);
        fileNumber += 1;
        out.push({
          item,
          file: { ...header, bytes, path: archivePath(fileNumber, header.name) },
        });
      } else {
        try {
          out.push({ item, json: unpackJson(plaintext) });
        } catch {
          out.push({ item, unreadable: true });
        }
      }
    }
    return out;
  }

  /** Display names of the staff who wrote anything in the export (read in the tenant, under RLS). */
  private async authorNames(m: EntityManager, items: readonly DecryptedItem[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const { item } of items) {
      if (!item.authorId || names.has(item.authorId)) continue;
      const author = await this.users.findById(m, item.authorId);
      names.set(item.authorId, author?.displayName ?? 'A former member of staff');
    }
    return names;
  }

  private documentInput(
    found: CaseEntity,
    items: readonly DecryptedItem[],
    names: ReadonlyMap<string, string>,
    verification: ReadonlyMap<string, ItemVerification>,
    signatureOf: ReadonlyMap<string, ItemSignature>,
    events: readonly TimelineEvent[],
    header: Pick<
      CaseDocumentInput,
      'tenantName' | 'exportedAt' | 'exportedBy' | 'recipientFingerprint' | 'signingFingerprint' | 'scopes'
    >,
  ): CaseDocumentInput {
    const authorOf = (item: CaseItemEntity) =>
      item.authorKind === 'reporter'
        ? 'the reporter'
        : item.authorKind === 'system'
          ? 'Nolan'
          : (names.get(item.authorId ?? '') ?? 'a member of staff');
    const pathOf = new Map(items.flatMap(({ item, file }) => (file ? [[item.id, file.path] as const] : [])));
    const toPaths = (ids: unknown): unknown =>
      Array.isArray(ids) ? ids.map((id) => (typeof id === 'string' ? (pathOf.get(id) ?? id) : id)) : ids;

    let report: CaseDocumentInput['report'] = null;
    const messages: DocumentMessage[] = [];
    const records: DocumentRecord[] = [];
    const files: DocumentFile[] = [];
    const identity: Record<string, unknown>[] = [];
    const timeline: DocumentTimelineEntry[] = events.map(timelineEntry);

    for (const { item, json, file, unreadable } of items) {
      // A link shows only on the timeline, to someone who holds the other case too (LinksService.maySeeLink).
      if (item.kind === 'link') continue;
      const on = toLondonDate(item.createdAt);
      const author = authorOf(item);
      const state = verification.get(item.id) ?? 'unverified';
      if (unreadable) {
        records.push({
          kind: item.kind,
          author,
          on,
          data: '(this record could not be read)',
          verification: state,
        });
        continue;
      }
      if (file) {
        files.push({
          path: file.path,
          name: file.name,
          mediaType: file.mediaType,
          size: file.bytes.length,
          addedBy: author,
          addedOn: on,
          scope: item.scope === 'internal' ? 'internal' : 'report',
        });
        continue;
      }
      const body = (json ?? {}) as Record<string, unknown>;
      switch (item.kind) {
        case 'report': {
          const { answers, involves } = body as { answers?: Record<string, unknown>; involves?: unknown[] };
          report = { answers: answers ?? {}, involves: Array.isArray(involves) ? involves : [] };
          break;
        }
        case 'message': {
          const fromReporter = item.authorKind !== 'staff';
          messages.push({
            from: fromReporter ? 'reporter' : 'staff',
            author,
            sentOn: on,
            text: typeof body.text === 'string' ? body.text : JSON.stringify(body),
            attachments: (toPaths(body.attachments) as unknown[] | undefined)?.map(String) ?? [],
            verification: state,
          });
          break;
        }
        case 'identity':
          // Every case has an identity record, empty when none was given (docs/architecture.md "Reporter time").
          if (isGivenIdentity(body)) identity.push(body);
          break;
        default: {
          const data: Record<string, unknown> = { ...body };
          for (const field of ['files', 'attachments']) if (field in data) data[field] = toPaths(data[field]);
          records.push({ kind: item.kind, author, on, data, verification: state });
        }
      }
    }
    const itemStates = items
      .filter(({ item }) => item.kind !== 'link')
      .map(({ item }) => ({
        kind: item.kind,
        author: authorOf(item),
        on: toLondonDate(item.createdAt),
        verification: verification.get(item.id) ?? ('unverified' as const),
        ...(signatureOf.has(item.id) ? { signature: signatureOf.get(item.id) } : {}),
      }));

    return {
      ...header,
      reference: found.reference,
      summary: {
        category: found.category,
        status: found.status,
        outcome: found.outcome,
        channel: found.channel,
        receivedOn: toLondonDate(found.receivedAt),
        acknowledgementDue: found.acknowledgementDue,
        acknowledgedOn: found.acknowledgedOn,
        feedbackDue: found.feedbackDue,
        closedOn: found.closedOn,
      },
      report,
      messages,
      records,
      files,
      items: itemStates,
      identity: header.scopes.identity ? identity : null,
      timeline,
    };
  }
}

/** Each item's state from its signature evidence (ItemSeal.evidence), as ItemSeal.verify gives it. */
function verificationOf(
  evidence: ReadonlyMap<string, SignatureEvidence | 'unsigned'>,
): Map<string, ItemVerification> {
  const states = new Map<string, ItemVerification>();
  for (const [id, found] of evidence)
    states.set(id, found === 'unsigned' ? 'unsigned' : found.signers.length ? 'verified' : 'unverified');
  return states;
}

/**
 * What a recipient needs to check each item's signature without Nolan (docs/architecture.md "Item
 * signatures"): the statement and signature of every exported item that carries one, and every public
 * key that verifies one. The export's own signature, by the council's system key, covers them all.
 */
function itemSignatures(
  items: readonly DecryptedItem[],
  evidence: ReadonlyMap<string, SignatureEvidence | 'unsigned'>,
): { byItem: Map<string, ItemSignature>; keys: Record<string, string> } {
  const byItem = new Map<string, ItemSignature>();
  const keys: Record<string, string> = {};
  for (const { item } of items) {
    const found = evidence.get(item.id);
    if (item.kind === 'link' || !found || found === 'unsigned' || found.signature.length === 0) continue;
    const signer = found.signers[0] ?? null;
    if (signer) keys[signer.fingerprint] ??= signer.toArmored();
    byItem.set(item.id, {
      statement: Buffer.from(found.statement).toString('base64'),
      signature: Buffer.from(found.signature).toString('base64'),
      signedBy: signer?.fingerprint ?? null,
    });
  }
  return { byItem, keys };
}

/**
 * case.json: the same content as case.md for tools (a council's own case system, a court bundle index),
 * with the timeline's events in full. Plain data: nothing in it is rendered, so nothing needs escaping.
 */
function caseJson(content: CaseDocumentInput, events: readonly TimelineEvent[]): string {
  const { timeline: _lines, exportedAt, ...rest } = content;
  return `${JSON.stringify(
    { format: 'nolan-case-export/1', exportedAt: exportedAt.toISOString(), ...rest, timeline: events },
    null,
    2,
  )}\n`;
}

/**
 * One line of the document's timeline: when (UTC; a reporter's actions only to the hour, as stored), what,
 * and who. The content itself is in the document's other sections.
 */
function timelineEntry(event: TimelineEvent): DocumentTimelineEntry {
  const at = new Date(event.at);
  const when = Number.isNaN(at.getTime())
    ? event.at
    : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC${event.precision === 'hour' ? ' (to the hour)' : ''}`;
  return { on: when, text: `${timelineTitle(event)} (${actorLabel(event.actor)})` };
}
