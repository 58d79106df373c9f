/**
 * The reporter's side after submission (issue #5 "Follow-up with the receipt"): signing in with the
 * receipt (one generic answer for a wrong one, a proof of work and a throttle that does not rely on
 * IP addresses), reading the report, its status and the handlers' messages, and sending messages and
 * files — all encrypted exactly as at submission.
 */
import type { ReceiptReplaced, ReporterCase } from '@nolan/contract';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  openGrantAsKey,
  receiptLookupKey,
  relockReporterKey,
  unlockReporterKey,
  type UnlockedKey,
} from '@nolan/crypto';
import {
  generateReceipt,
  getCategory,
  isCategoryId,
  normaliseReceipt,
  type StaffRole,
  toLondonDate,
  validateIdentity,
} from '@nolan/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { readReportScope } from '../cases/record/case-content';
import { ItemSeal, offerSigningKey } from '../cases/record/item-seal';
import { CaseEntity, CaseGrantEntity, CaseItemEntity, ReporterKeyEntity } from '../cases/store/case.entity';
import { CaseFilesService, type DownloadedFile } from '../cases/reads/case-files.service';
import { InvolvementService } from '../cases/commands/involvement.service';
import { readFeedback } from '../cases/commands/feedback.service';
import { CaseRecorder } from '../cases/record/case-recorder';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { inTenant } from '../database/tenant-transaction';
import { ReporterTime, reporterCaused } from '../reporter-time/reporter-time';
import { AppError } from '../errors/app-error';
import {
  FileSanitiser,
  HumanCheck,
  type HumanProof,
  IntakeService,
  type UploadedFile,
} from '../intake/intake.service';
import type { ReporterSession } from './reporter-auth.guard';
import { receiptLock, REPORTER_IDLE_SECONDS, ReporterSessionStore } from './reporter-session-store';

const WRONG_RECEIPT = 'We could not find a report for that receipt. Check the 7 words and try again.';

/** What reporter sign-in needs from the abuse module: a throttle keyed by tenant and receipt hash, never by IP. */
export abstract class ReceiptThrottle {
  abstract assertAllowed(tenantId: string, lookupKey: string): Promise<void>;
  abstract recordFailure(tenantId: string, lookupKey: string): Promise<void>;
  abstract recordSuccess(tenantId: string, lookupKey: string): Promise<void>;
}

@Injectable()
export class ReporterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: IntakeService,
    private readonly sessions: ReporterSessionStore,
    private readonly recorder: CaseRecorder,
    private readonly human: HumanCheck,
    private readonly throttle: ReceiptThrottle,
    private readonly files: FileSanitiser,
    private readonly caseFiles: CaseFilesService,
    private readonly involvement: InvolvementService,
    private readonly seal: ItemSeal,
    private readonly reporterTime: ReporterTime,
  ) {}

  async signIn(
    slug: string,
    body: { receipt?: unknown } & HumanProof,
  ): Promise<{ token: string; expiresInSeconds: number }> {
    const tenant = await this.intake.tenant(slug);
    if (typeof body.receipt !== 'string' || body.receipt.length > 500)
      throw new AppError('INVALID_INPUT', ['receipt must be the 7 words of your receipt']);
    await this.human.assertHuman(
      slug,
      tenant.id,
      { altcha: body.altcha, waitTicket: body.waitTicket },
      'reporter-session',
    );
    const receipt = normaliseReceipt(body.receipt);
    const lookupKey = receiptLookupKey(
      this.config.receiptPepper,
      receipt ?? body.receipt.trim().toLowerCase(),
    );
    await this.throttle.assertAllowed(tenant.id, lookupKey);
    const row = receipt
      ? await inTenant(this.dataSource, tenant.id, (m) =>
          m.getRepository(ReporterKeyEntity).findOne({ where: { lookupKey } }),
        )
      : null;
    if (!row || !receipt) {
      await inTenant(this.dataSource, tenant.id, (m) =>
        this.recorder.trail(m, null, { origin: 'reporter' }, 'auth.sign_in_failed', {
          reason: 'unknown_receipt',
        }),
      );
      await this.throttle.recordFailure(tenant.id, lookupKey);
      throw new AppError('INVALID_CREDENTIALS', WRONG_RECEIPT);
    }
    const key = await unlockReporterKey(
      { lockedPrivateKey: new Uint8Array(row.lockedPrivateKey), salt: new Uint8Array(row.salt) },
      receipt,
    );
    await this.throttle.recordSuccess(tenant.id, lookupKey);
    await inTenant(this.dataSource, tenant.id, async (m) => {
      await this.recorder.trail(m, row.caseId, { origin: 'reporter' }, 'auth.sign_in');
      // Only a case from before keys were pinned at intake has none (item-seal.ts `pinFirst`): its
      // reporter's key is pinned now, once; any other case keeps the key pinned when it was made.
      await this.seal.pinFirst(m, tenant.id, { kind: 'reporter', id: row.caseId }, key.publicKey());
    });
    const { token } = await this.sessions.create(
      { tenantId: tenant.id, caseId: row.caseId, lock: receiptLock(new Uint8Array(row.salt)) },
      key.serialize(),
    );
    return { token, expiresInSeconds: REPORTER_IDLE_SECONDS };
  }

  /**
   * Replaces the reporter's receipt (issue #15: an officer who recorded an oral report saw the receipt
   * they handed over): the same reporter key, locked under a new receipt with a new lookup key, in one
   * update, so the old receipt stops working at once. The new receipt is returned once and never stored.
   */
  async replaceReceipt(session: ReporterSession): Promise<ReceiptReplaced> {
    const key = await this.key(session);
    const receipt = generateReceipt();
    const { lockedPrivateKey, salt } = await relockReporterKey(key, receipt);
    const lookupKey = receiptLookupKey(this.config.receiptPepper, receipt);
    await inTenant(this.dataSource, session.meta.tenantId, async (m) => {
      // The entry first: it holds the transaction for the batch, so the key's new row is put back in place
      // at the boundary too (docs/architecture.md "Reporter time"); a failed update rolls it back.
      await this.recorder.trail(m, session.meta.caseId, { origin: 'reporter' }, 'auth.receipt_replaced');
      const result = await m
        .getRepository(ReporterKeyEntity)
        .update(
          { caseId: session.meta.caseId },
          { lookupKey, lockedPrivateKey: Buffer.from(lockedPrivateKey), salt: Buffer.from(salt) },
        );
      if (!result.affected)
        throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again with your receipt.');
    });
    // This session goes on under the new lock; every other session of the case ends at its next request.
    await this.sessions.resealMeta(session, { ...session.meta, lock: receiptLock(salt) });
    return { receipt };
  }

  async signOut(session: ReporterSession): Promise<void> {
    await this.sessions.destroy(session.sessionId);
  }

  /** The reporter's view: the report as sent, its status and the conversation; never internal notes. */
  async view(session: ReporterSession): Promise<ReporterCase> {
    const key = await this.key(session);
    return inTenant(this.dataSource, session.meta.tenantId, async (m) => {
      const found = await m.getRepository(CaseEntity).findOneOrFail({ where: { id: session.meta.caseId } });
      const items = await this.reportItems(m, found.id);
      const scopeKey = await this.scopeKey(m, found.id, key);
      const content = await readReportScope(items, scopeKey, this.seal.verify(m, items));
      // Feedback (EU-09) is shown apart from the conversation: it is the council's account of what it did.
      const feedback = (await readFeedback(items, scopeKey)).map(({ id: _id, ...given }) => given);
      await this.recorder.trail(m, found.id, { origin: 'reporter' }, 'case.content_decrypted', {
        scope: 'report',
      });
      return {
        reference: found.reference,
        status: found.status,
        // What a closed case came to, so the reporter is told the outcome (issue #19).
        outcome: found.outcome,
        category: found.category,
        categoryTitle: isCategoryId(found.category) ? getCategory(found.category).title : found.category,
        receivedOn: toLondonDate(found.receivedAt),
        recordedByOfficer: found.channel !== 'web',
        report: content.report as ReporterCase['report'],
        attachments: content.attachments,
        messages: content.messages.map(({ authorId: _hidden, from, ...message }) => ({
          ...message,
          from: from === 'reporter' ? ('you' as const) : ('handler' as const),
        })),
        feedback,
      };
    });
  }

  /** One of the files of the reporter's own case (their own and the handlers'); 404 for any other id. */
  async file(session: ReporterSession, fileId: string): Promise<DownloadedFile> {
    return this.caseFiles.forReporter(session.meta, await this.key(session), fileId);
  }

  async sendMessage(session: ReporterSession, body: { text?: unknown }, uploads: readonly UploadedFile[]) {
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (!text && uploads.length === 0)
      throw new AppError('INVALID_INPUT', ['text is required (or attach at least one file)']);
    if (text.length > 20000) throw new AppError('INVALID_INPUT', ['text must be 20000 characters or fewer']);
    const files = await this.files.sanitiseAll(
      uploads.map((u) => ({ bytes: u.buffer, declaredName: u.originalname })),
    );
    const { tenantId, caseId } = session.meta;
    return inTenant(this.dataSource, tenantId, async (m) => {
      offerSigningKey(m, { kind: 'reporter', id: caseId }, () => this.key(session));
      const { fileIds: attachmentIds } = await this.recorder.record(
        m,
        { tenantId, caseId },
        {
          kind: 'message_from_reporter',
          by: { origin: 'reporter' },
          body: { text },
          files,
          filesField: 'attachments',
          details: { author: 'reporter', attachments: files.length },
          signal: { author: 'reporter' },
        },
      );
      return { sent: true, attachments: attachmentIds.length };
    });
  }

  /**
   * The reporter adds (or corrects) their identity after submitting: encrypted to the identity scope,
   * which only the custodian and the escrow key hold (issue #5 "add identity later").
   */
  async addIdentity(session: ReporterSession, body: unknown) {
    const validation = validateIdentity(body);
    if (!validation.ok) throw new AppError('INVALID_INPUT', [...validation.errors]);
    const identity = validation.value;
    if (!identity) throw new AppError('INVALID_INPUT', ['give at least one of: name, jobTitle, contact']);
    const { tenantId, caseId } = session.meta;
    return inTenant(this.dataSource, tenantId, async (m) => {
      offerSigningKey(m, { kind: 'reporter', id: caseId }, () => this.key(session));
      await this.recorder.record(
        m,
        { tenantId, caseId },
        {
          kind: 'identity_given',
          by: { origin: 'reporter' },
          body: identity,
          details: { author: 'reporter', identity: true },
          signal: { author: 'reporter', identity: true },
        },
      );
      return { identityGiven: true };
    });
  }

  /**
   * The reporter names people as involved after submitting, choosing roles from the form's "Does your
   * concern involve any of these people?" list: everyone holding them loses access at once and the
   * case is re-routed without them (InvolvementService). The answer says only that it was recorded —
   * nothing about who holds the case.
   */
  async nameInvolved(session: ReporterSession, body: { roles: string[]; reason?: string }) {
    const key = await this.key(session);
    const { tenantId, caseId } = session.meta;
    return inTenant(this.dataSource, tenantId, async (m) => {
      // docs/architecture.md "Reporter time": held for the batch, the case held against the placement pass
      await reporterCaused(m, this.reporterTime, caseId);
      offerSigningKey(m, { kind: 'reporter', id: caseId }, key);
      const offered = await this.involvement.nameableRoles(m);
      const unknown = body.roles.filter((role) => !offered.includes(role as StaffRole));
      if (unknown.length > 0) {
        throw new AppError('INVALID_INPUT', [
          `roles must be chosen from the people listed on the form: ${offered.join(', ')}`,
        ]);
      }
      const reason = body.reason?.trim() || null;
      await this.involvement.nameByReporter(
        m,
        { tenantId, caseId },
        [...new Set(body.roles)] as StaffRole[],
        reason,
        await this.scopeKey(m, caseId, key),
      );
      return { recorded: true };
    });
  }

  private reportItems(m: EntityManager, caseId: string): Promise<CaseItemEntity[]> {
    return m
      .getRepository(CaseItemEntity)
      .find({ where: { caseId, scope: 'report' }, order: { createdAt: 'ASC', seq: 'ASC' } });
  }

  private async scopeKey(m: EntityManager, caseId: string, key: UnlockedKey): Promise<UnlockedKey> {
    const grant = await m
      .getRepository(CaseGrantEntity)
      .findOneOrFail({ where: { caseId, scope: 'report', granteeKind: 'reporter' } });
    return openGrantAsKey(new Uint8Array(grant.encryptedScopeKey), key);
  }

  private async key(session: ReporterSession): Promise<UnlockedKey> {
    const key = await this.sessions.unlockedKey(session);
    if (!key)
      throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again with your receipt.');
    return key;
  }
}
