/**
 * Feedback to the reporter as a recorded event (issue #7; docs/regulatory.md EU-09): what action was
 * envisaged or taken, and the grounds for it. It is not an ordinary message: it is what the 3-month
 * feedback clock is judged on, so it is stored as its own `feedback` item in the report scope (the
 * reporter reads it with their receipt, apart from the conversation), its day is kept in the readable
 * metadata (`cases.feedback_given_on`, beside acknowledged_on and closed_on) so the SLA timers and the
 * dashboard need decrypt nothing, and an outbox event lets the workers re-check the feedback timers —
 * all in one transaction with its audit entry. Interim feedback counts (EU-09), so any feedback given
 * before the deadline meets the clock. Feedback needs an acknowledged case (the first response goes with
 * the acknowledgement) and a case still open (a closed case is reopened first).
 */
import { Injectable } from '@nestjs/common';
import { decryptWithScope, type UnlockedKey } from '@nolan/crypto';
import { toLondonDate } from '@nolan/domain';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor } from '../access/case-door';
import { AppError } from '../../errors/app-error';
import { CaseEntity, type CaseItemEntity } from '../store/case.entity';
import { CaseRecorder } from '../record/case-recorder';
import { unpackJson } from '../record/item-codec';

export interface FeedbackInput {
  /** What action has been taken, or is envisaged, on the concern. */
  actionTaken: string;
  /** The grounds for that action. */
  reasons: string;
}

/** One feedback given, as both the reporter and the handlers read it. */
export interface Feedback extends FeedbackInput {
  id: string;
  /** The day it was given (London). */
  givenOn: string;
}

/** Decrypts the feedback items among a case's report-scope items, oldest first. */
export async function readFeedback(
  items: readonly CaseItemEntity[],
  reportKey: UnlockedKey,
): Promise<Feedback[]> {
  const feedback: Feedback[] = [];
  for (const item of items) {
    if (item.scope !== 'report' || item.kind !== 'feedback') continue;
    const body = unpackJson<FeedbackInput & { givenOn: string }>(
      await decryptWithScope(new Uint8Array(item.ciphertext), reportKey),
    );
    feedback.push({
      id: item.id,
      givenOn: body.givenOn,
      actionTaken: body.actionTaken,
      reasons: body.reasons,
    });
  }
  return feedback;
}

/** Why feedback cannot be given in a stage, or null when it can. */
export function feedbackRefusal(status: string): string | null {
  if (status === 'received')
    return 'Feedback can only be given once the case has been acknowledged: acknowledge it first (the first response goes with the acknowledgement).';
  if (status === 'closed')
    return 'This case is closed, so no further feedback can be recorded on it; reopen it first if the reporter needs to be told more.';
  return null;
}

@Injectable()
export class FeedbackService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
  ) {}

  /** Records feedback to the reporter; 409 before acknowledgement or after closure. */
  async give(staff: AuthenticatedStaff, reference: string, input: FeedbackInput) {
    const access = { roles: 'handler', require: ['report'], unlock: false } as const;
    return this.door.open(staff, reference, access, async ({ m, found, actor: session }) => {
      const refusal = feedbackRefusal(found.status);
      if (refusal) throw new AppError('CONFLICT', refusal);
      const givenOn = toLondonDate(new Date());
      await m.getRepository(CaseEntity).update({ id: found.id }, { feedbackGivenOn: givenOn });
      const { itemId } = await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        {
          kind: 'feedback_given',
          by: { origin: 'staff', staffId: session.userId },
          body: { actionTaken: input.actionTaken, reasons: input.reasons, givenOn },
          details: { givenOn },
          signal: { givenOn },
        },
      );
      return {
        id: itemId,
        givenOn,
        feedbackDue: found.feedbackDue,
        // Whether this feedback met the 3-month clock (given on or before the day it was due).
        metDeadline: givenOn <= found.feedbackDue,
      };
    });
  }
}
