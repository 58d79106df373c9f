/**
 * Intake reuses what routing read for a council within the last second as the guess it seals for
 * (apps/api/src/intake/intake.service.ts `expectedRoute`, docs/performance.md "What serialised intake").
 * A read that fails must fail only the report that made it: the reports waiting on it read for
 * themselves, and forgetting the failed read never forgets a newer one.
 */
import type { INestApplication } from '@nestjs/common';
import type { Submission } from '@nolan/domain';
import { IntakeService } from '../../apps/api/src/intake/intake.service';
import { StaffUsersRepository } from '../../apps/api/src/staff/staff-users.repository';
import { startApi } from '../support/api-app';
import { StaffFixtures } from '../support/staff-fixtures';

interface Routed {
  decision: { kind: string };
  staff: { userId: string | null }[];
}

/** The cache's entries and the private method under test, as the service holds them. */
interface RoutingCache {
  recentRouting: Map<string, { until: number; facts: Promise<unknown> }>;
  expectedRoute(tenantId: string, submission: Submission): Promise<Routed>;
}

const SUBMISSION = { category: 'fraud_theft', involves: [] } as unknown as Submission;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('intake’s remembered routing read', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let intake: RoutingCache;
  let users: StaffUsersRepository;

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    intake = app.get(IntakeService) as unknown as RoutingCache;
    users = app.get(StaffUsersRepository);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /**
   * The next routing read fails once `fail` is called (and not before); `started` settles when that read
   * has begun. A read reaches the role holders only after opening its transaction, so a later read could
   * overtake it there: each test makes its next read only once the failing one has begun.
   */
  function nextReadFails() {
    const gate = deferred();
    const begun = deferred();
    const read = jest.spyOn(users, 'roleHolders');
    read.mockImplementationOnce(async () => {
      begun.resolve();
      await gate.promise;
      throw new Error('the connection went away');
    });
    return { read, fail: gate.resolve, started: begun.promise };
  }

  it('lets every report waiting on a failed read read for itself', async () => {
    const tenant = await fixtures.tenant('routing-waiters');
    const mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    const { read, fail, started } = nextReadFails();
    const first = intake.expectedRoute(tenant.id, SUBMISSION);
    await started;
    const waiters = [
      intake.expectedRoute(tenant.id, SUBMISSION),
      intake.expectedRoute(tenant.id, SUBMISSION),
    ];
    fail();
    await expect(first).rejects.toThrow('the connection went away');
    for (const routed of await Promise.all(waiters)) {
      expect(routed.decision.kind).toBe('routed');
      expect(routed.staff.map((s) => s.userId)).toContain(mo.id);
    }
    expect(read).toHaveBeenCalledTimes(3);
    // The failed read is not remembered: the next report reads again.
    expect(intake.recentRouting.has(tenant.id)).toBe(false);
  });

  it('forgets a failed read without forgetting a newer one', async () => {
    const tenant = await fixtures.tenant('routing-newer');
    await fixtures.user(tenant.id, ['monitoring_officer']);
    const { read, fail, started } = nextReadFails();
    const first = intake.expectedRoute(tenant.id, SUBMISSION);
    await started;
    // More than a second later, the first read still out: a report makes a newer one.
    // (the clock is moved only while the report notes its time, which it does before its first await: a
    // clock held still for longer stalls whatever else waits on time, such as the database pool)
    const later = Date.now() + 1500;
    const moved = jest.spyOn(Date, 'now').mockReturnValue(later);
    const newerRead = intake.expectedRoute(tenant.id, SUBMISSION);
    moved.mockRestore();
    expect((await newerRead).decision.kind).toBe('routed');
    const newer = intake.recentRouting.get(tenant.id);
    expect(newer?.until).toBe(later + 1000);
    fail();
    await expect(first).rejects.toThrow('the connection went away');
    await new Promise((r) => setImmediate(r));
    expect(intake.recentRouting.get(tenant.id)).toBe(newer);
    // …and the next report within its second uses it, without reading.
    await intake.expectedRoute(tenant.id, SUBMISSION);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
