/**
 * The SLA timers on their own (SlaService with the mail service, queues and audit trail), reading a
 * clock the test sets to a day instead of waiting: what the time-travel suites of the SLA clocks, the
 * plan reminders and the feedback clock drive. Notices go to an SMTP catcher.
 */
import { Test, type TestingModule } from '@nestjs/testing';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { MailService } from '../../apps/api/src/notifications/mail.service';
import { QueuesModule } from '../../apps/api/src/queues/queues.module';
import { Clock } from '../../apps/api/src/sla/clock';
import { SlaService } from '../../apps/api/src/sla/sla.service';
import { startSmtpCatcher } from './smtp-catcher';

/** A clock that reads what the test set: an instant, or noon (UTC) on a day. */
export class SetClock extends Clock {
  at = new Date();
  now(): Date {
    return this.at;
  }
  onDay(day: string): void {
    this.at = new Date(`${day}T12:00:00Z`);
  }
}

export interface SlaHarness {
  readonly moduleRef: TestingModule;
  readonly sla: SlaService;
  readonly clock: SetClock;
  readonly smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  close(): Promise<void>;
}

/** SlaService and its module on `clock`, e-mailing an SMTP catcher (SMTP_URL is set while it runs). */
export async function startSlaHarness(clock = new SetClock()): Promise<SlaHarness> {
  const smtp = await startSmtpCatcher();
  process.env.SMTP_URL = smtp.url;
  const moduleRef = await Test.createTestingModule({
    imports: [CoreModule, QueuesModule, AuditModule],
    providers: [MailService, SlaService, { provide: Clock, useValue: clock }],
  }).compile();
  await moduleRef.init();
  return {
    moduleRef,
    sla: moduleRef.get(SlaService),
    clock,
    smtp,
    async close() {
      delete process.env.SMTP_URL;
      await moduleRef.close();
      await smtp.close();
    },
  };
}
