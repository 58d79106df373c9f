/**
 * Anonymous intake (issue #5; docs/architecture.md "Encryption model", "Routing"). A submission is
 * validated against the form, checked for a proof of work, its files stripped of metadata, routed by
 * the domain's pure routing function, its cryptography done with no connection held, and written in one
 * transaction that routes it again: the case, its scope keys, the content encrypted to them, grants to
 * the routed handlers, the escrow key and the reporter's key (locked under the receipt), the outbox event
 * and the audit entries. The receipt is returned once.
 */
import type { AttachmentLimits, IntakeForm, SubmittedReport } from '@nolan/contract';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createReporterKey, packetDate, receiptLookupKey, type UnlockedKey } from '@nolan/crypto';
import {
  ANONYMITY_STATEMENT,
  CATEGORIES,
  generateReceipt,
  IDENTITY_FIELDS,
  INTAKE_QUESTIONS,
  reportMode,
  ROLE_HOLDER_ROLES,
  routeCase,
  STAFF_ROLE_LABELS,
  type Submission,
  validateSubmission,
} from '@nolan/domain';
import type { DataSource, EntityManager } from 'typeorm';
import type { CaseEventOrigin } from '../cases/record/case-events';
import { authorOf, type CaseEventInput, CaseRecorder, type NewFile } from '../cases/record/case-recorder';
import { ItemSeal, offerSigningKey } from '../cases/record/item-seal';
import { type Grantee, CaseStoreService } from '../cases/store/case-store.service';
import { ReporterKeyEntity } from '../cases/store/case.entity';
import { holdersOfRoles, recordNamedInReport } from '../cases/store/case-exclusions';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { inTenant } from '../database/tenant-transaction';
import { ReporterTime, reporterCaused } from '../reporter-time/reporter-time';
import { AppError } from '../errors/app-error';
import { NO_IDENTITY } from '../reporter-time/identity-placeholder';
import { StaffUsersRepository } from '../staff/staff-users.repository';
import type { TenantEntity } from '../tenants/tenant.entity';
import { tenantRoutingInput } from '../tenants/tenant-routing';
import { TenantsRepository } from '../tenants/tenants.repository';
import { insertHeldRows } from '../reporter-time/held-insert';

export interface HumanProof {
  altcha?: string;
  waitTicket?: string;
}

/** What intake needs from the proof-of-work module (apps/api/src/abuse). */
export abstract class HumanCheck {
  abstract assertHuman(
    tenantSlug: string,
    tenantId: string,
    proof: HumanProof,
    purpose: 'submission' | 'reporter-session',
  ): Promise<void>;
}

/** What intake needs from the attachments module: files checked and stripped of metadata. */
export abstract class FileSanitiser {
  abstract sanitiseAll(files: readonly { bytes: Buffer; declaredName: string }[]): Promise<NewFile[]>;
  abstract describe(): AttachmentLimits;
}

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
}

@Injectable()
export class IntakeService {
  /** What routing read per council, for a second: the guess that intake seals for (`expectedRoute`). */
  private readonly recentRouting = new Map<string, { until: number; facts: Promise<RoutingFacts> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantsRepository,
    private readonly users: StaffUsersRepository,
    private readonly caseStore: CaseStoreService,
    private readonly recorder: CaseRecorder,
    private readonly human: HumanCheck,
    private readonly files: FileSanitiser,
    private readonly reporterTime: ReporterTime,
    private readonly seal: ItemSeal,
  ) {}

  tenant(slug: string): Promise<TenantEntity> {
    return this.tenants.requireBySlug(slug);
  }

  /** The form for this council: categories, questions, the people it may involve, identity, files. */
  async form(slug: string): Promise<IntakeForm> {
    const tenant = await this.tenant(slug);
    const holders = (await inTenant(this.dataSource, tenant.id, (m) => this.users.roleHolders(m))).filter(
      (h) => h.active,
    );
    return {
      tenant: { slug: tenant.slug, name: tenant.name },
      anonymity: ANONYMITY_STATEMENT,
      categories: CATEGORIES.map((c) => ({
        id: c.id,
        title: c.title,
        description: c.description,
        principles: c.principles,
      })),
      questions: INTAKE_QUESTIONS,
      involves: {
        label: 'Does your concern involve any of these people?',
        hint: 'Select all that apply. Anyone you select will not see your report, and it will go to someone independent of them.',
        options: ROLE_HOLDER_ROLES.filter((role) => holders.some((h) => h.roles.includes(role))).map(
          (role) => ({
            value: role,
            label: STAFF_ROLE_LABELS[role],
            holders: holders.filter((h) => h.roles.includes(role)).map((h) => h.displayName),
          }),
        ),
      },
      identity: { statement: ANONYMITY_STATEMENT, fields: IDENTITY_FIELDS },
      attachments: this.files.describe(),
    };
  }

  async submit(slug: string, body: unknown, uploads: readonly UploadedFile[]): Promise<SubmittedReport> {
    const tenant = await this.tenant(slug);
    const { altcha, waitTicket, ...rest } = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    > &
      HumanProof;
    const validation = validateSubmission(typeof body === 'object' && body !== null ? rest : body);
    if (!validation.ok) throw new AppError('INVALID_INPUT', [...validation.errors]);
    await this.human.assertHuman(slug, tenant.id, { altcha, waitTicket }, 'submission');
    const files = await this.files.sanitiseAll(
      uploads.map((u) => ({ bytes: u.buffer, declaredName: u.originalname })),
    );
    return this.createCase(tenant, validation.value, files, { kind: 'reporter' }, 'web');
  }

  /**
   * An oral, phone or written report a handler records on a reporter's behalf: the same validation,
   * routing and encryption, and a receipt for the handler to pass on (issue #5).
   */
  async recordForReporter(
    staff: { tenantId: string; userId: string; roles: readonly string[] },
    body: { channel?: unknown; submission?: unknown },
    /** The officer's own key, from their session: the report they record is signed with it. */
    signingKey: () => Promise<UnlockedKey>,
  ): Promise<SubmittedReport> {
    if (
      staff.roles.length === 0 ||
      staff.roles.every((r) => r === 'administrator' || r === 'audit_committee_chair')
    ) {
      throw new AppError('FORBIDDEN', 'Only handlers can record a report on someone’s behalf.');
    }
    const channels = ['phone', 'in_person', 'post', 'email'] as const;
    const channel = channels.find((c) => c === body.channel);
    const validation = validateSubmission(body.submission);
    const errors = [
      ...(channel ? [] : [`channel must be one of: ${channels.join(', ')}`]),
      ...(validation.ok ? [] : validation.errors.map((e) => `submission: ${e}`)),
    ];
    if (errors.length > 0 || !validation.ok || !channel) throw new AppError('INVALID_INPUT', errors);
    const tenant = await this.tenants.findById(staff.tenantId);
    if (!tenant) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    return this.createCase(
      tenant,
      validation.value,
      [],
      { kind: 'staff', id: staff.userId, key: signingKey },
      channel,
    );
  }

  /**
   * Creates the case and hands back the receipt: the web form, and handlers recording oral reports.
   *
   * The cryptography comes first, with no database connection held: who the case goes to is read in a
   * short transaction that writes nothing, then the scope keys, the grants to those people and the
   * report's items (encrypted and signed) are made while no connection waits on the CPU. The transaction
   * that follows only writes, and decides the routing again inside it from what it reads there: a grant
   * is written only for someone that decision gives the case to (made there if they were not sealed for),
   * and if the hour turned while sealing, everything is made again inside, as it would be without
   * sealing (docs/performance.md "What serialised intake").
   */
  async createCase(
    tenant: TenantEntity,
    submission: Submission,
    files: readonly NewFile[],
    author: { kind: 'reporter' } | { kind: 'staff'; id: string; key: () => Promise<UnlockedKey> },
    channel: 'web' | 'phone' | 'in_person' | 'post' | 'email',
  ): Promise<SubmittedReport> {
    const receipt = generateReceipt();
    const reporterKey = await createReporterKey(receipt);
    const lookupKey = receiptLookupKey(this.config.receiptPepper, receipt);
    const by: CaseEventOrigin =
      author.kind === 'staff' ? { origin: 'staff', staffId: author.id } : { origin: 'reporter' };
    const escrow: Grantee = { kind: 'escrow', userId: null, publicKey: tenant.escrowPublicKey };
    const reporter: Grantee = { kind: 'reporter', userId: null, publicKey: reporterKey.publicKey };
    // The report is the case's first event: its item (with the files and any identity), the creation
    // entry and the outbox row that starts the workers, through the one recorder.
    const event = (routing: string): CaseEventInput => ({
      kind: 'submitted',
      by,
      body: { answers: submission.answers, involves: submission.involves },
      files,
      // Always an identity record, empty if none was given (docs/architecture.md "Reporter time").
      parts: [{ scope: 'identity' as const, kind: 'identity', body: submission.identity ?? NO_IDENTITY }],
      details: { channel, routing, attachments: files.length },
    });

    // 1. Who the case is expected to go to: read (nothing written, the connection given back at once),
    // or what was read for this council within the last second.
    const expected = await this.expectedRoute(tenant.id, submission);
    // 2. The cryptography, with no connection held.
    const hour = packetDate().getTime();
    const sealedCase = await this.caseStore.seal(grantees(expected, escrow, reporter));
    const target = { tenantId: tenant.id, caseId: sealedCase.id };
    // Signed by whoever gave the report (item-seal.ts): the new reporter key, or the recording officer's.
    const signingKey = author.kind === 'staff' ? await author.key() : reporterKey.unlocked;
    const sealedEvent = await this.recorder.sealEvent(
      target,
      event(expected.decision.kind),
      new Map([...sealedCase.keys].map(([scope, pair]) => [scope, pair.publicKey])),
      this.seal.signerWith(target, authorOf(by), signingKey),
    );
    // Packets (keys, grants, items) are dated to their hour: sealed across the hour's turn, or written in
    // a later hour than they were sealed in, they are made again inside the transaction.
    const sealedInOneHour = packetDate().getTime() === hour;

    // 3. The transaction only writes (and reads what decides them).
    const reference = await inTenant(this.dataSource, tenant.id, async (m) => {
      // Before anything is written: every row of a report is held for its batch and placed at its release.
      if (author.kind === 'reporter') await reporterCaused(m, this.reporterTime);
      // Routing decided again from what this transaction reads: an officer named, deactivated or changed
      // since the read above gets nothing sealed for them, and a new one is granted here.
      const routed = route(await this.routingFacts(m), submission);
      const { decision, named, staff, custodian } = routed;
      const fresh = sealedInOneHour && packetDate().getTime() === hour;
      // A reporter's case is shown to staff from its batch's release (docs/architecture.md "Reporter
      // time"); its SLA clocks still run from the hour it was received.
      const visibleFrom = (await this.reporterTime.holds(m)) ? await this.reporterTime.releaseAt(m) : null;
      const created = await this.caseStore.create(
        m,
        {
          tenantId: tenant.id,
          category: submission.category,
          receivedAt: new Date(),
          visibleFrom,
          channel,
          routing: decision.kind,
          // Anonymous, confidential (the default when an identity is given) or open (libs/domain
          // reportMode). Kept only as a keyed tag (docs/dashboard.md "Reports by mode").
          mode: reportMode(submission.identity),
          grantees: grantees(routed, escrow, reporter),
        },
        fresh ? sealedCase : undefined,
      );
      await recordNamedInReport(m, tenant.id, created.id, named);
      await insertHeldRows(m, ReporterKeyEntity, {
        caseId: created.id,
        tenantId: tenant.id,
        lookupKey,
        publicKey: Buffer.from(reporterKey.publicKey),
        lockedPrivateKey: Buffer.from(reporterKey.lockedPrivateKey),
        salt: Buffer.from(reporterKey.salt),
      });
      // The reporter's key is pinned here, where it is made, and nowhere later (item-seal.ts): a key
      // copied into this row afterwards signs nothing that verifies as this case's reporter.
      await this.seal.pinNew(
        m,
        tenant.id,
        { kind: 'reporter', id: created.id },
        reporterKey.unlocked.publicKey(),
      );
      // Offered as before, for the recorder's own signing when the sealed items are not used.
      if (author.kind === 'staff')
        offerSigningKey(m, { kind: 'staff', id: author.id }, async () => signingKey);
      else offerSigningKey(m, { kind: 'reporter', id: created.id }, reporterKey.unlocked);
      await this.recorder.record(
        m,
        { tenantId: tenant.id, caseId: created.id },
        event(decision.kind),
        fresh ? sealedEvent : undefined,
      );
      // Routing gave the first grants: each is in the trail, as the system's doing.
      for (const grantee of staff) {
        const scopes = custodian.includes(grantee) ? 'report,internal,identity' : 'report,internal';
        await this.recorder.trail(m, created.id, { origin: 'system', causedBy: by.origin }, 'grant.created', {
          scope: scopes,
          granteeId: grantee.userId,
          via: 'routing',
        });
      }
      return created.reference;
    });
    return { reference, receipt };
  }

  /**
   * What routing reads, as `m` reads it now: the council's role holders and its routing settings.
   */
  private async routingFacts(m: EntityManager): Promise<RoutingFacts> {
    const holders = await this.users.roleHolders(m);
    return { holders, settings: await tenantRoutingInput(m, holders) };
  }

  /**
   * Who a report is expected to go to before its transaction, from what routing read for this council
   * at most a second ago (or reads now). Only a guess: what it seals for someone the transaction's own
   * routing does not name is never written (docs/performance.md "What serialised intake").
   *
   * A read that fails is forgotten (only its own entry: one made since, by a report that came after it
   * expired, stays), and a report that was waiting on it rather than making it reads for itself, so one
   * failed read fails only the report that made it, not every report of that second.
   */
  private async expectedRoute(tenantId: string, submission: Submission): Promise<Routed> {
    const now = Date.now();
    const known = this.recentRouting.get(tenantId);
    if (!known || known.until < now) {
      if (this.recentRouting.size >= 1000) this.recentRouting.clear();
      const entry = { until: now + 1000, facts: this.readRouting(tenantId) };
      this.recentRouting.set(tenantId, entry);
      entry.facts.catch(() => this.forgetRouting(tenantId, entry));
      return route(await entry.facts, submission);
    }
    let facts: RoutingFacts;
    try {
      facts = await known.facts;
    } catch {
      // Only the remembered read failed: a routing error of this submission's own is not retried.
      this.forgetRouting(tenantId, known);
      facts = await this.readRouting(tenantId);
    }
    return route(facts, submission);
  }

  private readRouting(tenantId: string): Promise<RoutingFacts> {
    return inTenant(this.dataSource, tenantId, (m) => this.routingFacts(m));
  }

  /** Forgets a council's remembered routing read if it is still `entry` (never a newer one). */
  private forgetRouting(tenantId: string, entry: { facts: Promise<RoutingFacts> }): void {
    if (this.recentRouting.get(tenantId) === entry) this.recentRouting.delete(tenantId);
  }
}

interface RoutingFacts {
  holders: Awaited<ReturnType<StaffUsersRepository['roleHolders']>>;
  settings: Awaited<ReturnType<typeof tenantRoutingInput>>;
}

/**
 * Routes the report with the council's role holders and conflict routes: the people it names (the
 * holders of each role ticked, by id), the decision, and the staff it goes to.
 */
function route({ holders, settings }: RoutingFacts, submission: Submission): Routed {
  // The people the report names are the holders of each role ticked, now, by id: excluded for good,
  // whatever their later roles, and a later holder of the role is not (issue #15).
  const named = holdersOfRoles(holders, submission.involves);
  const decision = routeCase({
    category: submission.category,
    involvedRoles: [],
    involvedUserIds: named,
    recusedUserIds: [],
    roleHolders: holders.map(({ userId, roles }) => ({ userId, roles })),
    // The council's own conflict routes and deputy setting; deactivated accounts never get a case.
    ...settings,
  });
  const keyOf = new Map(holders.map((h) => [h.userId, h.publicKey]));
  const staffIds =
    decision.kind === 'routed'
      ? [...new Set([...decision.owners.map((r) => r.userId), decision.overseer.userId])]
      : [];
  const staff: Grantee[] = staffIds.map((userId) => ({
    kind: 'staff',
    userId,
    publicKey: keyOf.get(userId) as string,
  }));
  const custodian =
    decision.kind === 'routed' ? staff.filter((g) => g.userId === decision.overseer.userId) : [];
  return { decision, named, staff, custodian };
}

interface Routed {
  decision: ReturnType<typeof routeCase>;
  named: string[];
  staff: Grantee[];
  custodian: Grantee[];
}

/** Who may read each scope of a new case (docs/architecture.md "Case scope keys and grants"). */
function grantees(routed: Routed, escrow: Grantee, reporter: Grantee) {
  return {
    report: [...routed.staff, escrow, reporter],
    internal: [...routed.staff, escrow],
    identity: [...routed.custodian, escrow],
  };
}
