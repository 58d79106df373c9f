/**
 * Evidence (issue #7): what the handlers record for themselves — documents, interview records — in the
 * `internal` scope, which the reporter never holds, so none of it can reach
 * the reporter's view. Evidence files go through the attachments module exactly as a reporter's files do
 * (type sniffed, size and count limits, metadata stripped) and are encrypted with their names. Notes
 * are their own use case (note.service.ts), behind the same door. Each addition is one transaction with its audit entry, whose details carry the item's id so the timeline
 * can put the entry and the content side by side.
 */
import { Injectable } from '@nestjs/common';
import { AttachmentSanitiser } from '../../attachments/attachment-sanitiser.service';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor, type DoorOptions } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';

/** What a piece of evidence is. An interview record is the note of an interview, often with a file. */
export const EVIDENCE_KINDS = ['document', 'interview_record', 'correspondence', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_KIND_LABELS: Readonly<Record<EvidenceKind, string>> = Object.freeze({
  document: 'Document',
  interview_record: 'Interview record',
  correspondence: 'Correspondence',
  other: 'Other evidence',
});

/** Notes and evidence are for handlers holding the case's internal scope; 404 for anyone else. */
export const INTERNAL: DoorOptions = { roles: 'handler', require: ['internal'], unlock: false };

/** A file as it arrives from multipart (multer's memory storage). */
export interface UploadedEvidenceFile {
  buffer: Buffer;
  originalname: string;
}

@Injectable()
export class EvidenceService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
    private readonly sanitiser: AttachmentSanitiser,
  ) {}

  /**
   * Evidence with its files. The files are sanitised before the transaction (a refused file is a
   * 413/415 naming it, and nothing is stored); then the files and the evidence record that lists them
   * are written together.
   */
  async addEvidence(
    staff: AuthenticatedStaff,
    reference: string,
    input: { description: string; kind: EvidenceKind },
    uploads: readonly UploadedEvidenceFile[],
  ) {
    // Checked before the (slow) sanitising, so someone without the case learns nothing from a 415.
    await this.door.open(staff, reference, INTERNAL, async () => undefined);
    const files = await this.sanitiser.sanitiseEvidence(
      uploads.map((u) => ({ bytes: u.buffer, declaredName: u.originalname })),
    );
    return this.door.open(staff, reference, INTERNAL, async ({ m, found, actor: session }) => {
      const { itemId, fileIds } = await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        {
          kind: 'evidence_added',
          by: { origin: 'staff', staffId: session.userId },
          body: { description: input.description, kind: input.kind },
          files,
          filesField: 'files',
          details: { kind: input.kind, files: files.length },
        },
      );
      return {
        id: itemId,
        kind: input.kind,
        files: files.map((file, i) => ({
          id: fileIds[i] as string,
          name: file.name,
          mediaType: file.mediaType,
          size: file.size,
        })),
      };
    });
  }
}
