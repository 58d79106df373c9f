/**
 * The case door: the one way into a case for a member of staff (docs/architecture.md "Access rules";
 * docs/case-core.md "The door"). Every per-case route opens the case here and nowhere else, so the
 * rules below hold for all of them at once and a new route cannot forget one:
 *
 *  1. role: administrators never see a case, whatever grants a mistake might have given them; a door
 *     may also ask for a handler role or an oversight role;
 *  2. the actor's private key is unlocked from their session (only when the route needs it);
 *  3. the tenant transaction is opened (row-level security is set for the actor's council);
 *  4. the case is found only through the actor's own grant, and the scopes the route needs must be
 *     among the actor's grants;
 *  5. exclusions apply: someone recorded as named in the concern (by id, frozen when named: in the
 *     report at intake or confirmed later) or recused never gets in, even if a grant were left behind
 *     and whatever roles they hold now (libs/domain exclusions.ts says who is excluded).
 *
 * Whoever fails any of these gets the same 404 body as for a reference that does not exist, so not
 * even a case's existence leaks. Later re-checks of a person's eligibility belong in `admit` below.
 */
import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { openGrantAsKey, type Scope, type UnlockedKey } from '@nolan/crypto';
import {
  type CaseExclusions,
  HANDLER_ROLES,
  isExcludedPerson,
  OVERSIGHT_ROLES,
  type StaffRole,
} from '@nolan/domain';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditActor } from '../../audit/audit-event';
import { SessionStore } from '../../auth/session-store';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { inTenant } from '../../database/tenant-transaction';
import { AppError } from '../../errors/app-error';
import { CaseEntity, CaseExclusionEntity, CaseGrantEntity } from '../store/case.entity';
import { type KeyHolder, staffKeyHolder } from './key-holders';
import { offerSigningKey } from '../record/item-seal';
import { ReporterTime } from '../../reporter-time/reporter-time';
import { placeHeldCase, placedSql, visibleParams, visibleToStaffSql } from '../../reporter-time/visibility';
import { holdCase, holdCases, noteHeld } from '../../reporter-time/case-hold';

/** The one answer for "no such case" and "not yours". */
export const NO_SUCH_CASE = 'There is no case with this reference.';

/** Who may come through this door at all (administrators never may). */
export type DoorRoles = 'staff' | 'handler' | 'oversight';

export interface DoorOptions {
  /** 'handler': a handler role; 'oversight': an oversight role; 'staff' (default): any staff role. */
  roles?: DoorRoles;
  /** Scopes the actor must hold a grant for, or the case does not exist for them (404). */
  require?: readonly Scope[];
  /** Unlock the actor's private key, to open scope keys or grant onward (default true). */
  unlock?: boolean;
  /**
   * The work only reads the case (an audit entry of the read aside, which the recorder holds the case
   * for itself): the door does not hold it (docs/architecture.md "Placement"), so reads, however many
   * overlap, never keep the placement pass from it. Default false: the door holds the case.
   */
  reads?: boolean;
}

/** The staff member who came in: their ids and roles, as the audit trail and the rules need them. */
export interface DoorActor {
  readonly userId: string;
  readonly tenantId: string;
  readonly roles: readonly StaffRole[];
}

/** An opened case: the caller's transaction, the case, and what the actor holds of it. */
export interface OpenCase {
  readonly m: EntityManager;
  readonly found: CaseEntity;
  readonly actor: DoorActor;
  /** The actor as the audit trail and the recorder name them. */
  readonly auditActor: AuditActor;
  /**
   * Whether the actor holds a grant for `scope`, as the door found their grants (read with the case, in
   * its one query). Work that changes the actor's own grants and must then know asks `keys`, which reads
   * afresh.
   */
  holds(scope: Scope): Promise<boolean>;
  /** The scope key, opened with the actor's key; null if they hold no grant for it (as `holds`). */
  key(scope: Scope): Promise<UnlockedKey | null>;
  /** The actor's own grants as a KeyHolder, to pass scope keys on (access changes). */
  readonly keys: KeyHolder;
  /** Another case the actor holds, by reference, under the same rules; null otherwise. */
  other(reference: string): Promise<CaseEntity | null>;
  /** Another case the actor holds, by id, under the same rules; null otherwise. */
  otherById(caseId: string): Promise<CaseEntity | null>;
  /**
   * `other`, for work that writes to both cases (a link, closing as a duplicate): this case and the
   * other are held, in id order, before the work's first write (docs/architecture.md "Placement").
   */
  otherToWrite(reference: string): Promise<CaseEntity | null>;
  /** `otherById`, for work that writes to both cases (an unlink), held as `otherToWrite`. */
  otherByIdToWrite(caseId: string): Promise<CaseEntity | null>;
}

@Injectable()
export class CaseDoor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionStore,
    /** ReporterTime is global (ReporterTimeModule); a unit test's module may leave it out. */
    @Optional() private readonly reporterTime?: ReporterTime,
  ) {}

  /** Now on the injected clock, against which a reporter's case becomes visible. */
  private now(): Date {
    return this.reporterTime?.now() ?? new Date();
  }

  /**
   * Opens `reference` for `staff` and runs `work` inside the tenant transaction, or answers 404. The
   * transaction commits or rolls back with `work`.
   */
  async open<T>(
    staff: AuthenticatedStaff,
    reference: string,
    options: DoorOptions,
    work: (opened: OpenCase) => Promise<T>,
  ): Promise<T> {
    const { session } = staff;
    if (!mayEnter(session.roles, options.roles ?? 'staff')) throw notFound();
    const privateKey = options.unlock === false ? null : await this.sessions.unlockedKey(staff);
    const actor: DoorActor = { userId: session.userId, tenantId: session.tenantId, roles: session.roles };
    return inTenant(this.dataSource, session.tenantId, async (m) => {
      // One query finds the case through the actor's grant, with their exclusions and grants on it
      // (docs/performance.md "Opening a case"), and for work that writes tries to hold it, never waiting
      // and only for someone with no exclusion on it. Held at once, the work goes on; held by a placement
      // pass at that moment, the door waits for the pass and reads the case again, so a revocation or
      // exclusion committed meanwhile is seen. An excluded person never holds a case nor waits on a pass:
      // their 404 takes as long as anyone's (docs/architecture.md "Placement").
      const byReference = { reference };
      const also = { grants: true, tryHold: !options.reads };
      let admitted = await admitWith(m, this.now(), actor.userId, byReference, also);
      if (admitted && !options.reads) {
        if (admitted.held) noteHeld(m, admitted.found.id);
        else {
          await holdCase(m, admitted.found.id);
          admitted = await admitWith(m, this.now(), actor.userId, byReference, { grants: true });
        }
      }
      if (!admitted) throw notFound();
      // Work that writes to a case still in its held table (released, not yet placed by the pass) places
      // it first, holding it: what it writes may refer to it (docs/architecture.md "Held tables").
      if (!options.reads && !admitted.placed) await placeHeldCase(m, admitted.found.id);
      const found = admitted.found;
      // What the actor records here is signed with their own key (item-seal.ts), opened only if needed.
      offerSigningKey(m, { kind: 'staff', id: actor.userId }, () =>
        privateKey ? Promise.resolve(privateKey) : this.sessions.unlockedKey(staff),
      );
      const opened = openCase(m, found, actor, privateKey, this.now(), admitted.grants);
      for (const scope of options.require ?? []) if (!(await opened.holds(scope))) throw notFound();
      return work(opened);
    });
  }

  /**
   * Whether `userId` may see the case `caseId`, inside a transaction the caller already holds: for
   * views that mention another case (a link on the timeline or in an export).
   */
  holdsCase(m: EntityManager, userId: string, caseId: string): Promise<CaseEntity | null> {
    return admit(m, this.now(), userId, { id: caseId });
  }
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', NO_SUCH_CASE);
}

function mayEnter(roles: readonly StaffRole[], wanted: DoorRoles): boolean {
  if (roles.includes('administrator')) return false;
  if (wanted === 'handler') return roles.some((role) => HANDLER_ROLES.includes(role));
  if (wanted === 'oversight') return roles.some((role) => OVERSIGHT_ROLES.includes(role));
  return roles.length > 0;
}

/**
 * THE grant lookup: the case, if `userId` holds a grant for it and is not excluded from it. Every way
 * into a case comes through here.
 */
async function admit(
  m: EntityManager,
  now: Date,
  userId: string,
  by: { reference: string } | { id: string },
): Promise<CaseEntity | null> {
  return (await admitWith(m, now, userId, by, { grants: false }))?.found ?? null;
}

/** The actor's own grants on an admitted case, by scope, as the door read them. */
type DoorGrants = ReadonlyMap<string, Pick<CaseGrantEntity, 'encryptedScopeKey'>>;

/**
 * `admit` in one round trip (docs/performance.md "Opening a case"): the case, found through the user's
 * grant, with their exclusion rows on it (the rule that reads them is libs/domain `isExcludedPerson`,
 * applied here as before) and, when asked, their grants on it (`grants`, read in the same snapshot).
 */
async function admitWith(
  m: EntityManager,
  now: Date,
  userId: string,
  by: { reference: string } | { id: string },
  also: { grants: boolean; tryHold?: boolean },
): Promise<{ found: CaseEntity; grants: DoorGrants; held: boolean; placed: boolean } | null> {
  const query = m
    .getRepository(CaseEntity)
    .createQueryBuilder('c')
    // Whether it is placed (reporter-time/visibility.ts), read in the same query.
    .addSelect(placedSql('c'), 'door_placed')
    .addSelect(
      `(SELECT COALESCE(array_agg(x.kind ORDER BY x.kind), '{}') FROM case_exclusions x
         WHERE x.case_id = c.id AND x.user_id = :userId)`,
      'door_exclusions',
    )
    .where(
      `EXISTS (SELECT 1 FROM case_grants g WHERE g.case_id = c.id AND g.grantee_kind = 'staff' AND g.grantee_id = :userId)`,
      { userId },
    );
  if (also.grants)
    query.addSelect(
      `(SELECT COALESCE(json_agg(json_build_object('scope', g.scope, 'key', encode(g.encrypted_scope_key, 'base64'))), '[]')
          FROM case_grants g WHERE g.case_id = c.id AND g.grantee_kind = 'staff' AND g.grantee_id = :userId)`,
      'door_grants',
    );
  // Tried only for a caller with no exclusion row on the case (never waiting): whether they are excluded
  // is still judged below, by the one rule; this only keeps an excluded caller from holding the case.
  if (also.tryHold)
    query.addSelect(
      `CASE WHEN NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = c.id AND x.user_id = :userId)
            THEN nolan_try_hold_case(c.id) ELSE false END`,
      'door_held',
    );
  // A reporter's case only from its batch's release (reporter-time/visibility.ts), as the case list.
  query.andWhere(visibleToStaffSql('c'), visibleParams(now));
  if ('reference' in by) query.andWhere('c.reference = :reference', { reference: by.reference });
  else query.andWhere('c.id = :id', { id: by.id });
  const { entities, raw } = await query.getRawAndEntities();
  const found = entities[0];
  const row = raw[0] as
    | {
        door_exclusions: CaseExclusionEntity['kind'][];
        door_grants?: { scope: string; key: string }[];
        door_held?: boolean;
        door_placed: boolean;
      }
    | undefined;
  if (!found || !row) return null;
  const exclusions = row.door_exclusions.map((kind) => ({ userId, kind }));
  if (isExcludedPerson(caseExclusionsOf(exclusions), userId)) return null;
  const grants = new Map<string, Pick<CaseGrantEntity, 'encryptedScopeKey'>>();
  for (const g of row.door_grants ?? [])
    grants.set(g.scope, { encryptedScopeKey: Buffer.from(g.key, 'base64') });
  return { found, grants, held: row.door_held === true, placed: row.door_placed === true };
}

/**
 * A case's exclusion rows as the rules read them: everyone named (in the report at intake, or later, by
 * id, frozen when named) and everyone who recused. The one mapping, for the door and for routing.
 */
export function caseExclusionsOf(
  rows: readonly Pick<CaseExclusionEntity, 'userId' | 'kind'>[],
): CaseExclusions {
  return {
    involvedUserIds: rows.filter((e) => e.kind !== 'recused').map((e) => e.userId),
    recusedUserIds: rows.filter((e) => e.kind === 'recused').map((e) => e.userId),
  };
}

function openCase(
  m: EntityManager,
  found: CaseEntity,
  actor: DoorActor,
  privateKey: UnlockedKey | null,
  now: Date,
  /** The actor's grants on the case as the door found them (`admitWith`). */
  held: DoorGrants,
): OpenCase {
  const keys = new Map<Scope, Promise<UnlockedKey | null>>();
  const grant = async (scope: Scope) => held.get(scope) ?? null;
  const needKey = (): UnlockedKey => {
    if (!privateKey) throw new Error('this door was opened without unlocking the actor’s key');
    return privateKey;
  };
  return {
    m,
    found,
    actor,
    auditActor: { type: 'staff', id: actor.userId },
    holds: async (scope) => (await grant(scope)) !== null,
    key: (scope) => {
      if (!keys.has(scope))
        keys.set(
          scope,
          grant(scope).then((g) =>
            g ? openGrantAsKey(new Uint8Array(g.encryptedScopeKey), needKey()) : null,
          ),
        );
      return keys.get(scope) as Promise<UnlockedKey | null>;
    },
    get keys() {
      return staffKeyHolder(actor.userId, needKey());
    },
    other: (reference) => admit(m, now, actor.userId, { reference }),
    otherById: (caseId) => admit(m, now, actor.userId, { id: caseId }),
    otherToWrite: async (reference) =>
      holdingBoth(m, found, await admitWith(m, now, actor.userId, { reference }, { grants: false })),
    otherByIdToWrite: async (caseId) =>
      holdingBoth(m, found, await admitWith(m, now, actor.userId, { id: caseId }, { grants: false })),
  };
}

/**
 * `other`, once both it and `here` are held, in id order (`holdCases`), and placed if it is still in its
 * held table (`placeHeldCase`: a link refers to it); null stays null.
 */
async function holdingBoth(
  m: EntityManager,
  here: CaseEntity,
  other: { found: CaseEntity; placed: boolean } | null,
): Promise<CaseEntity | null> {
  if (!other) return null;
  await holdCases(m, [here.id, other.found.id]);
  if (!other.placed) await placeHeldCase(m, other.found.id);
  return other.found;
}

/**
 * 409 with `why` unless the actor holds the case's report scope: passing a case on (recusal, naming
 * someone as involved) re-routes it, and routing reads the roles the report names.
 */
export async function mustReadReport(opened: OpenCase, why: string): Promise<void> {
  if (!(await opened.holds('report'))) throw new AppError('CONFLICT', why);
}
