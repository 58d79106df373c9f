/**
 * A reply to the reporter with files (issue #19): the text and the files in the report scope, which
 * the reporter holds, so they read both with their receipt. Files go through the attachments module
 * exactly as a reporter's and evidence files do (type sniffed, limits, metadata stripped). Written
 * through CaseRecorder as the `message_to_reporter` event, files first (docs/case-core.md "The recorder").
 */
import { Injectable } from '@nestjs/common';
import { AttachmentSanitiser } from '../../attachments/attachment-sanitiser.service';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { CaseDoor, type DoorOptions } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import type { UploadedEvidenceFile } from '../commands/evidence.service';

/** Replies are written to the report scope: only its holders may send one. */
const REPORT: DoorOptions = { require: ['report'], unlock: false };

@Injectable()
export class StaffRepliesService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
    private readonly sanitiser: AttachmentSanitiser,
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
      const recorded = await this.recorder.record(
        m,
        { tenantId: actor.tenantId, caseId: found.id },
        {
          kind: 'message_to_reporter',
          by: { origin: 'staff', staffId: actor.userId },
          body: { text },
          files,
          filesField: 'attachments',
          details: { author: 'staff', attachments: files.length },
          signal: { author: 'staff' },
        },
      );
      return { sent: true, attachments: recorded.fileIds.length };
    });
  }
}
