/**
 * Notifying handlers of case events (issue #6): a new case, or a reporter's message, e-mails every
 * staff grantee of the case; a change of routing (`case.routed`: an assignment, a transfer, a
 * recusal, someone named as involved) e-mails each NEW recipient — whoever was just granted the case,
 * and the assignee — and nobody who merely kept access. A retried job only sends what is still
 * pending for each recipient (the notifications table), so a redelivered event e-mails nobody twice;
 * a crash between sending and recording can at worst repeat one e-mail, never lose one.
 *
 * Routing follow-through: for `case.created` and `case.routed` the same transaction that reserves the
 * recipients records the routing decision in the audit trail (`case.routed`, once per outbox event:
 * who was told, by id).
 *
 * For a reporter-caused event (`job.batchTime`, docs/architecture.md "Reporter time") every time this
 * writes is the batch's: the audit entry, `notifications.sent_at` and each e-mail's Date header.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { inTenant } from '../database/tenant-transaction';
import type { CaseEventJob } from '../outbox/outbox-relay.service';
import { MailService } from './mail.service';

export type NotificationOutcome = { sent: number; skipped?: string };

const ROUTING_EVENTS = ['case.created', 'case.routed'];

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async handle(event: string, job: CaseEventJob): Promise<NotificationOutcome> {
    if (event === 'case.message_added' && job.payload.author !== 'reporter')
      return { sent: 0, skipped: 'staff message' };
    if (event !== 'case.message_added' && !ROUTING_EVENTS.includes(event))
      return { sent: 0, skipped: 'no notice for this event' };
    const recipients: { user_id: string; email: string }[] = await inTenant(
      this.dataSource,
      job.tenantId,
      async (m) => {
        const rows = await this.intendedRecipients(m, event, job);
        for (const row of rows) {
          await m.query(
            `INSERT INTO notifications (tenant_id, outbox_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            [job.tenantId, job.outboxId, row.user_id],
          );
        }
        if (ROUTING_EVENTS.includes(event)) await this.recordRouting(m, event, job, rows);
        const pending: { user_id: string }[] = await m.query(
          `SELECT user_id FROM notifications WHERE outbox_id = $1 AND status = 'pending'`,
          [job.outboxId],
        );
        const wanted = new Set(pending.map((p) => p.user_id));
        return rows.filter((r) => wanted.has(r.user_id));
      },
    );
    const batchTime = job.batchTime ? new Date(job.batchTime) : null;
    for (const recipient of recipients) {
      await this.mail.sendNotice(recipient.email, batchTime ?? undefined);
      await inTenant(this.dataSource, job.tenantId, (m) =>
        m.query(
          `UPDATE notifications SET status = 'sent', sent_at = COALESCE($3::timestamptz, now())
           WHERE outbox_id = $1 AND user_id = $2`,
          [job.outboxId, recipient.user_id, batchTime],
        ),
      );
    }
    return { sent: recipients.length };
  }

  /**
   * Who the event is for: staff who hold the case now (never an administrator, nor a deactivated account:
   * a leaver's address is not told). For `case.routed`,
   * only its newcomers and its assignee — someone granted and then revoked before the job ran is
   * not told.
   */
  private async intendedRecipients(
    m: EntityManager,
    event: string,
    job: CaseEventJob,
  ): Promise<{ user_id: string; email: string }[]> {
    const holders: { user_id: string; email: string }[] = await m.query(
      `SELECT DISTINCT u.id AS user_id, u.email FROM case_grants g JOIN staff_users u ON u.id = g.grantee_id
       WHERE g.case_id = $1 AND g.grantee_kind = 'staff' AND NOT ('administrator' = ANY(u.roles))
         AND u.deactivated_at IS NULL ORDER BY u.id`,
      [job.caseId],
    );
    if (event !== 'case.routed') return holders;
    const newcomers = new Set(
      String(job.payload.newGrantees ?? '')
        .split(',')
        .filter(Boolean),
    );
    if (typeof job.payload.assigneeId === 'string') newcomers.add(job.payload.assigneeId);
    return holders.filter((h) => newcomers.has(h.user_id));
  }

  /** The routing decision in the audit trail, once per outbox event (a retried job finds it there). */
  private async recordRouting(
    m: EntityManager,
    event: string,
    job: CaseEventJob,
    recipients: readonly { user_id: string }[],
  ): Promise<void> {
    const recorded: unknown[] = await m.query(
      `SELECT 1 FROM audit_entries WHERE case_id = $1 AND action = 'case.routed' AND details->>'outboxId' = $2 LIMIT 1`,
      [job.caseId, job.outboxId],
    );
    if (recorded.length > 0) return;
    const [routing]: { routing: string }[] = await m.query(`SELECT routing FROM cases WHERE id = $1`, [
      job.caseId,
    ]);
    await this.audit.append(m, {
      actor: { type: 'system' },
      action: 'case.routed',
      caseId: job.caseId,
      ...(job.batchTime ? { at: new Date(job.batchTime) } : {}),
      details: {
        event,
        reason: event === 'case.created' ? 'created' : String(job.payload.reason ?? 'rerouted'),
        routing: routing?.routing ?? null,
        assigneeId: typeof job.payload.assigneeId === 'string' ? job.payload.assigneeId : null,
        recipients: recipients.map((r) => r.user_id),
        outboxId: job.outboxId,
        // A routing that served a naming request (its decider given the case) says which, so the people
        // it names never see it (apps/api/src/cases/reads/naming-visibility.ts).
        ...(typeof job.payload.requestId === 'string' ? { requestId: job.payload.requestId } : {}),
      },
    });
  }
}
