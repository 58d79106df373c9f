/**
 * A person named later as involved in the concern (issue #7 "Assignment": "if the reporter or a handler
 * later names a person as involved, that person loses access immediately and the case vanishes for
 * them"; docs/regulatory.md §3: anyone named as involved joins the case's conflict set). A handler names a
 * staff user or a role; the reporter names roles from the same "people this may involve" list the form
 * offers. Either way, in one transaction:
 *
 *  - each person named is recorded in case_exclusions as 'named_as_involved', so every later routing,
 *    assignment and re-routing leaves them out;
 *  - their grants go at once (CaseAccessService), so the case is 404 for them by reference and absent
 *    from their lists, counts and searches, which only ever show cases the caller holds a grant for;
 *  - the case is re-routed with them as a subject of the concern, so a conflict route takes over where
 *    one applies (naming the monitoring officer hands the case to the head of paid service, or the
 *    section 151 officer as alternate) and whoever it now names is granted the case from the keys the
 *    namer holds; if no one is left, the case is held by the escrow key alone and says so;
 *  - who named whom, and why, is encrypted to the internal scope; the audit trail records the fact.
 *
 * The named person is never told: they are not a new grantee, so the `case.routed` notification does
 * not reach them, and nothing else is sent. A reporter holds only the report scope's key, so when a
 * reporter's naming re-routes a case the newcomers receive the report scope now and the internal scope
 * only when someone who holds it grants it (the outcome's `withheld` says which scopes waited).
 */
import { Injectable } from '@nestjs/common';
import type { UnlockedKey } from '@nolan/crypto';
import { ROLE_HOLDER_ROLES, STAFF_ROLE_LABELS, type StaffRole } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor, mustReadReport } from '../access/case-door';
import { AppError } from '../../errors/app-error';
import { StaffUsersRepository } from '../../staff/staff-users.repository';
import {
  type AccessOutcome,
  CaseAccessService,
  type KeyHolder,
  openKeysHolder,
} from '../access/case-access.service';
import type { CaseEventOrigin } from '../record/case-events';
import { actorOf, CaseRecorder } from '../record/case-recorder';

/** What a handler's naming did, for the handler who named (never for the person named). */
export interface NamingResult {
  /** How many people were named (every holder of a named role). */
  named: number;
  /** How many people received the case through the re-routing. */
  passedTo: number;
  /** True when no staff member holds the case any more: only the escrow key does. */
  unrouted: boolean;
  /** Scopes a newcomer should have had but the namer could not pass on (e.g. identity). */
  withheld: string[];
}

@Injectable()
export class InvolvementService {
  constructor(
    private readonly recorder: CaseRecorder,
    private readonly users: StaffUsersRepository,
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
  ) {}

  /** A handler names a staff user (userId) or every holder of a statutory role (role) as involved. */
  async nameByHandler(
    staff: AuthenticatedStaff,
    reference: string,
    body: { userId?: string; role?: string; reason: string },
  ): Promise<NamingResult> {
    if ((body.userId === undefined) === (body.role === undefined)) {
      throw new AppError('INVALID_INPUT', [
        'Name one person (userId) or one role (role), not both and not neither.',
      ]);
    }
    const reason = body.reason.trim();
    if (!reason) throw new AppError('INVALID_INPUT', ['reason is required']);
    return this.door.open(staff, reference, {}, async (opened) => {
      const { m, found, actor: session } = opened;
      await mustReadReport(
        opened,
        'Only a handler who can read the report can name someone as involved and pass the case on.',
      );
      let people: string[];
      if (body.userId !== undefined) {
        const user = await this.users.findById(m, body.userId);
        if (!user) throw new AppError('INVALID_INPUT', ['userId is not a staff user in this council.']);
        people = [user.id];
      } else {
        people = await this.holdersOf(m, [body.role as StaffRole]);
        if (people.length === 0) {
          throw new AppError('INVALID_INPUT', [
            `No one holds the role ${STAFF_ROLE_LABELS[body.role as StaffRole].toLowerCase()} in this council.`,
          ]);
        }
      }
      const outcome = await this.exclude(m, {
        tenantId: session.tenantId,
        caseId: found.id,
        by: { origin: 'staff', staffId: session.userId },
        keys: opened.keys,
        people,
        record: { by: 'staff', userId: body.userId ?? null, role: body.role ?? null, reason },
      });
      return {
        named: people.length,
        passedTo: outcome.newGrantees.length,
        unrouted: outcome.unrouted,
        withheld: outcome.withheld,
      };
    });
  }

  /**
   * The reporter names roles from the form's "people this may involve" list, inside the reporter
   * service's transaction and with the report-scope key their receipt opened. Returns nothing the
   * reporter could learn the case's routing from.
   */
  async nameByReporter(
    m: EntityManager,
    target: { tenantId: string; caseId: string },
    roles: readonly StaffRole[],
    reason: string | null,
    reportKey: UnlockedKey,
  ): Promise<void> {
    const people = await this.holdersOf(m, roles);
    await this.exclude(m, {
      ...target,
      by: { origin: 'reporter' },
      keys: openKeysHolder('reporter', { report: reportKey }),
      people,
      record: { by: 'reporter', roles: [...roles], reason },
    });
  }

  /** The roles a reporter may name: those on the form, i.e. statutory roles someone holds. */
  async nameableRoles(m: EntityManager): Promise<StaffRole[]> {
    const holders = await this.users.roleHolders(m);
    return ROLE_HOLDER_ROLES.filter((role) => holders.some((h) => h.roles.includes(role)));
  }

  private async holdersOf(m: EntityManager, roles: readonly StaffRole[]): Promise<string[]> {
    const holders = await this.users.roleHolders(m);
    return holders.filter((h) => h.roles.some((r) => roles.includes(r as StaffRole))).map((h) => h.userId);
  }

  private async exclude(
    m: EntityManager,
    input: {
      tenantId: string;
      caseId: string;
      by: CaseEventOrigin;
      keys: KeyHolder;
      people: readonly string[];
      record: Record<string, unknown>;
    },
  ): Promise<AccessOutcome> {
    const outcome = await this.access.change(m, {
      tenantId: input.tenantId,
      caseId: input.caseId,
      actor: actorOf(input.by),
      keys: input.keys,
      reason: 'named_as_involved',
      exclude: input.people.map((userId) => ({ userId, kind: 'named_as_involved' as const })),
      reroute: true,
    });
    await this.recorder.record(
      m,
      { tenantId: input.tenantId, caseId: input.caseId },
      {
        kind: 'named_as_involved',
        by: input.by,
        body: { ...input.record, people: input.people },
        details: { by: input.by.origin === 'reporter' ? 'reporter' : 'staff', people: input.people.length },
      },
    );
    return outcome;
  }
}
