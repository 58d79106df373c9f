/**
 * A handler recusing themselves from a case (issue #7; docs/regulatory.md §3, an investigator
 * who discovers a conflict once assigned): their grants go at once, so the case vanishes for them (404, absent from
 * lists and counts), and the case is re-routed by the domain's routing without them. They still hold
 * the scope keys at that moment, so they grant them onward to whoever routing now adds before their
 * own grants are deleted — nobody needs the escrow passphrase for it. The mechanics are
 * CaseAccessService's (one transaction, every grant and revocation audited, one `case.routed` outbox
 * row); the reason is encrypted to the internal scope. An assignee who recuses is no longer the
 * assignee: the overseer assigns someone else.
 */
import { Injectable } from '@nestjs/common';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor, mustReadReport } from '../access/case-door';
import { CaseAccessService } from '../access/case-access.service';
import { CaseRecorder } from '../record/case-recorder';

@Injectable()
export class RecusalService {
  constructor(
    private readonly recorder: CaseRecorder,
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
  ) {}

  async recuse(staff: AuthenticatedStaff, reference: string, reason: string) {
    return this.door.open(staff, reference, {}, async (opened) => {
      const { m, found, actor: session } = opened;
      await mustReadReport(opened, 'Only a handler who can read the report can recuse and pass the case on.');
      const outcome = await this.access.change(m, {
        tenantId: session.tenantId,
        caseId: found.id,
        actor: { type: 'staff', id: session.userId },
        keys: opened.keys,
        reason: 'recused',
        exclude: [{ userId: session.userId, kind: 'recused' }],
        reroute: true,
      });
      await this.recorder.record(
        m,
        { tenantId: session.tenantId, caseId: found.id },
        { kind: 'recused', by: { origin: 'staff', staffId: session.userId }, body: { reason } },
      );
      return { recused: true, passedTo: outcome.newGrantees.length, unrouted: outcome.unrouted };
    });
  }
}
