import type { EntityManager } from 'typeorm';
import { AuditMisuseError, GENESIS_HASH, hashEntry, verifyChain } from './audit-chain';
import type { AuditEntryEntity } from './audit-entry.entity';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

const TENANT = '0b9f4c52-6a43-4bb1-9d0c-1f6a4f3f2a10';
const STAFF = '6d1c8e6f-2f40-4a6b-8a65-3f3a9f1e7c21';
const CASE = 'c4a4d5a8-8c0e-4d7e-9d53-0d1b2f8e6a33';

/** An in-memory stand-in for the table, behind a repository mock (docs/conventions.md §7). */
function newRepositoryMock() {
  const rows: AuditEntryEntity[] = [];
  const checkpoints: { seq: number; hash: string }[] = [];
  const calls: string[] = [];
  const repository = {
    currentTenant: jest.fn(async () => TENANT as string | null),
    // An append reads the tenant with the transaction's reporter-time origin (none here): the tenant as
    // `currentTenant` gives it, so a test that makes that null makes this one's null too.
    currentTenantAndOrigin: jest.fn(
      async (): Promise<{ tenantId: string | null; origin: string | null }> => ({
        tenantId: await repository.currentTenant(),
        origin: null,
      }),
    ),
    lockTrail: jest.fn(async () => void calls.push('lock')),
    head: jest.fn(async () => {
      calls.push('head');
      const last = rows[rows.length - 1];
      return last ? { seq: last.seq, hash: last.hash } : null;
    }),
    insert: jest.fn(async (_m: EntityManager, entry: Omit<AuditEntryEntity, 'id'>) => {
      calls.push('insert');
      const id = `00000000-0000-4000-8000-${String(rows.length + 1).padStart(12, '0')}`;
      rows.push({ ...entry, id });
      return id;
    }),
    listForCase: jest.fn(
      async (_m: EntityManager, _t: string, caseId: string, limit: number, offset: number) => {
        const matching = rows.filter((r) => r.caseId === caseId);
        return [matching.slice(offset, offset + limit), matching.length] as [AuditEntryEntity[], number];
      },
    ),
    entriesAfter: jest.fn(async (_m: EntityManager, _t: string, after: number, limit: number) =>
      rows.filter((r) => r.seq > after).slice(0, limit),
    ),
    checkpoints: jest.fn(async () => [...checkpoints]),
    insertCheckpoint: jest.fn(async (_m: EntityManager, _t: string, head: { seq: number; hash: string }) => {
      if (!checkpoints.some((c) => c.seq === head.seq)) checkpoints.push(head);
    }),
  };
  return { repository, rows, checkpoints, calls };
}

const inTransaction = { queryRunner: { isTransactionActive: true } } as unknown as EntityManager;

describe(AuditService.name, () => {
  let sut: AuditService;
  let mocks: ReturnType<typeof newRepositoryMock>;

  beforeEach(() => {
    mocks = newRepositoryMock();
    sut = new AuditService(mocks.repository as unknown as AuditRepository);
  });

  describe('append', () => {
    it('chains each entry to the one before, numbering from 1', async () => {
      const first = await sut.append(inTransaction, { actor: { type: 'system' }, action: 'config.changed' });
      const second = await sut.append(inTransaction, {
        actor: { type: 'staff', id: STAFF },
        action: 'case.content_decrypted',
        caseId: CASE,
        details: { scope: 'report', items: 2 },
      });
      expect(first.seq).toBe(1);
      expect(second.seq).toBe(2);
      expect(mocks.rows[0].prevHash).toBe(GENESIS_HASH);
      expect(mocks.rows[1].prevHash).toBe(first.hash);
      expect(mocks.rows[1].hash).toBe(hashEntry(mocks.rows[1]));
      expect(verifyChain(mocks.rows).intact).toBe(true);
    });

    it('takes the tenant lock before reading the head, and inserts last', async () => {
      await sut.append(inTransaction, { actor: { type: 'operator' }, action: 'config.changed' });
      expect(mocks.calls).toEqual(['lock', 'head', 'insert']);
      expect(mocks.repository.lockTrail).toHaveBeenCalledWith(inTransaction, TENANT);
    });

    it('stores no actor id for a reporter and lower-cases ids so the stored row hashes the same', async () => {
      await sut.append(inTransaction, { actor: { type: 'reporter' }, action: 'auth.sign_in' });
      await sut.append(inTransaction, {
        actor: { type: 'staff', id: STAFF.toUpperCase() },
        action: 'grant.created',
        caseId: CASE.toUpperCase(),
      });
      expect(mocks.rows[0]).toMatchObject({
        actorType: 'reporter',
        actorId: null,
        caseId: null,
        details: {},
      });
      expect(mocks.rows[1]).toMatchObject({ actorId: STAFF, caseId: CASE });
    });

    it('refuses an IP address in a reporter’s entry, and writes nothing', async () => {
      await expect(
        sut.append(inTransaction, {
          actor: { type: 'reporter' },
          action: 'auth.sign_in_failed',
          details: { ip: '203.0.113.9' },
        }),
      ).rejects.toThrow(AuditMisuseError);
      expect(mocks.repository.insert).not.toHaveBeenCalled();
    });

    it('refuses details that are not small metadata', async () => {
      await expect(
        sut.append(inTransaction, {
          actor: { type: 'staff', id: STAFF },
          action: 'case.transitioned',
          details: { reason: 'x'.repeat(1000) },
        }),
      ).rejects.toThrow('details.reason is longer than 256 characters');
    });

    it('refuses to run outside a transaction or without a tenant', async () => {
      const bare = { queryRunner: undefined } as unknown as EntityManager;
      await expect(sut.append(bare, { actor: { type: 'system' }, action: 'config.changed' })).rejects.toThrow(
        /inside the caller’s transaction/,
      );
      mocks.repository.currentTenant.mockResolvedValueOnce(null);
      await expect(
        sut.append(inTransaction, { actor: { type: 'system' }, action: 'config.changed' }),
      ).rejects.toThrow(/no tenant is set/);
    });
  });

  describe('checkpoint', () => {
    it('records the head once and returns it; an empty trail has none', async () => {
      expect(await sut.checkpoint(inTransaction)).toBeNull();
      expect(mocks.repository.insertCheckpoint).not.toHaveBeenCalled();
      const last = await sut.append(inTransaction, { actor: { type: 'system' }, action: 'config.changed' });
      expect(await sut.checkpoint(inTransaction)).toEqual({ seq: 1, hash: last.hash });
      await sut.checkpoint(inTransaction);
      expect(mocks.checkpoints).toEqual([{ seq: 1, hash: last.hash }]);
    });
  });

  describe('listForCase', () => {
    it('maps the case’s entries to DTOs in chain order, with the total', async () => {
      for (let i = 0; i < 5; i++) {
        await sut.append(inTransaction, {
          actor: { type: 'staff', id: STAFF },
          action: 'case.content_decrypted',
          caseId: i % 2 ? null : CASE,
          details: { n: i },
        });
      }
      const page = await sut.listForCase(inTransaction, CASE, { limit: 2, offset: 1 });
      expect(page.total).toBe(3);
      expect(page).toMatchObject({ limit: 2, offset: 1 });
      expect(page.items.map((item) => item.seq)).toEqual([3, 5]);
      expect(Object.keys(page.items[0]).sort()).toEqual(
        ['action', 'actorId', 'actorType', 'caseId', 'details', 'hash', 'id', 'occurredAt', 'seq'].sort(),
      );
      expect(page.items[0].occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('refuses a page size out of range', async () => {
      await expect(sut.listForCase(inTransaction, CASE, { limit: 0 })).rejects.toThrow(
        'limit must be an integer from 1 to 200',
      );
      await expect(sut.listForCase(inTransaction, CASE, { offset: -1 })).rejects.toThrow(AuditMisuseError);
    });
  });

  describe('verify', () => {
    async function appendMany(n: number) {
      for (let i = 0; i < n; i++) {
        await sut.append(inTransaction, {
          actor: { type: 'system' },
          action: 'config.changed',
          details: { i },
        });
      }
    }

    it('reads the chain a page at a time and finds it intact', async () => {
      await appendMany(7);
      await sut.checkpoint(inTransaction);
      const verdict = await sut.verify(inTransaction, 3);
      expect(verdict).toMatchObject({ intact: true, entries: 7, checkpoints: 1 });
      expect(mocks.repository.entriesAfter.mock.calls.map((call) => call[2])).toEqual([0, 3, 6]);
    });

    it('stops reading at the first broken link', async () => {
      await appendMany(7);
      mocks.rows[1] = { ...mocks.rows[1], details: { i: 99 } };
      const verdict = await sut.verify(inTransaction, 3);
      expect(verdict).toMatchObject({ intact: false, broken: { kind: 'hash_mismatch', seq: 2 } });
      expect(mocks.repository.entriesAfter).toHaveBeenCalledTimes(1);
    });

    it('names a truncated tail from the checkpoint', async () => {
      await appendMany(4);
      await sut.checkpoint(inTransaction);
      mocks.rows.pop();
      expect(await sut.verify(inTransaction)).toMatchObject({
        intact: false,
        broken: { kind: 'truncated', seq: 4, head: 3 },
      });
    });
  });

  describe('reporter time (docs/architecture.md "Reporter time")', () => {
    const RELEASE = new Date('2026-12-06T11:00:00.000Z');
    let held: {
      id: string;
      releaseAt: Date;
      actorType: 'staff' | 'reporter' | 'system' | 'operator';
      actorId: string | null;
      action: string;
      caseId: string | null;
      details: Record<string, unknown>;
    }[];
    let reporterCausedTransaction: boolean;
    let now: Date;

    beforeEach(() => {
      held = [];
      reporterCausedTransaction = false;
      now = new Date('2026-12-06T10:17:00.000Z');
      const repository = Object.assign(mocks.repository, {
        insertHeld: jest.fn(async (_m: EntityManager, entry: Omit<(typeof held)[number], 'id'>) => {
          const id = `held-${held.length + 1}`;
          held.push({ ...entry, actorType: entry.actorType, id });
          return id;
        }),
        heldUntil: jest.fn(async (_m: EntityManager, _t: string, until: Date) =>
          held.filter((h) => h.releaseAt.getTime() <= until.getTime()),
        ),
        deleteHeld: jest.fn(async (_m: EntityManager, ids: readonly string[]) => {
          held = held.filter((h) => !ids.includes(h.id));
        }),
      });
      const reporterTime = {
        now: () => now,
        holds: async (_m: EntityManager, actorIsReporter = false) =>
          actorIsReporter || reporterCausedTransaction,
        releaseAt: async () => RELEASE,
      };
      sut = new AuditService(repository as unknown as AuditRepository, undefined, reporterTime as never);
    });

    it('holds a reporter’s entry and the system’s entries of a reporter-caused transaction, out of the chain', async () => {
      reporterCausedTransaction = true;
      const created = await sut.append(inTransaction, {
        actor: { type: 'reporter' },
        action: 'case.created',
        caseId: CASE,
      });
      await sut.append(inTransaction, {
        actor: { type: 'system' },
        action: 'grant.created',
        caseId: CASE,
        details: { scope: 'report', granteeId: STAFF },
      });
      expect(created).toEqual(expect.objectContaining({ held: true, seq: null, releaseAt: RELEASE }));
      expect(mocks.rows).toHaveLength(0);
      expect(held.map((h) => [h.action, h.releaseAt, h.details.batch])).toEqual([
        ['case.created', RELEASE, true],
        ['grant.created', RELEASE, true],
      ]);
    });

    it('appends a staff entry at once, at the clock’s time', async () => {
      const staff = await sut.append(inTransaction, {
        actor: { type: 'staff', id: STAFF },
        action: 'case.note_added',
        caseId: CASE,
      });
      expect(staff.seq).toBe(1);
      expect(mocks.rows[0].occurredAt).toEqual(now);
      expect(held).toHaveLength(0);
    });

    it('appends nothing held before its boundary; at it, every held entry once, with the boundary’s time, after the staff entries, and the chain verifies', async () => {
      reporterCausedTransaction = true;
      for (const action of ['case.created', 'case.message_added', 'auth.sign_in'] as const) {
        await sut.append(inTransaction, { actor: { type: 'reporter' }, action, caseId: CASE });
      }
      reporterCausedTransaction = false;
      now = new Date('2026-12-06T10:30:00.000Z');
      await sut.append(inTransaction, { actor: { type: 'staff', id: STAFF }, action: 'case.note_added' });
      expect(await sut.releaseHeld(inTransaction, new Date('2026-12-06T10:59:59.999Z'))).toBe(0);
      expect(await sut.releaseHeld(inTransaction, RELEASE)).toBe(3);
      expect(await sut.releaseHeld(inTransaction, RELEASE)).toBe(0);
      expect(held).toHaveLength(0);
      expect(mocks.rows.map((r) => r.actorType)).toEqual(['staff', 'reporter', 'reporter', 'reporter']);
      expect(mocks.rows.slice(1).every((r) => r.occurredAt.getTime() === RELEASE.getTime())).toBe(true);
      expect(new Set(mocks.rows.slice(1).map((r) => r.action)).size).toBe(3);
      expect(verifyChain(mocks.rows).intact).toBe(true);
    });

    it('releases a batch in random order', async () => {
      reporterCausedTransaction = true;
      const actions = [
        'case.created',
        'case.message_added',
        'auth.sign_in',
        'case.content_decrypted',
      ] as const;
      const orders = new Set<string>();
      for (let run = 0; run < 30; run++) {
        mocks.rows.length = 0;
        for (const action of actions)
          await sut.append(inTransaction, { actor: { type: 'reporter' }, action });
        await sut.releaseHeld(inTransaction, RELEASE);
        orders.add(mocks.rows.map((r) => r.action).join());
      }
      expect(orders.size).toBeGreaterThan(1);
    });

    it('records a worker’s entry for a released batch at the batch’s time, marked as such', async () => {
      await sut.append(inTransaction, {
        actor: { type: 'system' },
        action: 'case.routed',
        caseId: CASE,
        at: RELEASE,
      });
      expect(mocks.rows[0].occurredAt).toEqual(RELEASE);
      expect(mocks.rows[0].details).toEqual({ batch: true });
    });
  });
});
