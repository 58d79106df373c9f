/**
 * Notifying handlers of case events (issue #6): a new case, or a reporter's message, e-mails every
 * staff grantee of the case. A retried job only sends what is still pending for each recipient (the
 * notifications table), so a redelivered event e-mails nobody twice; a crash between sending and
 * recording can at worst repeat one e-mail, never lose one.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { inTenant } from '../database/tenant-transaction';
import type { CaseEventJob } from '../outbox/outbox-relay.service';
import { MailService } from './mail.service';

export type NotificationOutcome = { sent: number; skipped?: string };

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
  ) {}

  async handle(event: string, job: CaseEventJob): Promise<NotificationOutcome> {
    if (event === 'case.message_added' && job.payload.author !== 'reporter')
      return { sent: 0, skipped: 'staff message' };
    if (event !== 'case.created' && event !== 'case.message_added')
      return { sent: 0, skipped: 'no notice for this event' };
    const recipients: { user_id: string; email: string }[] = await inTenant(
      this.dataSource,
      job.tenantId,
      async (m) => {
        const rows: { user_id: string; email: string }[] = await m.query(
          `SELECT DISTINCT u.id AS user_id, u.email FROM case_grants g JOIN staff_users u ON u.id = g.grantee_id
         WHERE g.case_id = $1 AND g.grantee_kind = 'staff' AND NOT ('administrator' = ANY(u.roles)) ORDER BY u.id`,
          [job.caseId],
        );
        for (const row of rows) {
          await m.query(
            `INSERT INTO notifications (tenant_id, outbox_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            [job.tenantId, job.outboxId, row.user_id],
          );
        }
        const pending: { user_id: string }[] = await m.query(
          `SELECT user_id FROM notifications WHERE outbox_id = $1 AND status = 'pending'`,
          [job.outboxId],
        );
        const wanted = new Set(pending.map((p) => p.user_id));
        return rows.filter((r) => wanted.has(r.user_id));
      },
    );
    for (const recipient of recipients) {
      await this.mail.sendNotice(recipient.email);
      await inTenant(this.dataSource, job.tenantId, (m) =>
        m.query(
          `UPDATE notifications SET status = 'sent', sent_at = now() WHERE outbox_id = $1 AND user_id = $2`,
          [job.outboxId, recipient.user_id],
        ),
      );
    }
    return { sent: recipients.length };
  }
}
