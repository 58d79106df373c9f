/**
 * The case timeline (issue #7 "Case timeline"; docs/case-core.md "The timeline"): every event of a case
 * in order — received, routed and assigned, every transition with its data, messages both ways,
 * feedback, notes, evidence, recusals, identity requests and decisions, links, exports, reminders — for
 * the case page and for the export.
 *
 * A projection of the two records the system keeps, joined by id:
 * - the audit trail is the spine. Its order is the order things were committed (appends are serialised
 *   per tenant), it says who acted and when, to the precision stored — a reporter's actions only to the
 *   hour, on purpose — and it holds every event, including those with no content (routing, exports).
 * - each entry names the case items it recorded (`item_ids`, its own item first: CaseRecorder writes
 *   them, and a migration back-filled the older entries), which give the content: what a transition
 *   recorded, what a message or a note says, which files came with it. Only the scopes the reader holds
 *   are decrypted; an event whose content they cannot read still shows.
 * Content no entry names is shown anyway, marked, so a disagreement between the two records is visible,
 * never hidden. Reads (decryptions, sign-ins) are not events of the case and are left out, and so is a
 * link to another case — entry and item — for anyone who does not hold that case too (links must not
 * hint at other reports), and a request to name people as involved for anyone it names. The API returns data only: the words are libs/domain's timeline-words.ts.
 *
 * Cost: every item of the scopes read is decrypted, files included (a file's name is inside its
 * ciphertext) — measured at about 0.8 s for 206 events with 20 MB of files on this machine.
 */
import { Injectable, Optional } from '@nestjs/common';
import {
  TIMELINE_EVENT_TYPES,
  type ItemVerification,
  type TimelineActor,
  type TimelineEvent,
  type TimelineEventType,
  type TimelineFile,
  type TimelinePerson,
} from '@nolan/contract';
import { decryptWithScope, type UnlockedKey } from '@nolan/crypto';
import { type EntityManager, In } from 'typeorm';
import { AuditEntryEntity } from '../../audit/audit-entry.entity';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { StaffUserEntity } from '../../staff/staff-user.entity';
import { isGivenIdentity } from '../../reporter-time/identity-placeholder';
import { ReporterTime } from '../../reporter-time/reporter-time';
import { visibleItemsWhere } from '../../reporter-time/visibility';
import { CaseItemEntity } from '../store/case.entity';
import { isNamingEntry, namingRequestsHiddenFrom } from './naming-visibility';
import { ItemSeal } from '../record/item-seal';
import { CaseDoor } from '../access/case-door';
import { LinksService } from '../commands/links.service';
import { CaseRecorder } from '../record/case-recorder';
import { unpackFile, unpackJson } from '../record/item-codec';
import { ITEMS_AT_ONCE, isFile } from '../record/case-content';
import { bothSettled, mapInParallel } from '../../common/in-parallel';

export { TIMELINE_EVENT_TYPES };
export type { TimelineEvent, TimelineEventType };

/** Which events, and which page of them (docs/conventions.md §3: pagination and filters on every list). */
export interface TimelineQuery {
  /** Only events of these types; every type when empty. */
  types: readonly TimelineEventType[];
  limit: number;
  offset: number;
}

/** The scope keys the reader holds, already opened. */
export interface TimelineKeys {
  report?: UnlockedKey;
  internal?: UnlockedKey;
}

/** Links between cases: shown only to someone who may see the other case (LinksService.maySeeLink). */
const LINK_ACTIONS = new Set(['case.linked', 'case.unlinked']);

/** Audit actions that record reading, not something happening to the case. */
const READS = new Set(['case.content_decrypted', 'auth.sign_in', 'auth.sign_in_failed', 'config.changed']);

/** An item with what the reader can see of it. Exported for the unit tests. */
export interface ItemView {
  item: CaseItemEntity;
  /** Decrypted JSON (or a file's header and size), when the scope is open. */
  body: Record<string, unknown> | null;
  file: TimelineFile | null;
  /** Its signature state (ItemSeal), when checked. */
  verification?: ItemVerification;
}

export interface Person {
  id: string;
  displayName: string;
  roles: string[];
}

@Injectable()
export class TimelineService {
  constructor(
    private readonly door: CaseDoor,
    private readonly recorder: CaseRecorder,
    private readonly links: LinksService,
    private readonly seal: ItemSeal,
    /** ReporterTime is global (ReporterTimeModule); a unit test's module may leave it out. */
    @Optional() private readonly reporterTime?: ReporterTime,
  ) {}

  /** The timeline for a staff user holding the case; 404 for anyone else. Audited as a read. */
  async forStaff(
    staff: AuthenticatedStaff,
    reference: string,
    query: TimelineQuery = { types: [], limit: 500, offset: 0 },
  ) {
    return this.door.open(
      staff,
      reference,
      { roles: 'handler', reads: true },
      async ({ m, found, actor: session, key }) => {
        const keys: TimelineKeys = {};
        for (const scope of ['report', 'internal'] as const) {
          const opened = await key(scope);
          if (opened) keys[scope] = opened;
        }
        const all = await this.build(m, found.id, keys, { userId: session.userId });
        const matching = query.types.length ? all.filter((e) => query.types.includes(e.type)) : all;
        const events = matching.slice(query.offset, query.offset + query.limit);
        await this.recorder.trail(
          m,
          found.id,
          { origin: 'staff', staffId: session.userId },
          'case.content_decrypted',
          { purpose: 'timeline', scopes: Object.keys(keys), events: events.length },
        );
        return {
          reference: found.reference,
          status: found.status,
          events,
          total: matching.length,
          limit: query.limit,
          offset: query.offset,
        };
      },
    );
  }

  /**
   * The timeline of a case, for a caller that has already decided the reader may see it and opened the
   * scope keys they hold (an export, the case page). Call it inside the caller's tenant transaction
   * (`inTenant`), which row-level security needs; it writes nothing, so the caller audits the read as
   * its own (an export records `case.exported`). Content is decrypted only for the scopes in `keys`.
   * A link to another case shows only to a `reader` who holds that case too, and only while the link
   * exists (LinksService.maySeeLink): anyone else sees no trace of it. Without a reader, links are left out.
   */
  async build(
    m: EntityManager,
    caseId: string,
    keys: TimelineKeys,
    reader?: { userId: string },
  ): Promise<TimelineEvent[]> {
    const entries: AuditEntryEntity[] = [];
    /** Items of entries left out (a link the reader may not see): neither shown nor called orphans. */
    const hidden = new Set<string>();
    const visibleLinks = new Map<string, boolean>();
    let hiddenRequests: Set<string> | undefined;
    for (const entry of await m
      .getRepository(AuditEntryEntity)
      .find({ where: { caseId }, order: { seq: 'ASC' } })) {
      if (READS.has(entry.action)) continue;
      if (LINK_ACTIONS.has(entry.action)) {
        const linkId = String(entry.details['linkId']);
        if (!visibleLinks.has(linkId))
          visibleLinks.set(
            linkId,
            reader !== undefined && (await this.links.maySeeLink(m, reader.userId, caseId, linkId)),
          );
        if (!visibleLinks.get(linkId)) {
          for (const id of entry.itemIds ?? []) hidden.add(id);
          continue;
        }
      }
      // A naming request is never shown to someone it names (issue #15): they still hold the case while it
      // waits, and are never told — nor are the grants made for it (its decider given the case). Without a
      // reader (nobody known), it is left out.
      if (isNamingEntry(entry)) {
        hiddenRequests ??= await namingRequestsHiddenFrom(m, caseId, reader?.userId);
        if (hiddenRequests.has(String(entry.details['requestId']))) {
          for (const id of entry.itemIds ?? []) hidden.add(id);
          continue;
        }
      }
      entries.push(entry);
    }
    // Staff see a reporter-caused item only from its batch's release (reporter-time/visibility.ts).
    const items = await m.getRepository(CaseItemEntity).find({
      where: visibleItemsWhere({ caseId }, this.reporterTime?.now() ?? new Date()),
      order: { createdAt: 'ASC', seq: 'ASC' },
    });
    const shown = items.filter((item) => !hidden.has(item.id));
    // Every shown item decrypted and its signature checked, both a few at a time and at once
    // (docs/performance.md "Opening a case").
    const [states, opened] = await bothSettled(
      this.seal.verify(m, shown),
      mapInParallel(shown, ITEMS_AT_ONCE, (item) => view(item, keys), isFile),
    );
    const views: ItemView[] = opened.map((v) => ({
      ...v,
      verification: states.get(v.item.id) ?? 'unverified',
    }));

    const staffIds = [
      ...new Set(
        entries.flatMap((e) => [
          e.actorId,
          ...['granteeId', 'assigneeId', 'previousAssigneeId'].map((k) => e.details[k]),
        ]),
      ),
    ].filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id));
    const people = new Map<string, Person>();
    if (staffIds.length) {
      const users = await m
        .getRepository(StaffUserEntity)
        .find({ where: { id: In(staffIds) }, select: { id: true, displayName: true, roles: true } });
      for (const u of users) people.set(u.id, { id: u.id, displayName: u.displayName, roles: [...u.roles] });
    }
    return assembleTimeline(entries, views, people);
  }
}

async function view(item: CaseItemEntity, keys: TimelineKeys): Promise<ItemView> {
  const result: ItemView = { item, body: null, file: null };
  const key = item.scope === 'report' ? keys.report : item.scope === 'internal' ? keys.internal : undefined;
  if (!key) return result;
  const plaintext = await decryptWithScope(new Uint8Array(item.ciphertext), key);
  if (item.kind === 'attachment') {
    const { header, bytes } = unpackFile(plaintext);
    result.file = { id: item.id, name: header.name, mediaType: header.mediaType, size: bytes.length };
  } else {
    result.body = unpackJson<Record<string, unknown>>(plaintext);
  }
  return result;
}

/** Pure: the entries in order, each with the items it names. Exported for the unit tests. */
export function assembleTimeline(
  entries: readonly AuditEntryEntity[],
  views: readonly ItemView[],
  people: ReadonlyMap<string, Person>,
): TimelineEvent[] {
  const byId = new Map(views.map((v) => [v.item.id, v]));
  /** Which event shows each item, to place any item no entry names beside its neighbours. */
  const owner = new Map<ItemView, number>();
  const itemsOf = (entry: AuditEntryEntity) =>
    (entry.itemIds ?? []).map((id) => byId.get(id)).filter((v): v is ItemView => v !== undefined);
  const fileOf = (v: ItemView): TimelineFile => v.file ?? { id: v.item.id, name: '', mediaType: '', size: 0 };
  const person = (id: string): TimelinePerson => {
    const known = people.get(id);
    return { id, name: known?.displayName ?? null, roles: known?.roles ?? [] };
  };

  const events: TimelineEvent[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as AuditEntryEntity;
    const d = entry.details;
    const [own, ...parts] = itemsOf(entry);
    const taken: ItemView[] = itemsOf(entry);
    const event: TimelineEvent = {
      type: 'other',
      action: entry.action,
      at: entry.occurredAt.toISOString(),
      // A reporter's entries, and the system's entries for what a reporter did (released in a batch),
      // are kept to the hour (docs/architecture.md "Reporter time").
      precision: entry.actorType === 'reporter' || entry.details['batch'] === true ? 'hour' : 'second',
      actor: actorOf(entry, people),
      auditSeqs: [Number(entry.seq)],
      details: { ...d },
      content: null,
      files: [],
      people: ['assigneeId', 'previousAssigneeId']
        .map((k) => d[k])
        .filter((id): id is string => typeof id === 'string')
        .map(person),
    };
    const files = parts.filter((v) => v.item.kind === 'attachment').map(fileOf);

    switch (entry.action) {
      case 'case.created':
        event.type = 'received';
        event.files = files;
        // An identity given with the report is stored with it (readable only by its custodian). Every
        // case has one, empty when none was given, so only its readers learn whether one was.
        if (parts.some((v) => v.item.kind === 'identity' && isGivenIdentity(v.body)))
          event.content = { identityGiven: true };
        break;
      case 'case.transitioned': {
        const body = own?.body ?? null;
        event.type = 'transition';
        if (body && body['from'] === d['from'] && body['to'] === d['to']) {
          const { to: _to, ...data } = (body['data'] as Record<string, unknown> | undefined) ?? {};
          event.content = data;
        }
        break;
      }
      case 'case.message_added':
        if (d['identity'] === true) {
          event.type = 'identity_given';
          break;
        }
        event.type = 'message';
        if (own?.body) event.content = { text: own.body['text'] };
        event.files = files;
        break;
      case 'case.feedback_given':
        event.type = 'feedback';
        if (own?.body) event.content = pick(own.body, ['actionTaken', 'reasons', 'givenOn']);
        break;
      case 'case.note_added':
        event.type = 'note';
        if (own?.body) event.content = pick(own.body, ['text']);
        break;
      case 'case.evidence_added':
        event.type = 'evidence';
        if (own?.body) event.content = pick(own.body, ['description', 'kind']);
        event.files = files;
        break;
      case 'identity.requested':
        event.type = 'identity_requested';
        if (own?.body) event.content = pick(own.body, ['reason']);
        break;
      case 'identity.decided':
        event.type = 'identity_decided';
        if (own?.body) event.content = pick(own.body, ['reason', 'approved']);
        break;
      case 'case.recused':
        // Only when no grant change stood beside it (those runs take it in, below).
        event.type = 'recusal';
        event.content = { ...(own?.body ? pick(own.body, ['reason']) : {}), passedTo: [] };
        break;
      case 'grant.created':
      case 'grant.revoked': {
        // One event for the run of grant changes one actor made for one reason (routing a new case,
        // a recusal, an assignment): consecutive entries with the same actor and `via`.
        const via = d['via'];
        const granted = new Set<string>();
        const revoked = new Set<string>();
        let recusal: ItemView | undefined;
        let j = i;
        for (; j < entries.length; j++) {
          const other = entries[j] as AuditEntryEntity;
          if (
            (other.action !== 'grant.created' && other.action !== 'grant.revoked') ||
            other.details['via'] !== via ||
            other.actorId !== entry.actorId ||
            other.actorType !== entry.actorType
          )
            break;
          const who = String(other.details['granteeId'] ?? 'escrow');
          (other.action === 'grant.created' ? granted : revoked).add(who);
          if (j > i) event.auditSeqs.push(Number(other.seq));
          for (const v of itemsOf(other)) {
            taken.push(v);
            if (v.item.kind === 'recusal') recusal = v;
          }
        }
        const isRecusal = via === 'recused' || via === 'recusal';
        // The recusal's own entry, written just after the grant changes it caused, belongs to this event.
        const next = entries[j];
        if (isRecusal && next?.action === 'case.recused' && next.actorId === entry.actorId) {
          event.auditSeqs.push(Number(next.seq));
          for (const v of itemsOf(next)) {
            taken.push(v);
            if (v.item.kind === 'recusal') recusal = v;
          }
          j += 1;
        }
        i = j - 1;
        const list = (ids: Set<string>) => [...ids].map(person);
        if (isRecusal) {
          event.type = 'recusal';
          event.content = {
            ...(recusal?.body ? pick(recusal.body, ['reason']) : {}),
            passedTo: list(granted),
          };
        } else {
          event.type = 'access';
          event.content = { granted: list(granted), revoked: list(revoked) };
        }
        break;
      }
      case 'case.assigned':
      case 'case.ownership_confirmed':
        event.type = 'assigned';
        break;
      case 'case.routed':
        event.type = 'access';
        break;
      case 'case.legal_hold_set':
      case 'case.legal_hold_cleared':
        if (own?.body) event.content = pick(own.body, ['reason']);
        break;
      case 'case.named_as_involved':
        event.type = 'access';
        if (own?.body) event.content = pick(own.body, ['reason']);
        break;
      case 'case.exported':
        event.type = 'exported';
        break;
      case 'sla.notified':
        event.type = 'sla';
        break;
      case 'case.linked':
      case 'case.unlinked':
        event.type = 'linked';
        break;
      // Recommendations (docs/case-core.md "Recommendations"): the words and owner, or the change and
      // a rejection's reason, for a reader holding the internal scope.
      case 'case.recommendation_raised':
        if (own?.body) event.content = pick(own.body, ['text', 'owner']);
        break;
      case 'case.recommendation_updated':
        if (own?.body) event.content = pick(own.body, ['from', 'to', 'reason']);
        break;
    }
    const verification = weakest(taken);
    if (verification) event.verification = verification;
    events.push(event);
    for (const v of taken) if (!owner.has(v)) owner.set(v, events.length - 1);
  }
  return withOrphans(events, views, owner, people);
}

/** The least trustworthy signature state of an event's items: one unverified item marks the event. */
function weakest(views: readonly ItemView[]): ItemVerification | undefined {
  const states = views.map((v) => v.verification).filter((s): s is ItemVerification => s !== undefined);
  if (states.includes('unverified')) return 'unverified';
  if (states.includes('unsigned')) return 'unsigned';
  return states.length > 0 ? 'verified' : undefined;
}

/**
 * Content no audit entry names should not exist: every event goes through CaseRecorder, which names
 * what it writes. If some does (a path that skipped the recorder), it is shown rather than hidden —
 * after the event holding the item stored just before it, with its stored time (to the hour), no audit
 * entries, and its content if readable — so the timeline and the trail visibly disagree instead of
 * silently. The files an orphan message or record lists go with it.
 */
function withOrphans(
  events: TimelineEvent[],
  views: readonly ItemView[],
  owner: ReadonlyMap<ItemView, number>,
  people: ReadonlyMap<string, Person>,
): TimelineEvent[] {
  const after = new Map<number, TimelineEvent[]>();
  let place = -1;
  for (const v of views) {
    const taken = owner.get(v);
    if (taken !== undefined) {
      place = Math.max(place, taken);
      continue;
    }
    const known = v.item.authorId ? people.get(v.item.authorId) : undefined;
    const actor: TimelineActor =
      v.item.authorKind === 'reporter'
        ? { type: 'reporter', id: null, name: null, roles: [] }
        : v.item.authorKind === 'staff'
          ? {
              type: 'staff',
              id: v.item.authorId,
              name: known?.displayName ?? null,
              roles: known?.roles ?? [],
            }
          : { type: 'system', id: null, name: null, roles: [] };
    const orphan: TimelineEvent = {
      type: 'other',
      action: '',
      at: v.item.createdAt instanceof Date ? v.item.createdAt.toISOString() : String(v.item.createdAt),
      precision: 'hour',
      actor,
      auditSeqs: [],
      details: { itemId: v.item.id },
      content: v.body,
      files: v.file ? [v.file] : [],
      ...(v.verification ? { verification: v.verification } : {}),
      people: [],
      orphanKind: v.item.kind,
    };
    after.set(place, [...(after.get(place) ?? []), orphan]);
  }
  if (after.size === 0) return events;
  const result: TimelineEvent[] = [...(after.get(-1) ?? [])];
  events.forEach((event, i) => result.push(event, ...(after.get(i) ?? [])));
  return result;
}

function actorOf(entry: AuditEntryEntity, people: ReadonlyMap<string, Person>): TimelineActor {
  switch (entry.actorType) {
    case 'reporter':
      return { type: 'reporter', id: null, name: null, roles: [] };
    case 'staff': {
      const known = entry.actorId ? people.get(entry.actorId) : undefined;
      return {
        type: 'staff',
        id: entry.actorId,
        name: known?.displayName ?? null,
        roles: known?.roles ?? [],
      };
    }
    case 'operator':
      return { type: 'operator', id: null, name: null, roles: [] };
    default:
      return { type: 'system', id: null, name: null, roles: [] };
  }
}

function pick(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (body[key] !== undefined) out[key] = body[key];
  return out;
}
