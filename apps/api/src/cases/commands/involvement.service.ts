/**
 * A person named later as involved in the concern (issue #7 "Assignment": "if the reporter or a handler
 * later names a person as involved, that person loses access immediately and the case vanishes for
 * them"; docs/regulatory.md §3: anyone named as involved joins the case's conflict set). A handler names a
 * staff user or a role; the reporter names roles from the same "people this may involve" list the form
 * offers. The people are frozen when named: a role names the people holding it at that moment, for good
 * (issue #15). A handler's naming takes effect at once only when it names the handler alone or the case's
 * overseer makes it; otherwise it is a request (case_naming_requests) that changes nothing until the
 * person who confirms it does (libs/domain namings.ts: the overseer, or, when it names the overseer or
 * would rule them out, whoever would oversee the case with it in effect, who is given the case to decide).
 * A reporter's naming takes effect at once. When a naming takes effect, in one transaction:
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
import type { NamingRequestView } from '@nolan/contract';
import { Injectable } from '@nestjs/common';
import type { UnlockedKey } from '@nolan/crypto';
import { decryptWithScope } from '@nolan/crypto';
import {
  namingDecider,
  namingEffect,
  ROLE_HOLDER_ROLES,
  STAFF_ROLE_LABELS,
  type StaffRole,
  toLondonDate,
} from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { CaseDoor, mustReadReport, type OpenCase } from '../access/case-door';
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
import { unpackJson } from '../record/item-codec';
import { CaseGrantEntity } from '../store/case.entity';
import { CasesRepository } from '../store/cases.repository';
import { NamingRequestEntity } from '../store/oversight-request.entity';

/** A naming that waits for the person who confirms it (libs/domain namings.ts). */
export interface NamingRequested {
  requestId: string;
  status: 'pending';
  /** How many people it names (every holder of a named role, now). */
  named: number;
}

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
    private readonly cases: CasesRepository,
  ) {}

  /**
   * A handler names a staff user (userId) or every holder of a statutory role (role) as involved: the
   * people are frozen now (a role's holders at this moment). It takes effect at once only when it names
   * the handler alone or the case's overseer makes it (libs/domain namings.ts); otherwise it is a
   * request that waits for the person who confirms it, and changes nothing until then (issue #15).
   */
  async nameByHandler(
    staff: AuthenticatedStaff,
    reference: string,
    body: { userId?: string; role?: string; reason: string },
  ): Promise<NamingResult | NamingRequested> {
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
      const target = { tenantId: session.tenantId, caseId: found.id };
      const by: CaseEventOrigin = { origin: 'staff', staffId: session.userId };
      const input = await this.access.routingInput(m, found.id, opened.keys);
      if (!input) throw new AppError('CONFLICT', 'Only a handler who can read the report can name someone.');
      const effect = namingEffect(input, session.userId, people, await this.pendingPeople(m, found.id));
      if (effect.kind === 'undecidable') throw new AppError('CONFLICT', effect.reason);
      if (effect.kind === 'immediate') {
        const outcome = await this.exclude(m, {
          ...target,
          by,
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
      }
      // A request: who confirms it is frozen with it for the record, and decided again when they do.
      const request = await m.getRepository(NamingRequestEntity).save({
        tenantId: session.tenantId,
        caseId: found.id,
        requesterId: session.userId,
        people,
        role: body.role ?? null,
        deciderId: effect.deciderId,
        status: 'pending' as const,
      });
      await this.recorder.record(m, target, {
        kind: 'naming_requested',
        by,
        body: { requestId: request.id, userId: body.userId ?? null, role: body.role ?? null, reason, people },
        details: { requestId: request.id, people: people.length },
      });
      await this.ensureDeciders(opened, by);
      return { requestId: request.id, status: 'pending', named: people.length };
    });
  }

  /**
   * The naming requests on a case that the caller made or may decide, with their reasons and the people
   * they name. Someone named in a pending request is never shown it (they do not decide it).
   */
  async requests(staff: AuthenticatedStaff, reference: string): Promise<NamingRequestView[]> {
    return this.door.open(staff, reference, { require: ['report'] }, async (opened) => {
      const { m, found, actor } = opened;
      const rows = await m
        .getRepository(NamingRequestEntity)
        .find({ where: { caseId: found.id }, order: { requestedOn: 'ASC' } });
      const input = await this.access.routingInput(m, found.id, opened.keys);
      const pendingPeople = peopleIn(rows.filter((r) => r.status === 'pending'));
      const reasons = await this.reasons(opened);
      const holders = await this.users.roleHolders(m);
      const nameOf = (id: string) => holders.find((h) => h.userId === id)?.displayName ?? 'A former user';
      const views: NamingRequestView[] = [];
      for (const r of rows) {
        const canDecide =
          r.status === 'pending' &&
          input !== null &&
          namingDecider(input, r.requesterId, r.people, pendingPeople) === actor.userId;
        if (r.people.includes(actor.userId) && r.status === 'pending') continue;
        if (!canDecide && r.requesterId !== actor.userId && r.decidedBy !== actor.userId) continue;
        views.push({
          id: r.id,
          status: r.status,
          requestedOn: r.requestedOn,
          requestedBy: { id: r.requesterId, name: nameOf(r.requesterId) },
          people: r.people.map((id) => ({ id, name: nameOf(id) })),
          role: r.role,
          reason: reasons.get(r.id) ?? null,
          canDecide,
          decidedOn: r.decidedOn,
        });
      }
      return views;
    });
  }

  /**
   * The person who confirms a naming confirms or rejects it. Who that is is decided again now (the case
   * as it stands: its overseer, or whoever would oversee it with the naming in effect), so someone who has
   * since been named, recused or replaced cannot. Confirming excludes the people it named (frozen when it
   * was made) at once and re-routes the case; rejecting changes nothing but takes the case back from a
   * decider who was given it only to decide.
   */
  async decide(
    staff: AuthenticatedStaff,
    reference: string,
    requestId: string,
    body: { confirm: boolean; reason?: string },
  ): Promise<(NamingResult & { id: string; status: 'confirmed' }) | { id: string; status: 'rejected' }> {
    return this.door.open(staff, reference, { require: ['report'] }, async (opened) => {
      const { m, found, actor: session } = opened;
      const request = await m
        .getRepository(NamingRequestEntity)
        .findOne({ where: { id: requestId, caseId: found.id } });
      if (!request || request.people.includes(session.userId))
        throw new AppError('NOT_FOUND', 'There is no naming request with this id on this case.');
      if (request.status !== 'pending')
        throw new AppError('CONFLICT', `This naming request was already ${request.status}.`);
      const input = await this.access.routingInput(m, found.id, opened.keys);
      if (
        !input ||
        namingDecider(input, request.requesterId, request.people, await this.pendingPeople(m, found.id)) !==
          session.userId
      )
        throw new AppError(
          'FORBIDDEN',
          'Only the overseer of this case (or, when the naming names the overseer, whoever would oversee it instead) can confirm or reject this naming.',
        );
      const target = { tenantId: session.tenantId, caseId: found.id };
      const by: CaseEventOrigin = { origin: 'staff', staffId: session.userId };
      await m.getRepository(NamingRequestEntity).update(
        { id: request.id },
        {
          status: body.confirm ? 'confirmed' : 'rejected',
          decidedBy: session.userId,
          decidedOn: toLondonDate(new Date()),
        },
      );
      await this.recorder.record(m, target, {
        kind: 'naming_decided',
        by,
        body: { requestId: request.id, confirmed: body.confirm, reason: body.reason?.trim() || null },
        details: { requestId: request.id, confirmed: body.confirm },
      });
      if (!body.confirm) {
        if (request.deciderGivenCase)
          await this.access.change(m, {
            ...target,
            actor: actorOf(by),
            keys: opened.keys,
            reason: 'rerouted',
            reroute: true,
            revoke: [session.userId],
            namingRequestId: request.id,
          });
        return { id: request.id, status: 'rejected' as const };
      }
      const reasons = await this.reasons(opened);
      const outcome = await this.exclude(m, {
        ...target,
        by,
        keys: opened.keys,
        people: request.people,
        record: {
          by: 'staff',
          userId: request.role === null ? (request.people[0] ?? null) : null,
          role: request.role,
          reason: reasons.get(request.id) ?? null,
          requestId: request.id,
          requestedBy: request.requesterId,
        },
      });
      // Whoever now confirms each naming still waiting must be able to open the case.
      await this.ensureDeciders(opened, by);
      // The case passed to whoever routing now names, the decider among them when they were given it
      // to decide: they received it through this naming too.
      const passedTo = new Set(outcome.newGrantees);
      if (request.deciderGivenCase && !outcome.revoked.includes(session.userId)) passedTo.add(session.userId);
      return {
        id: request.id,
        status: 'confirmed' as const,
        named: request.people.length,
        passedTo: passedTo.size,
        unrouted: outcome.unrouted,
        withheld: outcome.withheld,
      };
    });
  }

  /**
   * Gives the case (report and internal) to whoever must confirm each pending naming and does not hold
   * it: when a naming names the overseer, whoever would oversee the case with it in effect decides it,
   * and they may not have held the case until now. Nothing else changes; the grants come from the keys
   * of the person acting, and each is audited.
   */
  private async ensureDeciders(opened: OpenCase, by: CaseEventOrigin): Promise<void> {
    const { m, found, actor } = opened;
    const pending = await m
      .getRepository(NamingRequestEntity)
      .find({ where: { caseId: found.id, status: 'pending' } });
    const input = pending.length > 0 ? await this.access.routingInput(m, found.id, opened.keys) : null;
    if (!input) return;
    const pendingPeople = peopleIn(pending);
    for (const request of pending) {
      const deciderId = namingDecider(input, request.requesterId, request.people, pendingPeople);
      if (deciderId === null) continue;
      const holds =
        (await m.getRepository(CaseGrantEntity).count({
          where: { caseId: found.id, granteeKind: 'staff', granteeId: deciderId, scope: 'report' },
        })) > 0;
      if (holds && deciderId === request.deciderId) continue;
      if (!holds)
        await this.access.change(m, {
          tenantId: actor.tenantId,
          caseId: found.id,
          actor: actorOf(by),
          keys: opened.keys,
          reason: 'rerouted',
          grant: [deciderId],
          namingRequestId: request.id,
        });
      await m
        .getRepository(NamingRequestEntity)
        .update({ id: request.id }, { deciderId, deciderGivenCase: request.deciderGivenCase || !holds });
    }
  }

  /** Everyone named in a naming request still pending on the case: none of them may decide one. */
  private async pendingPeople(m: EntityManager, caseId: string): Promise<string[]> {
    return peopleIn(
      await m.getRepository(NamingRequestEntity).find({ where: { caseId, status: 'pending' } }),
    );
  }

  /** The reasons of the case's naming requests, by request id, read with the caller's internal key. */
  private async reasons(opened: OpenCase): Promise<Map<string, string>> {
    const reasons = new Map<string, string>();
    const scopeKey = await opened.key('internal');
    if (!scopeKey) return reasons;
    for (const item of await this.cases.items(opened.m, opened.found.id, 'internal')) {
      if (item.kind !== 'naming_request') continue;
      const body = unpackJson<{ requestId: string; reason: string }>(
        await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey),
      );
      reasons.set(body.requestId, body.reason);
    }
    return reasons;
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

/** Everyone the given naming requests name, once each. */
function peopleIn(requests: readonly { people: readonly string[] }[]): string[] {
  return [...new Set(requests.flatMap((r) => r.people))];
}
