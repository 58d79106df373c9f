/**
 * A reply to the reporter with files (issue #19): the text and the files in the report scope, which
 * the reporter holds, so they read both with their receipt. Files go through the attachments module
 * exactly as a reporter's and evidence files do (type sniffed, limits, metadata stripped). The outbox
 * event and the audit entry are those of any staff message, in the same transaction.
 */
import { Injectable } from '@nestjs/common';
import { AttachmentSanitiser } from '../attachments/attachment-sanitiser.service';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedStaff } from '../auth/staff-auth.guard';
import { AppError } from '../errors/app-error';
import { OutboxRepository } from '../outbox/outbox.repository';
import { CaseDoor, type DoorOptions } from './access/case-door';
import { CaseStoreService } from './case-store.service';
import { packFile, packJson } from './item-codec';
import type { UploadedEvidenceFile } from './notes.service';

/** Replies are written to the report scope: only its holders may send one. */
const REPORT: DoorOptions = { require: ['report'], unlock: false };

@Injectable()
export class StaffRepliesService {
  constructor(
    private readonly door: CaseDoor,
    private readonly caseStore: CaseStoreService,
    private readonly sanitiser: AttachmentSanitiser,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditService,
  ) {}

  async reply(
    staff: AuthenticatedStaff,
    reference: string,
    body: { text?: unknown },
    uploads: readonly UploadedEvidenceFile[],
  ) {
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    // Checked before the (slow) sanitising, so someone without the case learns nothing from a 400 or 415.
    await this.door.open(staff, reference, REPORT, async () => undefined);
    if (!text) throw new AppError('INVALID_INPUT', ['text is required']);
    if (text.length > 20000) throw new AppError('INVALID_INPUT', ['text must be 20000 characters or fewer']);
    const files = await this.sanitiser.sanitiseAll(
      uploads.map((u) => ({ bytes: u.buffer, declaredName: u.originalname })),
    );
    return this.door.open(staff, reference, REPORT, async ({ m, found, actor }) => {
      const target = {
        tenantId: actor.tenantId,
        caseId: found.id,
        scope: 'report' as const,
        author: { kind: 'staff' as const, id: actor.userId },
      };
      const attachmentIds: string[] = [];
      for (const file of files)
        attachmentIds.push(
          await this.caseStore.addItem(
            m,
            { ...target, kind: 'attachment' },
            packFile({ name: file.name, mediaType: file.mediaType }, file.bytes),
          ),
        );
      await this.caseStore.addItem(
        m,
        { ...target, kind: 'message' },
        packJson({ text, attachments: attachmentIds }),
      );
      await this.outbox.add(m, {
        tenantId: actor.tenantId,
        event: 'case.message_added',
        aggregateId: found.id,
        payload: { author: 'staff' },
      });
      await this.audit.append(m, {
        actor: { type: 'staff', id: actor.userId },
        action: 'case.message_added',
        caseId: found.id,
        details: { author: 'staff', attachments: attachmentIds.length },
      });
      return { sent: true, attachments: attachmentIds.length };
    });
  }
}
