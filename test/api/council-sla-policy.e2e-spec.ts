/**
 * Issue #16: a council's stored SLA policy is the one its clocks run on, not only its figures
 * (docs/dashboard.md "The council's SLA policy"). A case created for a council with a working-days
 * policy gets the deadlines that policy gives, bank holidays skipped, and its timers are scheduled from
 * them; a council with no policy keeps the statutory calendar.
 */
import { getQueueToken } from '@nestjs/bullmq';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { CaseStoreService } from '../../apps/api/src/cases/store/case-store.service';
import { MailService } from '../../apps/api/src/notifications/mail.service';
import { QueueName } from '../../apps/api/src/queues/queue-names';
import { QueuesModule } from '../../apps/api/src/queues/queues.module';
import { Clock, SystemClock } from '../../apps/api/src/sla/clock';
import { SlaService } from '../../apps/api/src/sla/sla.service';
import { saveTenantSlaPolicy } from '../../apps/api/src/tenants/tenant-sla';
import { StaffFixtures } from '../support/staff-fixtures';

describe("a council's SLA policy drives its deadlines and timers", () => {
  let moduleRef: TestingModule;
  let sla: SlaService;
  let queue: Queue;
  let fixtures: StaffFixtures;

  const inTenant = <T>(tenantId: string, work: (m: import('typeorm').EntityManager) => Promise<T>) =>
    fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      return work(m);
    });

  /** A case received on Christmas Eve 2026, through the store intake writes with. */
  const christmasEveCase = (tenantId: string) =>
    inTenant(tenantId, async (m) => {
      const [tenant] = await m.query(`SELECT escrow_public_key FROM tenants WHERE id = $1`, [tenantId]);
      const escrow = { kind: 'escrow' as const, userId: null, publicKey: tenant.escrow_public_key };
      const created = await new CaseStoreService().create(m, {
        tenantId,
        category: 'dishonesty',
        receivedAt: new Date('2026-12-24T10:00:00Z'),
        grantees: { report: [escrow], internal: [escrow], identity: [escrow] },
      });
      const [row] = await m.query(
        `SELECT acknowledgement_due::text AS ack, feedback_due::text AS feedback FROM cases WHERE id = $1`,
        [created.id],
      );
      return { id: created.id, ack: row.ack as string, feedback: row.feedback as string };
    });

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [CoreModule, QueuesModule, AuditModule],
      providers: [MailService, SlaService, { provide: Clock, useClass: SystemClock }],
    }).compile();
    await moduleRef.init();
    sla = moduleRef.get(SlaService);
    queue = moduleRef.get(getQueueToken(QueueName.Sla));
    fixtures = await StaffFixtures.open();
  });
  afterAll(async () => {
    await moduleRef.close();
    await fixtures.close();
  });

  it('5 working days from Christmas Eve skip Christmas, the Boxing Day substitute and New Year; reminders follow', async () => {
    const tenant = await fixtures.tenant('sla-working');
    const staff = await fixtures.user(tenant.id, ['administrator']);
    await inTenant(tenant.id, (m) =>
      saveTenantSlaPolicy(
        m,
        {
          acknowledgementDays: 5,
          acknowledgementUnit: 'working',
          acknowledgementReminderDaysBefore: 2,
          feedbackMonths: 2,
          feedbackReminderDaysBefore: 14,
          safeguardingReferralWorkingDays: 1,
          extraClosureDays: [],
        },
        staff.id,
      ),
    );
    const created = await christmasEveCase(tenant.id);
    // Working days after Thu 24 Dec: Tue 29, Wed 30, Thu 31, Mon 4 Jan, Tue 5 Jan (25th, the 28th's
    // Boxing Day substitute and 1 Jan are bank holidays; 26–27 Dec and 2–3 Jan a weekend).
    expect(created.ack).toBe('2027-01-05');
    // Feedback from the earlier of that and the statutory 7 days (31 Dec), 2 months on.
    expect(created.feedback).toBe('2027-02-28');

    const timers = await sla.schedule(tenant.id, created.id);
    expect(timers.map((t) => [t.kind, t.due, t.firesOn])).toEqual([
      ['acknowledgement_reminder', '2027-01-05', '2026-12-31'],
      ['acknowledgement_breach', '2027-01-05', '2027-01-06'],
      ['feedback_reminder', '2027-02-28', '2027-02-14'],
      ['feedback_breach', '2027-02-28', '2027-03-01'],
    ]);
    expect(await queue.getJob(`sla-${created.id}-acknowledgement_breach-2027-01-05`)).toBeTruthy();
  });

  it('a council with no policy keeps the statutory 7 calendar days and 3 months', async () => {
    const tenant = await fixtures.tenant('sla-default');
    const created = await christmasEveCase(tenant.id);
    expect(created).toEqual(expect.objectContaining({ ack: '2026-12-31', feedback: '2027-03-31' }));
    const timers = await sla.schedule(tenant.id, created.id);
    expect(timers.find((t) => t.kind === 'acknowledgement_reminder')?.firesOn).toBe('2026-12-29');
  });
});
