/**
 * Who may read a case, changed in one place (issue #7; docs/architecture.md "Case scope keys and grants",
 * "Routing"; docs/regulatory.md §3, the conflict set). Assignment, transfer, recusal and a person
 * named later as involved all come down to the same few steps, done here in the caller's tenant
 * transaction so they commit or roll back together:
 *
 *  1. open the case's scope keys from whoever holds them (a KeyHolder: the acting handler's own
 *     grants, the escrow key unlocked with the recovery passphrase, or keys already open such as a
 *     reporter's report-scope key) — before anyone's grants are revoked, so a recusing handler can
 *     still pass the case on;
 *  2. record exclusions (case_exclusions: 'recused', 'named_as_involved'), which every later routing
 *     honours;
 *  3. grant: explicitly (an assignee gets report + internal; anyone excluded or ruled out is dropped
 *     from the list, always), and/or by re-running routeCase from
 *     libs/domain with the category, the roles the report names and every exclusion: its owners get
 *     report + internal, its overseer the identity scope too (the custodian);
 *  4. revoke: everyone excluded, everyone re-routing now rules out (e.g. the deputy monitoring officer
 *     when the monitoring officer is named and the deputy is not independent), and explicit
 *     revocations (a previous assignee) — every scope, at once;
 *  5. audit every grant and revocation, and write ONE outbox row `case.routed` with payload
 *     { reason, assigneeId, newGrantees: '<uuid>,<uuid>' } so the workers tell each newcomer (once),
 *     record the routing decision and start the assignee's "confirm ownership" clock.
 *
 * Grants only ever come from a key someone holds: the workers hold none, so they never grant.
 * A scope the KeyHolder cannot open is not given to anyone; the outcome lists it in `withheld`.
 */
import { Injectable } from '@nestjs/common';
import { createGrants, PublicKeyHandle, type Scope, type UnlockedKey } from '@nolan/crypto';
import type { KeyHolder } from './key-holders';
import {
  type CategoryId,
  HANDLER_ROLES,
  OVERSIGHT_ROLES,
  routeCase,
  ruledOut,
  type RoutingDecision,
  type RoutingInput,
  type StaffRole,
} from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../../audit/audit-event';
import { AppError } from '../../errors/app-error';
import { StaffUsersRepository } from '../../staff/staff-users.repository';
import { tenantRoutingInput } from '../../tenants/tenant-routing';
import { readReportScope } from '../record/case-content';
import { CaseRecorder, originOf } from '../record/case-recorder';
import { CaseEntity, CaseExclusionEntity, CaseGrantEntity } from '../store/case.entity';
import { CasesRepository } from '../store/cases.repository';
import { caseExclusionsOf } from './case-door';
import { holdersOfRoles, recordNamedInReport } from '../store/case-exclusions';
import { insertHeldRows } from '../../reporter-time/held-insert';

/** A grant to make: who, which scope, and the public key it is made to. */
export interface GrantToMake {
  userId: string;
  scope: Scope;
  publicKey: string | Uint8Array;
}

/**
 * Makes the grants of `toGrant`, each scope's together (docs/performance.md "One session key per scope"):
 * one row's bytes per entry, keyed by the entry itself, every one a whole message to its one grantee. A
 * scope not in `open` gets none (the caller withholds it).
 */
export async function grantsByScope(
  open: ReadonlyMap<Scope, UnlockedKey>,
  toGrant: readonly GrantToMake[],
): Promise<Map<GrantToMake, Uint8Array>> {
  const made = new Map<GrantToMake, Uint8Array>();
  for (const [scope, scopeKey] of open) {
    const forScope = toGrant.filter((g) => g.scope === scope);
    if (forScope.length === 0) continue;
    const handles = await Promise.all(forScope.map((g) => PublicKeyHandle.parse(g.publicKey)));
    const grants = await createGrants(scopeKey, handles);
    forScope.forEach((g, i) => made.set(g, grants[i] as Uint8Array));
  }
  return made;
}

/** Why access changed; carried in the `case.routed` outbox payload and the audit trail. */
export type RoutingReason = 'assigned' | 'transferred' | 'recused' | 'named_as_involved' | 'rerouted';

export type ExclusionKind = CaseExclusionEntity['kind'];

export { escrowKeyHolder, type KeyHolder, openKeysHolder, staffKeyHolder } from './key-holders';
/** Moved to libs/domain exclusions.ts; re-exported for existing callers. */
export { ruledOut } from '@nolan/domain';

export interface AccessChange {
  tenantId: string;
  caseId: string;
  /** Who made the change, for the audit trail. */
  actor: AuditActor;
  /** Where the scope keys for new grants come from. */
  keys: KeyHolder;
  reason: RoutingReason;
  /** People the case must never reach again: recorded in case_exclusions; their grants go. */
  exclude?: readonly { userId: string; kind: ExclusionKind }[];
  /** Re-run routing honouring every exclusion: grant whoever it names, revoke whoever it rules out. */
  reroute?: boolean;
  /**
   * Users to grant report + internal (an assignee, a naming's decider). Anyone excluded from the case or
   * ruled out by its conflict routes is dropped here, always (callers check first to say why).
   */
  grant?: readonly string[];
  /** Users whose every grant goes (a previous assignee), unless also granted or routed here. */
  revoke?: readonly string[];
  /**
   * The naming request this change serves (giving its decider the case, or taking it back): carried as
   * `requestId` on each grant entry, so the people the request names never see them on the timeline
   * (apps/api/src/cases/reads/naming-visibility.ts).
   */
  namingRequestId?: string;
  /** The assignee after the change, if this change sets one (otherwise the case's current one). */
  assigneeId?: string | null;
}

export interface AccessOutcome {
  /** Users who received at least one new grant, in the order granted. */
  newGrantees: string[];
  /** Users who lost every grant they had. */
  revoked: string[];
  /** The routing decision, when the change re-routed. */
  decision: RoutingDecision | null;
  /** Scopes a newcomer should have had but the KeyHolder could not open. */
  withheld: Scope[];
  /** True when no staff member holds the case any more (only the escrow key does). */
  unrouted: boolean;
  /** The case's assignee after the change. */
  assigneeId: string | null;
}

const HANDLER_SCOPES: readonly Scope[] = ['report', 'internal'];
const CUSTODIAN_SCOPES: readonly Scope[] = ['report', 'internal', 'identity'];

@Injectable()
export class CaseAccessService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly users: StaffUsersRepository,
    private readonly recorder: CaseRecorder,
  ) {}

  /**
   * THE rule for "the case's overseer", used by every overseer decision (assignment, legal hold, the
   * decision on an investigated case, the identity custodian's decision): whoever routing names as
   * overseer for the case as it stands now — its category, the roles its report names and every
   * exclusion — i.e. the monitoring officer, or whoever a conflict route put in their place. Routing,
   * not who happens to hold the identity scope, decides: a handler who names the monitoring officer as
   * involved cannot pass on the identity scope they never held, yet the head of paid service oversees
   * the case from then on. The caller must already hold a grant on the case (see grantedCase), and
   * `keys` must open its report (the roles it names); false when they cannot.
   */
  async isOverseer(
    m: EntityManager,
    caseId: string,
    user: { userId: string; roles: readonly string[] },
    keys: KeyHolder,
  ): Promise<boolean> {
    // Routing alone decides, whatever the role: the council's fallback overseer (the chair of the audit
    // committee, say) oversees a case every oversight role is involved in (issue #15).
    if (user.roles.includes('administrator')) return false;
    const routing = await this.currentRouting(m, caseId, keys);
    return routing?.kind === 'routed' && routing.overseer.userId === user.userId;
  }

  /**
   * The routing input for a case as it stands: its category, the roles its report names (read with
   * the report-scope key) and its exclusions. Null if `keys` cannot open the report.
   */
  async routingInput(m: EntityManager, caseId: string, keys: KeyHolder): Promise<RoutingInput | null> {
    const reportKey = await keys.openScope(m, caseId, 'report');
    if (!reportKey) return null;
    return this.routingInputWith(m, caseId, reportKey);
  }

  /** The routing decision for the case as it stands now (see routingInput). */
  async currentRouting(m: EntityManager, caseId: string, keys: KeyHolder): Promise<RoutingDecision | null> {
    const input = await this.routingInput(m, caseId, keys);
    return input ? routeCase(input) : null;
  }

  /**
   * Why `userId` may not handle the case, or null if they may: they must be a staff user of the
   * council in a handler role (400 otherwise), and neither excluded from the case nor ruled out by its
   * conflict routes (409: docs/regulatory.md §3, no member of the conflict set may be assigned).
   */
  async whyNotHandler(
    m: EntityManager,
    input: RoutingInput,
    userId: string,
  ): Promise<{ code: 'INVALID_INPUT' | 'CONFLICT'; message: string } | null> {
    return this.whyIneligible(m, input, userId, 'handler');
  }

  /**
   * THE eligibility re-check for every decision that grants access (assignment, an identity approval,
   * custody of the identity), run inside the transaction at the moment the decision takes effect
   * (docs/case-core.md "Eligibility at the moment access is given"), so that nothing filed earlier — an
   * identity request made before its author recused or was named — can give access to someone who may
   * no longer have it. The person must still have an account, be active, hold a confirmed role that
   * gives access to concerns (`roles` holds confirmed roles only; a handler role when `as` is
   * 'handler'), and be neither named, recused nor conflicted (libs/domain exclusions.ts `ruledOut`).
   */
  async whyIneligible(
    m: EntityManager,
    input: RoutingInput,
    userId: string,
    as: 'handler' | 'staff',
  ): Promise<{ code: 'INVALID_INPUT' | 'CONFLICT'; message: string } | null> {
    const user = await this.users.findById(m, userId);
    const handler = as === 'handler';
    if (!user)
      return {
        code: 'INVALID_INPUT',
        message: handler
          ? 'assigneeId must be a staff user of this council'
          : 'This person no longer has an account.',
      };
    if (user.deactivatedAt !== null)
      return {
        code: 'INVALID_INPUT',
        message: handler
          ? 'assigneeId is a deactivated account; choose someone active'
          : 'This person’s account is deactivated.',
      };
    const roles = user.roles as StaffRole[];
    const fallback = input.fallbackOverseerRole ? [input.fallbackOverseerRole] : [];
    const wanted: readonly StaffRole[] = handler
      ? HANDLER_ROLES
      : [...HANDLER_ROLES, ...OVERSIGHT_ROLES, ...fallback];
    if (roles.includes('administrator') || !roles.some((r) => wanted.includes(r)))
      return {
        code: 'INVALID_INPUT',
        message: handler
          ? 'assigneeId must be a handler (an investigator, officer or lead); administrators never handle cases'
          : 'This person no longer holds a confirmed role that gives access to concerns.',
      };
    if (ruledOut(input, userId, roles))
      return {
        code: 'CONFLICT',
        message:
          'This person is involved in the concern, has recused themselves or is conflicted by it, and may not handle it.',
      };
    return null;
  }

  async change(m: EntityManager, change: AccessChange): Promise<AccessOutcome> {
    const { caseId, tenantId } = change;
    const found = await m.getRepository(CaseEntity).findOneOrFail({ where: { id: caseId } });

    // 1. Open every scope key first: the holder may be about to lose their own grants.
    const open = new Map<Scope, UnlockedKey>();
    for (const scope of CUSTODIAN_SCOPES) {
      const key = await change.keys.openScope(m, caseId, scope);
      if (key) open.set(scope, key);
    }

    // 2. Exclusions, before routing reads them.
    for (const { userId, kind } of change.exclude ?? []) {
      await insertHeldRows(m, CaseExclusionEntity, { tenantId, caseId, userId, kind }, { orIgnore: true });
    }

    // 3. Who should gain access.
    const holders = await this.users.roleHolders(m);
    const keyOf = new Map(holders.map((h) => [h.userId, h.publicKey]));
    const wanted = new Map<string, readonly Scope[]>();
    const rolesOf = new Map(holders.map((h) => [h.userId, h.roles as StaffRole[]]));
    let decision: RoutingDecision | null = null;
    let input: RoutingInput | null = null;
    if (change.reroute || (change.grant ?? []).length > 0) {
      const reportKey = open.get('report');
      if (!reportKey)
        throw new AppError(
          'CONFLICT',
          change.reroute
            ? 'Only someone who can read the report can re-route the case.'
            : 'Only someone who can read the report can give the case to someone.',
        );
      input = await this.routingInputWith(m, caseId, reportKey);
    }
    if (change.reroute && input) {
      decision = routeCase(input);
      if (decision.kind === 'routed') {
        for (const owner of decision.owners) wanted.set(owner.userId, HANDLER_SCOPES);
        wanted.set(decision.overseer.userId, CUSTODIAN_SCOPES);
      }
    }
    // An explicit grant never reaches anyone the case excludes or its conflict routes rule out, whoever
    // asked for it and whatever they checked first: this is the one place that decides (issue #15).
    for (const userId of change.grant ?? [])
      if (!wanted.has(userId) && input && !ruledOut(input, userId, rolesOf.get(userId) ?? []))
        wanted.set(userId, HANDLER_SCOPES);

    // 4. Who should lose it: the excluded, whoever routing now rules out, explicit revocations.
    const excluded = new Set((change.exclude ?? []).map((e) => e.userId));
    const staffGrants = await m
      .getRepository(CaseGrantEntity)
      .find({ where: { caseId, granteeKind: 'staff' } });
    const losing = new Set<string>(excluded);
    if (change.reroute && input) {
      for (const g of staffGrants) {
        const id = g.granteeId as string;
        if (ruledOut(input, id, rolesOf.get(id) ?? [])) losing.add(id);
      }
    }
    for (const userId of change.revoke ?? []) if (!wanted.has(userId)) losing.add(userId);
    for (const userId of losing) wanted.delete(userId);

    // Grants first, revocations after (nothing below needs the revoked grants).
    const newGrantees: string[] = [];
    const withheld = new Set<Scope>();
    const toGrant: GrantToMake[] = [];
    for (const [userId, scopes] of wanted) {
      const publicKey = keyOf.get(userId);
      if (!publicKey) continue;
      for (const scope of scopes) {
        if (staffGrants.some((g) => g.granteeId === userId && g.scope === scope)) continue;
        if (!open.has(scope)) {
          withheld.add(scope);
          continue;
        }
        toGrant.push({ userId, scope, publicKey });
      }
    }
    const made = await grantsByScope(open, toGrant);
    for (const grant of toGrant) {
      const { userId, scope } = grant;
      await insertHeldRows(m, CaseGrantEntity, {
        tenantId,
        caseId,
        scope,
        granteeKind: 'staff',
        granteeId: userId,
        encryptedScopeKey: Buffer.from(made.get(grant) as Uint8Array),
      });
      await this.recorder.trail(m, caseId, originOf(change.actor), 'grant.created', {
        scope,
        granteeId: userId,
        via: change.reason,
        keysFrom: change.keys.via,
        ...namingOf(change),
      });
      if (!newGrantees.includes(userId)) newGrantees.push(userId);
    }
    const revoked: string[] = [];
    for (const grant of staffGrants.filter((g) => losing.has(g.granteeId as string))) {
      await m.getRepository(CaseGrantEntity).delete({ id: grant.id });
      await this.recorder.trail(m, caseId, originOf(change.actor), 'grant.revoked', {
        scope: grant.scope,
        granteeId: grant.granteeId,
        via: change.reason,
        ...namingOf(change),
      });
      if (!revoked.includes(grant.granteeId as string)) revoked.push(grant.granteeId as string);
    }

    // The case's metadata follows: an assignee who lost access is no longer the assignee.
    let assigneeId = change.assigneeId === undefined ? found.assigneeId : change.assigneeId;
    if (assigneeId && losing.has(assigneeId)) assigneeId = null;
    const remaining = await m
      .getRepository(CaseGrantEntity)
      .count({ where: { caseId, granteeKind: 'staff' } });
    const updates: Partial<CaseEntity> = { routing: remaining === 0 ? 'no_eligible_recipient' : 'routed' };
    if (assigneeId === null && found.assigneeId !== null)
      Object.assign(updates, { assigneeId: null, assignedOn: null, ownershipConfirmedOn: null });
    await m.getRepository(CaseEntity).update({ id: caseId }, updates);

    await this.recorder.signal(m, { tenantId, caseId }, 'case.routed', {
      reason: change.reason,
      assigneeId,
      newGrantees: newGrantees.join(','),
      ...namingOf(change),
    });
    return {
      newGrantees,
      revoked,
      decision,
      withheld: [...withheld],
      unrouted: remaining === 0,
      assigneeId,
    };
  }

  private async routingInputWith(
    m: EntityManager,
    caseId: string,
    reportKey: UnlockedKey,
  ): Promise<RoutingInput> {
    const found = await m.getRepository(CaseEntity).findOneOrFail({ where: { id: caseId } });
    const holders = await this.users.roleHolders(m);
    // People are excluded as people, frozen when named (issue #15): the roles the report ticked were
    // turned into their holders' ids at intake. A case from before that has them recorded now, once,
    // with the holders of this moment (the migration could not read the encrypted report).
    if (!found.peopleFrozen) {
      const content = await readReportScope(
        (await this.cases.allItems(m, caseId, 'report')).filter((i) => i.kind === 'report'),
        reportKey,
      );
      const involves = ((content.report as { involves?: StaffRole[] } | null)?.involves ?? []) as StaffRole[];
      await recordNamedInReport(m, found.tenantId, caseId, holdersOfRoles(holders, involves));
      await m.getRepository(CaseEntity).update({ id: caseId }, { peopleFrozen: true });
    }
    const exclusions = caseExclusionsOf(
      await m.getRepository(CaseExclusionEntity).find({ where: { caseId } }),
    );
    return {
      category: found.category as CategoryId,
      // Roles are never excluded as such any more: their holders when named are, by id.
      involvedRoles: [],
      ...exclusions,
      roleHolders: holders.map(({ userId, roles }) => ({ userId, roles })),
      // The council's own conflict routes and deputy setting; deactivated accounts never get a case.
      ...(await tenantRoutingInput(m, holders)),
    };
  }
}

/** The `requestId` detail of a grant entry that serves a naming request (none otherwise). */
function namingOf(change: AccessChange): { requestId?: string } {
  return change.namingRequestId ? { requestId: change.namingRequestId } : {};
}
