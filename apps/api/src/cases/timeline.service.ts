/**
 * The case timeline (issue #7 "Case timeline"; DESIGN.md "Investigation lifecycle": each step records
 * who, when and why): every event of a case in order — received, routed and assigned, every transition
 * with its data, messages both ways, feedback, notes, evidence, recusals, identity requests and
 * decisions, links, exports, reminders — for the case page and for the export.
 *
 * It is built from the two records the system keeps, so that they can be checked against each other:
 * - the audit trail is the spine. Its order is the order things were committed (appends are serialised
 *   per tenant), it says who acted and when, to the precision stored — a reporter's actions only to the
 *   hour, on purpose — and it holds every event, including those with no content (routing, exports).
 * - case_items give the content: what a transition recorded (the first response, the plan, the findings
 *   per allegation, the recommendations), what a message or a note says, which files came with it. Only
 *   the scopes the reader holds are decrypted; an event whose content they cannot read still shows.
 * Entries written by this services name their item (details.itemId). Older writers do not, so
 * their items are matched in order within each kind (the n-th `case.transitioned` entry is the n-th
 * transition item, checked by its from/to); the staff messages written inside another event (the first
 * response with an acknowledgement, the notice of a referral to another procedure, the notice that the
 * reporter's identity was shared) belong to that event. Content that no entry accounts for is shown
 * anyway, marked and without entries, so a disagreement between the two records is visible, never
 * hidden. Reads (decryptions, sign-ins) are not events of the case and are left out, and so is a link
 * to another case for anyone who does not hold that case too (links must not hint at other reports).
 *
 * Cost: every item of the scopes read is decrypted, files included (a file's name is inside its
 * ciphertext) — measured at about 0.8 s for 206 events with 20 MB of files on this machine.
 */
import { Injectable } from '@nestjs/common';
import { decryptWithScope, type UnlockedKey } from '@nolan/crypto';
import { CASE_STATUS_LABELS, type CaseStatus, STAFF_ROLE_LABELS, type StaffRole } from '@nolan/domain';
import { type EntityManager, In } from 'typeorm';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { AuditService } from '../audit/audit.service';
import { isGivenIdentity } from '../reporter-time/identity-placeholder';
import type { AuthenticatedStaff } from '../auth/staff-auth.guard';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { CaseItemEntity } from './case.entity';
import { CaseDoor } from './access/case-door';
import { LinksService } from './links.service';
import { unpackFile, unpackJson } from './item-codec';

/** What kind of thing happened: the portal picks its wording and badge from this. */
export const TIMELINE_EVENT_TYPES = [
  'received',
  'access',
  'assigned',
  'transition',
  'message',
  'feedback',
  'note',
  'evidence',
  'recusal',
  'identity_given',
  'identity_requested',
  'identity_decided',
  'exported',
  'linked',
  'sla',
  'other',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** Which events, and which page of them (DESIGN.md: pagination and filters on every list). */
export interface TimelineQuery {
  /** Only events of these types; every type when empty. */
  types: readonly TimelineEventType[];
  limit: number;
  offset: number;
}

export interface TimelineActor {
  type: 'staff' | 'reporter' | 'system' | 'operator';
  /** The staff user; never set for the reporter. */
  id: string | null;
  name: string | null;
  roles: string[];
  /** How to show who: "Ann Patel (Monitoring officer)", "the reporter", "Nolan". */
  label: string;
}

export interface TimelineFile {
  id: string;
  name: string;
  mediaType: string;
  size: number;
}

export interface TimelineEvent {
  type: TimelineEventType;
  /** The audit action of the event's (first) entry. */
  action: string;
  /** A short English line for the event, e.g. "Moved to investigation". */
  title: string;
  /** When, as the audit trail stores it: to the second for staff, to the hour for the reporter. */
  at: string;
  precision: 'second' | 'hour';
  actor: TimelineActor;
  /** The audit entries this event stands for (their seq in the tenant's chain), first the main one. */
  auditSeqs: number[];
  /** The readable ids, codes and counts of the entry (never content). */
  details: Record<string, unknown>;
  /** The event's content, decrypted, when the reader holds its scope; null otherwise or when it has none. */
  content: Record<string, unknown> | null;
  /** Files that came with the event (names only when the reader holds their scope). */
  files: TimelineFile[];
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
  /** Part of another event (a first response, an identity notice): not matched to entries of its own. */
  absorbed: boolean;
  claimed: boolean;
}

export interface Person {
  id: string;
  displayName: string;
  roles: StaffRole[];
}

@Injectable()
export class TimelineService {
  constructor(
    private readonly door: CaseDoor,
    private readonly audit: AuditService,
    private readonly links: LinksService,
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
      { roles: 'handler' },
      async ({ m, found, actor: session, key }) => {
        const keys: TimelineKeys = {};
        for (const scope of ['report', 'internal'] as const) {
          const opened = await key(scope);
          if (opened) keys[scope] = opened;
        }
        const all = await this.build(m, found.id, keys, { userId: session.userId });
        const matching = query.types.length ? all.filter((e) => query.types.includes(e.type)) : all;
        const events = matching.slice(query.offset, query.offset + query.limit);
        await this.audit.append(m, {
          actor: { type: 'staff', id: session.userId },
          action: 'case.content_decrypted',
          caseId: found.id,
          details: { purpose: 'timeline', scopes: Object.keys(keys), events: events.length },
        });
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
    const visibleLinks = new Map<string, boolean>();
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
        if (!visibleLinks.get(linkId)) continue;
      }
      entries.push(entry);
    }
    const items = await m.getRepository(CaseItemEntity).find({ where: { caseId }, order: { seq: 'ASC' } });
    const views: ItemView[] = [];
    for (const item of items) views.push(await view(item, keys));
    markAbsorbed(views);

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
      for (const u of users) people.set(u.id, { id: u.id, displayName: u.displayName, roles: u.roles });
    }
    return assembleTimeline(entries, views, people);
  }
}

async function view(item: CaseItemEntity, keys: TimelineKeys): Promise<ItemView> {
  const result: ItemView = { item, body: null, file: null, absorbed: false, claimed: false };
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

/**
 * Staff messages written as part of another event carry no audit entry of their own: the first
 * response goes with the acknowledgement's transition item, the notice of a referral to another
 * procedure with that closure, the identity notice with an approved identity decision. Each immediately follows its event's item in the case's order.
 */
export function markAbsorbed(views: ItemView[]): void {
  for (let i = 1; i < views.length; i++) {
    const current = views[i] as ItemView;
    const previous = views[i - 1] as ItemView;
    if (current.item.kind !== 'message' || current.item.authorKind !== 'staff') continue;
    if (previous.item.authorId !== current.item.authorId) continue;
    if (previous.item.kind === 'transition' || previous.item.kind === 'identity_decision')
      current.absorbed = true;
  }
  // Where the reader can decrypt the event, confirm it: only an acknowledgement (its first response) or
  // a referral to another procedure (its notice) writes a message, and only an approval a notice. (Without the internal scope, adjacency is all there is to go on.)
  for (let i = 1; i < views.length; i++) {
    const current = views[i] as ItemView;
    const previous = views[i - 1] as ItemView;
    if (!current.absorbed || previous.body === null) continue;
    if (previous.item.kind === 'transition' && !tellsTheReporter(previous.body)) current.absorbed = false;
    if (previous.item.kind === 'identity_decision' && previous.body['approved'] !== true)
      current.absorbed = false;
  }
}

/** The transitions that write a message to the reporter in the same transaction (TransitionsService). */
function tellsTheReporter(recorded: Record<string, unknown>): boolean {
  return recorded['to'] === 'acknowledged' || recorded['outcome'] === 'referred_to_another_procedure';
}

/** Pure: the entries in order, each with its content. Exported for the unit tests. */
export function assembleTimeline(
  entries: readonly AuditEntryEntity[],
  views: ItemView[],
  people: ReadonlyMap<string, Person>,
): TimelineEvent[] {
  const byId = new Map(views.map((v) => [v.item.id, v]));
  /** Which event took each item, to place any item no entry took beside its neighbours. */
  const owner = new Map<ItemView, number>();
  const next = (match: (v: ItemView) => boolean): ItemView | null => {
    const found = views.find((v) => !v.claimed && !v.absorbed && match(v)) ?? null;
    if (found) found.claimed = true;
    return found;
  };
  const filesOf = (ids: unknown): TimelineFile[] =>
    (Array.isArray(ids) ? ids : [])
      .map((id) => byId.get(String(id)))
      .filter((v): v is ItemView => v !== undefined)
      .map((v) => {
        v.claimed = true;
        return v.file ?? { id: v.item.id, name: '', mediaType: '', size: 0 };
      });

  const events: TimelineEvent[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as AuditEntryEntity;
    const d = entry.details;
    const event: TimelineEvent = {
      type: 'other',
      action: entry.action,
      title: entry.action,
      at: entry.occurredAt.toISOString(),
      precision: entry.actorType === 'reporter' || entry.details.batch === true ? 'hour' : 'second', // docs/architecture.md "Reporter time"
      actor: actorOf(entry, people),
      auditSeqs: [Number(entry.seq)],
      details: { ...d },
      content: null,
      files: [],
    };
    const claimed = typeof d['itemId'] === 'string' ? byId.get(d['itemId']) : undefined;
    if (claimed) claimed.claimed = true;

    switch (entry.action) {
      case 'case.created': {
        const report = next((v) => v.item.kind === 'report');
        event.type = 'received';
        event.title =
          d['channel'] && d['channel'] !== 'web'
            ? `Report recorded (${String(d['channel'])})`
            : 'Report received';
        if (report) {
          // The report's files are the report-scope attachments stored right after it, as many as the
          // creation entry counted: a report sent without files must not take the next files stored on
          // the case (evidence, whose files come just before its record) as its own.
          const count = typeof d['attachments'] === 'number' ? d['attachments'] : 0;
          const start = views.indexOf(report) + 1;
          let j = start;
          for (
            ;
            j < views.length &&
            j - start < count &&
            views[j]?.item.kind === 'attachment' &&
            views[j]?.item.scope === 'report';
            j++
          ) {
            const file = views[j] as ItemView;
            file.claimed = true;
            event.files.push(file.file ?? { id: file.item.id, name: '', mediaType: '', size: 0 });
          }
          // An identity given with the report is stored with it (readable only by its custodian).
          const identity = views[j];
          if (identity?.item.kind === 'identity' && !identity.claimed) {
            identity.claimed = true;
            if (isGivenIdentity(identity.body)) event.content = { identityGiven: true }; // every case has one: shown only to its readers
          }
        }
        break;
      }
      case 'case.transitioned': {
        const item = next((v) => v.item.kind === 'transition');
        const body = item?.body ?? null;
        const fits = body === null || (body['from'] === d['from'] && body['to'] === d['to']);
        event.type = 'transition';
        event.title = transitionTitle(String(d['to']), d['outcome']);
        if (item && body && fits) {
          const { to: _to, ...data } = (body['data'] as Record<string, unknown> | undefined) ?? {};
          event.content = data;
        }
        break;
      }
      case 'case.message_added': {
        if (d['identity'] === true) {
          next((v) => v.item.kind === 'identity' && v.item.authorKind === 'reporter');
          event.type = 'identity_given';
          event.title = 'The reporter gave their identity (only the custodian can read it)';
          break;
        }
        const fromReporter = d['author'] === 'reporter';
        const item = next(
          (v) => v.item.kind === 'message' && v.item.authorKind === (fromReporter ? 'reporter' : 'staff'),
        );
        event.type = 'message';
        event.title = fromReporter ? 'Message from the reporter' : 'Message to the reporter';
        if (item?.body) {
          event.content = { text: item.body['text'] };
          event.files = filesOf(item.body['attachments']);
        }
        break;
      }
      case 'case.feedback_given':
        event.type = 'feedback';
        event.title = 'Feedback given to the reporter';
        if (claimed?.body) event.content = pick(claimed.body, ['actionTaken', 'reasons', 'givenOn']);
        break;
      case 'case.note_added':
        event.type = 'note';
        event.title = 'Internal note';
        if (claimed?.body) event.content = pick(claimed.body, ['text']);
        break;
      case 'case.evidence_added':
        event.type = 'evidence';
        event.title = d['kind'] === 'interview_record' ? 'Interview record added' : 'Evidence added';
        if (claimed?.body) {
          event.content = pick(claimed.body, ['description', 'kind']);
          event.files = filesOf(claimed.body['files']);
        }
        break;
      case 'identity.requested': {
        const item = next((v) => v.item.kind === 'identity_request');
        event.type = 'identity_requested';
        event.title = "Asked to see the reporter's identity";
        if (item?.body) event.content = pick(item.body, ['reason']);
        break;
      }
      case 'identity.decided': {
        const item = next((v) => v.item.kind === 'identity_decision');
        event.type = 'identity_decided';
        event.title = d['approved'] ? 'Identity request approved' : 'Identity request refused';
        if (item?.body) event.content = pick(item.body, ['reason', 'approved']);
        break;
      }
      case 'grant.created':
      case 'grant.revoked': {
        // One event for the run of grant changes one actor made for one reason (routing a new case,
        // a recusal, an assignment): consecutive entries with the same actor and `via`.
        const via = d['via'];
        const granted = new Set<string>();
        const revoked = new Set<string>();
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
        }
        i = j - 1;
        const names = (ids: Set<string>) => [...ids].map((id) => personLabel(people.get(id)));
        if (via === 'recused' || via === 'recusal') {
          const item = next((v) => v.item.kind === 'recusal');
          event.type = 'recusal';
          event.title = `${event.actor.label} recused themselves`;
          event.content = { ...(item?.body ? pick(item.body, ['reason']) : {}), passedTo: names(granted) };
        } else {
          event.type = 'access';
          const changes = [
            granted.size ? `access given to ${names(granted).join(', ')}` : '',
            revoked.size ? `access removed from ${names(revoked).join(', ')}` : '',
          ].filter(Boolean);
          const because = via ? ` (${String(via).replace(/_/g, ' ')})` : '';
          event.title =
            via === 'routing'
              ? `Routed to ${names(granted).join(', ') || 'nobody eligible'}`
              : `${sentence(changes.join('; ') || 'access changed')}${because}`;
          event.content = { granted: names(granted), revoked: names(revoked) };
        }
        break;
      }
      case 'case.assigned':
        event.type = 'assigned';
        event.title =
          typeof d['assigneeId'] === 'string'
            ? `Assigned to ${personLabel(people.get(d['assigneeId']))}`
            : 'Assignment cleared';
        break;
      case 'case.ownership_confirmed':
        event.type = 'assigned';
        event.title = 'Ownership of the case confirmed';
        break;
      case 'case.routed':
        event.type = 'access';
        event.title = 'Those now holding the case were told';
        break;
      case 'case.legal_hold_set':
      case 'case.legal_hold_cleared': {
        const item = next((v) => v.item.kind === 'legal_hold');
        event.title = entry.action === 'case.legal_hold_set' ? 'Legal hold set' : 'Legal hold cleared';
        if (item?.body) event.content = pick(item.body, ['reason']);
        break;
      }
      case 'case.named_as_involved': {
        const item = next((v) => v.item.kind === 'named_as_involved');
        event.type = 'access';
        event.title = 'Someone was named as involved and lost access to the case';
        if (item?.body) event.content = pick(item.body, ['reason']);
        break;
      }
      case 'case.exported':
        event.type = 'exported';
        event.title = 'Case exported';
        break;
      case 'sla.notified':
        event.type = 'sla';
        event.title = slaTitle(String(d['kind']));
        break;
      default:
        if (/link/.test(entry.action)) {
          event.type = 'linked';
          event.title = entry.action.endsWith('unlinked') ? 'Case link removed' : 'Linked to a related case';
        } else {
          event.title = sentenceFromAction(entry.action);
        }
    }
    events.push(event);
    for (const v of views) if (v.claimed && !owner.has(v)) owner.set(v, events.length - 1);
  }
  return withOrphans(events, views, owner, people);
}

/**
 * Content no audit entry accounts for should not exist: every writer audits what it adds. If some does
 * (a writer that forgot, a bug in the matching above), it is shown rather than hidden — after the event
 * holding the item stored just before it, with its stored time (to the hour), no audit entries, and
 * its content if readable — so the timeline and the trail visibly disagree instead of silently.
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
    if (v.absorbed) continue;
    const person = v.item.authorId ? people.get(v.item.authorId) : undefined;
    const actor: TimelineActor =
      v.item.authorKind === 'reporter'
        ? { type: 'reporter', id: null, name: null, roles: [], label: 'the reporter' }
        : v.item.authorKind === 'staff'
          ? {
              type: 'staff',
              id: v.item.authorId,
              name: person?.displayName ?? null,
              roles: person?.roles ?? [],
              label: personLabel(person),
            }
          : { type: 'system', id: null, name: null, roles: [], label: 'Nolan' };
    const orphan: TimelineEvent = {
      type: 'other',
      action: '',
      title: `Recorded without an audit entry (${v.item.kind.replace(/_/g, ' ')})`,
      at: v.item.createdAt instanceof Date ? v.item.createdAt.toISOString() : String(v.item.createdAt),
      precision: 'hour',
      actor,
      auditSeqs: [],
      details: { itemId: v.item.id },
      content: v.body,
      files: v.file ? [v.file] : [],
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
      return { type: 'reporter', id: null, name: null, roles: [], label: 'the reporter' };
    case 'staff': {
      const person = entry.actorId ? people.get(entry.actorId) : undefined;
      return {
        type: 'staff',
        id: entry.actorId,
        name: person?.displayName ?? null,
        roles: person?.roles ?? [],
        label: personLabel(person),
      };
    }
    case 'operator':
      return { type: 'operator', id: null, name: null, roles: [], label: 'an operator' };
    default:
      return { type: 'system', id: null, name: null, roles: [], label: 'Nolan' };
  }
}

function personLabel(person: Person | undefined): string {
  if (!person) return 'a former member of staff';
  const roles = person.roles.filter((r) => r !== 'administrator').map((r) => STAFF_ROLE_LABELS[r]);
  return roles.length ? `${person.displayName} (${roles.join(', ')})` : person.displayName;
}

function transitionTitle(to: string, outcome: unknown): string {
  switch (to) {
    case 'acknowledged':
      return 'Acknowledged, with the first response to the reporter';
    case 'assessment':
      return 'Assessment started';
    case 'investigation':
      return 'Investigation opened, with its plan';
    case 'decision':
      return 'Findings submitted for a decision';
    case 'closed':
      return `Closed: ${typeof outcome === 'string' ? outcome.replace(/_/g, ' ') : 'no outcome'}`;
    case 'reopened':
      return 'Reopened';
    default:
      return `Moved to ${CASE_STATUS_LABELS[to as CaseStatus] ?? to}`;
  }
}

function slaTitle(kind: string): string {
  const titles: Record<string, string> = {
    acknowledgement_reminder: 'Reminder: acknowledgement due soon',
    acknowledgement_breach: 'Escalated: acknowledgement overdue',
    safeguarding_referral_due: 'Escalated: safeguarding referral due',
    feedback_reminder: 'Reminder: feedback to the reporter due soon',
    feedback_breach: 'Escalated: feedback to the reporter overdue',
  };
  return titles[kind] ?? 'Deadline notice';
}

function sentenceFromAction(action: string): string {
  return sentence(action.split('.').slice(1).join(' ').replace(/_/g, ' '));
}

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function pick(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (body[key] !== undefined) out[key] = body[key];
  return out;
}
