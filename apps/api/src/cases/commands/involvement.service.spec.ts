import { generateScopeKeyPair, type UnlockedKey } from '@nolan/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../../audit/audit.service';
import type { SessionStore } from '../../auth/session-store';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import type { StaffUsersRepository } from '../../staff/staff-users.repository';
import type { CaseDoor } from '../access/case-door';
import type { AccessChange, CaseAccessService } from '../access/case-access.service';
import type { OutboxRepository } from '../../outbox/outbox.repository';
import { CaseRecorder } from '../record/case-recorder';
import type { CasesRepository } from '../store/cases.repository';
import { InvolvementService } from './involvement.service';

const MO = '22222222-2222-4222-8222-222222222222';
const DEPUTY = '33333333-3333-4333-8333-333333333333';
const HANDLER = '11111111-1111-4111-8111-111111111111';

describe(InvolvementService.name, () => {
  let sut: InvolvementService;
  let change: jest.Mock;
  let addItem: jest.Mock;
  let append: jest.Mock;
  // The items table, reduced to what the recorder needs: the scope's public key and the insert.
  let publicKey: Uint8Array;
  beforeAll(async () => {
    publicKey = (await generateScopeKeyPair('internal')).publicKey;
  });
  const manager = {
    query: jest.fn(),
    getRepository: () => ({
      findOneOrFail: async () => ({ publicKey: Buffer.from(publicKey) }),
      insert: (row: unknown) => addItem(row),
      // No naming request waits on the case (the pending ones count when a decider is chosen).
      find: async () => [],
    }),
  } as unknown as EntityManager;
  const staff = {
    session: { tenantId: 't', userId: HANDLER, roles: ['investigator'] },
    secret: Buffer.alloc(0),
  } as unknown as AuthenticatedStaff;

  beforeEach(() => {
    change = jest.fn().mockResolvedValue({
      newGrantees: ['h'],
      revoked: [MO],
      decision: null,
      withheld: ['identity'],
      unrouted: false,
      assigneeId: null,
    });
    addItem = jest.fn().mockResolvedValue({ identifiers: [{ id: 'item' }] });
    append = jest.fn().mockResolvedValue({ id: 'entry', seq: 1, hash: '' });
    const dataSource = {
      transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager),
    } as unknown as DataSource;
    const caseTheyCanPassOn = jest.fn().mockResolvedValue({ id: 'case-1' });
    const users = {
      findById: jest.fn(async (_m: unknown, id: string) => (id === MO ? { id: MO } : null)),
      roleHolders: jest.fn().mockResolvedValue([
        { userId: MO, roles: ['monitoring_officer'] },
        { userId: DEPUTY, roles: ['deputy_monitoring_officer'] },
        { userId: HANDLER, roles: ['investigator'] },
      ]),
    } as unknown as StaffUsersRepository;
    const sessions = {
      unlockedKey: jest.fn().mockResolvedValue({} as UnlockedKey),
    } as unknown as SessionStore;
    // The case door, reduced to what this service needs of it: the transaction and the opened case.
    const door = {
      open: async (
        s: AuthenticatedStaff,
        _ref: string,
        _o: unknown,
        work: (c: unknown) => Promise<unknown>,
      ) => {
        await sessions.unlockedKey(s);
        return dataSource.transaction(async (m: EntityManager) =>
          work({
            m,
            found: await caseTheyCanPassOn(),
            actor: s.session,
            holds: async () => true,
            keys: { via: 'staff_grant', openScope: async () => null },
          }),
        );
      },
    } as unknown as CaseDoor;
    sut = new InvolvementService(
      new CaseRecorder(
        { append } as unknown as AuditService,
        {
          add: jest.fn(),
        } as unknown as OutboxRepository,
      ),
      users,
      door,
      {
        change,
        // The case as routing sees it: the namer oversees it (issue #15: only the overseer's naming, or
        // naming oneself, takes effect at once; a handler's is a request the overseer confirms).
        routingInput: jest.fn().mockResolvedValue({
          category: 'gifts_hospitality',
          involvedRoles: [],
          involvedUserIds: [],
          recusedUserIds: [],
          roleHolders: [{ userId: HANDLER, roles: ['investigator'] }],
          fallbackOverseerRole: 'investigator',
        }),
      } as unknown as CaseAccessService,
      {} as unknown as CasesRepository,
    );
  });

  it('excludes every holder of a named role, re-routing in the same change', async () => {
    const result = await sut.nameByHandler(staff, 'NLN-AAAA-BBBB', {
      role: 'monitoring_officer',
      reason: ' r ',
    });
    expect(result).toEqual({ named: 1, passedTo: 1, unrouted: false, withheld: ['identity'] });
    const [, request] = change.mock.calls[0] as [EntityManager, AccessChange];
    expect(request).toMatchObject({
      caseId: 'case-1',
      reason: 'named_as_involved',
      reroute: true,
      exclude: [{ userId: MO, kind: 'named_as_involved' }],
    });
    // The item is written by the recorder now (it was CaseStoreService.addItem(manager, target, bytes)).
    expect(addItem).toHaveBeenCalledWith(
      expect.objectContaining({
        scope: 'internal',
        kind: 'named_as_involved',
        ciphertext: expect.any(Uint8Array),
      }),
    );
    expect(append).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ action: 'case.named_as_involved', details: { by: 'staff', people: 1 } }),
    );
  });

  it('refuses both or neither of userId and role, and an unknown user, before changing anything', async () => {
    for (const body of [{ reason: 'r' }, { userId: MO, role: 'monitoring_officer', reason: 'r' }]) {
      await expect(sut.nameByHandler(staff, 'NLN-AAAA-BBBB', body)).rejects.toEqual(
        new AppError('INVALID_INPUT', [
          'Name one person (userId) or one role (role), not both and not neither.',
        ]),
      );
    }
    await expect(
      sut.nameByHandler(staff, 'NLN-AAAA-BBBB', { userId: DEPUTY.replace('3', '4'), reason: 'r' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(change).not.toHaveBeenCalled();
  });

  it('records a reporter’s naming as the reporter, with only the report-scope key to pass on', async () => {
    await sut.nameByReporter(
      manager,
      { tenantId: 't', caseId: 'case-1' },
      ['monitoring_officer'],
      null,
      {} as UnlockedKey,
    );
    const [, request] = change.mock.calls[0] as [EntityManager, AccessChange];
    expect(request.actor).toEqual({ type: 'reporter' });
    expect(request.keys.via).toBe('reporter');
    expect(await request.keys.openScope(manager, 'case-1', 'internal')).toBeNull();
    expect(append).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ actor: { type: 'reporter' }, details: { by: 'reporter', people: 1 } }),
    );
  });
});
