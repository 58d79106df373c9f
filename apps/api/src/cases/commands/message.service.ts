/**
 * A handler's message to the reporter (issue #7): in the report scope, which the reporter reads with
 * their receipt; written through CaseRecorder as the `message_to_reporter` event (docs/case-core.md
 * "The recorder"). Handlers who cannot read the report scope get the door's 404.
 */
import { Injectable } from '@nestjs/common';
import type { MessageSent } from '@nolan/contract';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';

@Injectable()
export class MessageService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
  ) {}

  async send(staff: AuthenticatedStaff, reference: string, text: string): Promise<MessageSent> {
    return this.door.open(
      staff,
      reference,
      { require: ['report'], unlock: false },
      async ({ m, found, actor }) => {
        await this.recorder.record(
          m,
          { tenantId: actor.tenantId, caseId: found.id },
          {
            kind: 'message_to_reporter',
            by: { origin: 'staff', staffId: actor.userId },
            body: { text, attachments: [] },
            details: { author: 'staff', attachments: 0 },
            signal: { author: 'staff' },
          },
        );
        return { sent: true };
      },
    );
  }
}
