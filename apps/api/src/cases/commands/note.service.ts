/**
 * Internal notes (issue #7): a handler's note in the `internal` scope, which the reporter never holds,
 * behind the same door as evidence (evidence.service.ts INTERNAL). One transaction with its audit entry.
 */
import { Injectable } from '@nestjs/common';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { INTERNAL } from './evidence.service';

@Injectable()
export class NoteService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
  ) {}

  async addNote(staff: AuthenticatedStaff, reference: string, text: string) {
    return this.door.open(staff, reference, INTERNAL, async ({ m, found, actor: session }) => {
      const { itemId } = await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        { kind: 'note_added', by: { origin: 'staff', staffId: session.userId }, body: { text } },
      );
      return { id: itemId };
    });
  }
}
