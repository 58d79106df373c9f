// Why this exists: the system bench's database, made fast. One measured council with real staff (real
// Argon2-protected keys), real encrypted cases for the handler to open, and many cases of metadata with
// grants for its case list; and filler councils that make the database national-sized. Everything but
// the handful of real cases and staff is generated SQL (INSERT … SELECT generate_series), never an HTTP
// call per row. Supports docs/performance.md "How to reproduce".
import {
  CATEGORY_IDS,
  compareLocalDates,
  DEFAULT_SLA_POLICY,
  isBatchMinutes,
  toLondonDate,
} from '@nolan/domain';
import { createReporterKey, encryptToScope, receiptLookupKey } from '@nolan/crypto';
import { Client, escapeIdentifier } from 'pg';
import type { DataSource } from 'typeorm';
import { CaseStoreService, type Grantee } from '../../../apps/api/src/cases/store/case-store.service';
import { packJson } from '../../../apps/api/src/cases/record/item-codec';
import { createDataSource } from '../../../apps/api/src/database/data-source';
import { timersFor } from '../../../apps/api/src/sla/sla.service';
import { ensureAppRole, ensureDatabase, runMigrations } from '../../../apps/api/src/database/provision';
import { createStaffUser, createTenant } from '../../../apps/api/src/staff/staff-provisioning';

export interface Scale {
  name: 'small' | 'full';
  councils: number;
  totalCases: number;
  councilCases: number;
  /** Real encrypted cases (report + 20 messages) the handler opens. */
  openedCases: number;
  intakeOneClient: number;
  intakeManyClients: number;
}

export const SCALES: Record<Scale['name'], Scale> = {
  small: {
    name: 'small',
    councils: 100,
    totalCases: 50_000,
    councilCases: 2_000,
    openedCases: 10,
    intakeOneClient: 40,
    intakeManyClients: 320,
  },
  full: {
    name: 'full',
    councils: 1_000,
    totalCases: 1_000_000,
    councilCases: 20_000,
    openedCases: 20,
    intakeOneClient: 100,
    intakeManyClients: 1_000,
  },
};

export interface BenchUrls {
  ownerUrl: string;
  appUrl: string;
}

export interface SeededUser {
  id: string;
  email: string;
  password: string;
  totpSecret: string;
}

export interface Seeded {
  slug: string;
  tenantId: string;
  monitoringOfficer: SeededUser;
  investigator: SeededUser;
  /** Real cases the investigator holds: a report and 20 messages each. */
  openable: string[];
}

const MESSAGES_PER_CASE = 20;
const REPORT_TEXT = 'The contract was awarded without the declared interest being recorded. '
  .repeat(57)
  .slice(0, 4096);

export async function recreateDatabase(urls: BenchUrls): Promise<void> {
  const target = new URL(urls.ownerUrl);
  const database = decodeURIComponent(target.pathname.slice(1));
  if (!/^nolan_bench/.test(database)) throw new Error(`refusing to drop ${database}: not a bench database`);
  target.pathname = '/postgres';
  const admin = new Client({ connectionString: target.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(database)} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(urls.ownerUrl);
  await runMigrations(urls.ownerUrl);
  await ensureAppRole(urls.ownerUrl, urls.appUrl);
}

export async function seed(
  urls: BenchUrls,
  scale: Scale,
  secrets: { sessionSecret: string; receiptPepper: string },
): Promise<Seeded> {
  const dataSource: DataSource = createDataSource(urls.appUrl);
  await dataSource.initialize();
  const owner = new Client({ connectionString: urls.ownerUrl });
  await owner.connect();
  try {
    const slug = 'bench-council';
    const { tenant } = await dataSource.transaction((m) =>
      createTenant(m, { slug, name: 'Bench Borough Council' }),
    );
    const person = async (roles: string[], who: string): Promise<SeededUser> => {
      const created = await dataSource.transaction((m) =>
        createStaffUser(m, secrets.sessionSecret, {
          tenantId: tenant.id,
          email: `${who}@bench.example`,
          name: `Bench ${who}`,
          roles,
          enrolTotp: true,
        }),
      );
      return {
        id: created.user.id,
        email: `${who}@bench.example`,
        password: created.password,
        totpSecret: created.totpSecret as string,
      };
    };
    // The people a council's routing needs (libs/domain routing.ts), each with a real staff key.
    const monitoringOfficer = await person(['monitoring_officer'], 'mo');
    await person(['deputy_monitoring_officer'], 'deputy');
    await person(['s151_officer'], 's151');
    await person(['head_of_paid_service'], 'hops');
    await person(['safeguarding_lead'], 'safeguarding');
    await person(['administrator'], 'admin');
    const investigator = await person(['investigator'], 'investigator-1');
    const investigators = [investigator.id];
    for (let i = 2; i <= 4; i++) investigators.push((await person(['investigator'], `investigator-${i}`)).id);

    // BENCH_BATCH_MINUTES: the measured council's reporter batch (15, 20, 30 or 60; the default is the
    // hour), so the routing row need not wait for the top of the hour (README "What batching costs").
    const batch = process.env.BENCH_BATCH_MINUTES;
    if (batch) {
      if (!isBatchMinutes(Number(batch))) throw new Error('BENCH_BATCH_MINUTES must be 15, 20, 30 or 60');
      await owner.query(`UPDATE tenants SET reporter_batch_minutes = $1 WHERE id = $2`, [
        Number(batch),
        tenant.id,
      ]);
    }
    // Filler councils share the measured council's escrow key: nobody ever opens their cases.
    await owner.query(
      `INSERT INTO tenants (slug, name, escrow_public_key, escrow_private_key_encrypted, escrow_fingerprint)
       SELECT 'filler-' || lpad(i::text, 4, '0'), 'Filler council ' || i, t.escrow_public_key,
              t.escrow_private_key_encrypted, t.escrow_fingerprint
         FROM generate_series(1, $1::int) i, tenants t WHERE t.id = $2`,
      [scale.councils - 1, tenant.id],
    );
    const categories = `ARRAY[${CATEGORY_IDS.map((c) => `'${c}'`).join(',')}]::text[]`;
    const statuses = `ARRAY['received','acknowledged','assessment','investigation','decision','closed','closed','closed','reopened']::text[]`;
    // Metadata that looks like a council's years of cases: dates spread over three years, most closed,
    // most of the open ones assigned. References look random, as intake's are (a bijective scramble of
    // the row number, so they never repeat, and a search by reference prefix finds a few cases, not a
    // council's every case); the '0' in each can never be in one intake makes (case-reference.ts).
    const caseRows = (tenantExpr: string, from: string, assignees: string) => `
      INSERT INTO cases (tenant_id, reference, category, status, outcome, received_at, acknowledgement_due,
                         feedback_due, channel, acknowledged_on, closed_on, assignee_id, assigned_on)
      SELECT tenant_id, ref, category, status,
             CASE WHEN status = 'closed' THEN 'no_further_action' END,
             received, (received + interval '7 days')::date, (received + interval '3 months')::date, 'web',
             CASE WHEN status <> 'received' THEN (received + interval '3 days')::date END,
             CASE WHEN status = 'closed' THEN (received + interval '4 months')::date END,
             assignee, CASE WHEN assignee IS NOT NULL THEN (received + interval '2 days')::date END
        FROM (SELECT tenant_id,
                     'NLN-' || substr(h, 1, 4) || '-0' || substr(h, 5, 3) AS ref,
                     (${categories})[1 + (i * 7) % ${CATEGORY_IDS.length}] AS category,
                     (${statuses})[1 + (i * 13) % 9] AS status,
                     date_trunc('hour', now() - ((i::bigint * 7919) % 26280) * interval '1 hour') AS received,
                     ${assignees} AS assignee
                FROM (SELECT i, ${tenantExpr} AS tenant_id, lpad(upper(to_hex((i::bigint * 2654435761) % 268435456)), 7, '0') AS h FROM ${from}) s) c`;
    await owner.query(
      caseRows(
        `'${tenant.id}'::uuid`,
        `generate_series(1, ${scale.councilCases}) i`,
        `CASE WHEN i % 10 < 7 THEN ('{${investigators.join(',')}}'::uuid[])[1 + i % ${investigators.length}] END`,
      ),
    );
    // Grants for the council's cases, as routing and assignment leave them: report and internal to the
    // monitoring officer and to the assignee (or the first investigator), identity to the monitoring
    // officer, every scope to escrow. Dummy key bytes: these cases are listed, never opened.
    await owner.query(
      `INSERT INTO case_grants (tenant_id, case_id, scope, grantee_kind, grantee_id, encrypted_scope_key)
       SELECT c.tenant_id, c.id, g.scope, g.kind, g.who, '\\x00'::bytea
         FROM cases c
        CROSS JOIN LATERAL (VALUES ('report', 'staff', $2::uuid), ('internal', 'staff', $2::uuid),
                                   ('identity', 'staff', $2::uuid),
                                   ('report', 'staff', coalesce(c.assignee_id, $3::uuid)),
                                   ('internal', 'staff', coalesce(c.assignee_id, $3::uuid)),
                                   ('report', 'escrow', NULL), ('internal', 'escrow', NULL),
                                   ('identity', 'escrow', NULL)) AS g(scope, kind, who)
        WHERE c.tenant_id = $1`,
      [tenant.id, monitoringOfficer.id, investigators[1]],
    );
    // The rest of the country, spread evenly over the filler councils, each case with its escrow grants.
    const filler = scale.totalCases - scale.councilCases;
    await owner.query(
      `CREATE TEMP TABLE filler AS SELECT id, row_number() OVER (ORDER BY slug) - 1 AS n FROM tenants WHERE slug LIKE 'filler-%'`,
    );
    await owner.query(
      caseRows(
        `f.id`,
        `generate_series(1, ${filler}) i JOIN filler f ON f.n = i % ${scale.councils - 1}`,
        'NULL::uuid',
      ),
    );
    await owner.query(
      `INSERT INTO case_grants (tenant_id, case_id, scope, grantee_kind, grantee_id, encrypted_scope_key)
       SELECT c.tenant_id, c.id, s.scope, 'escrow', NULL, '\\x00'::bytea
         FROM cases c JOIN filler f ON f.id = c.tenant_id
        CROSS JOIN (VALUES ('report'), ('internal')) AS s(scope)`,
    );

    // Real cases the investigator opens: a 4 KB report and 20 messages each way, encrypted as intake does.
    const [tenantRow] = (
      await owner.query(`SELECT escrow_public_key FROM tenants WHERE id = $1`, [tenant.id])
    ).rows as { escrow_public_key: string }[];
    const keyOf = async (userId: string) =>
      (
        (await owner.query(`SELECT public_key FROM staff_users WHERE id = $1`, [userId])).rows[0] as {
          public_key: string;
        }
      ).public_key;
    const staff: Grantee[] = [
      { kind: 'staff', userId: monitoringOfficer.id, publicKey: await keyOf(monitoringOfficer.id) },
      { kind: 'staff', userId: investigator.id, publicKey: await keyOf(investigator.id) },
    ];
    const escrow: Grantee = { kind: 'escrow', userId: null, publicKey: tenantRow?.escrow_public_key ?? '' };
    const store = new CaseStoreService();
    const openable: string[] = [];
    for (let n = 0; n < scale.openedCases; n++) {
      openable.push(
        await dataSource.transaction(async (m) => {
          await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
          const created = await store.create(m, {
            tenantId: tenant.id,
            category: 'fraud_theft',
            receivedAt: new Date(),
            grantees: {
              report: [...staff, escrow],
              internal: [...staff, escrow],
              identity: [staff[0] as Grantee, escrow],
            },
          });
          const receipt = `bench-${n}`;
          const reporterKey = await createReporterKey(receipt);
          await m.query(
            `INSERT INTO reporter_keys (case_id, tenant_id, lookup_key, public_key, locked_private_key, salt)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              created.id,
              tenant.id,
              receiptLookupKey(secrets.receiptPepper, receipt),
              Buffer.from(reporterKey.publicKey),
              Buffer.from(reporterKey.lockedPrivateKey),
              Buffer.from(reporterKey.salt),
            ],
          );
          // The report and its messages as items in the report scope, written directly like the test
          // fixtures' (no audit entry, no outbox row: the workers never hear of a seeded case).
          const [key] = await m.query(
            `SELECT public_key FROM case_scope_keys WHERE case_id = $1 AND scope = 'report'`,
            [created.id],
          );
          const reportKey = new Uint8Array(key.public_key);
          const addItem = async (kind: string, author: string | null, body: unknown) =>
            m.query(
              `INSERT INTO case_items (tenant_id, case_id, scope, kind, author_kind, author_id, ciphertext)
               VALUES ($1, $2, 'report', $3, $4, $5, $6)`,
              [
                tenant.id,
                created.id,
                kind,
                author ? 'staff' : 'reporter',
                author,
                Buffer.from(await encryptToScope(packJson(body), reportKey)),
              ],
            );
          await addItem('report', null, {
            answers: { whatHappened: REPORT_TEXT, when: 'last spring' },
            involves: [],
          });
          for (let i = 0; i < MESSAGES_PER_CASE; i++) {
            const fromReporter = i % 2 === 0;
            await addItem('message', fromReporter ? null : investigator.id, {
              text: `Message ${i}: ${REPORT_TEXT.slice(0, 600)}`,
              attachments: [],
            });
          }
          return created.reference;
        }),
      );
    }
    await recordPastTimers(owner);
    // A database in service has been vacuumed (autovacuum): the visibility map lets index-only scans
    // skip the heap, as they would in production.
    await owner.query('VACUUM ANALYZE');
    return { slug, tenantId: tenant.id, monitoringOfficer, investigator, openable };
  } finally {
    await owner.end();
    await dataSource.destroy();
  }
}

/**
 * The seeded cases' SLA timers whose day has passed, recorded as fired (`sla_events`), as a council's
 * database in service has them: each fired, and notified its people, on its day. Without them the
 * workers' first pass over the clocks (sla-reconciler.ts, run at start when Redis is empty) finds every
 * seeded open case's past reminders and breaches unfired and fires them all at once (an audit entry and
 * notices each): a small-scale run spent minutes of half a core, with Postgres beside it, on the
 * seed's backlog, under every figure measured meanwhile (docs/performance.md "Where intake's time
 * goes"). Timers still to come are left to the reconciler, which only schedules them. The council's
 * policy is the default (the seed sets none) and no seeded case has a recommendation.
 */
async function recordPastTimers(owner: Client): Promise<void> {
  const today = toLondonDate(new Date());
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await owner.query(
      `SELECT id, tenant_id, category, status, received_at, acknowledged_on::text, feedback_given_on::text,
              reopened_on::text, assignee_id, assigned_on::text, ownership_confirmed_on::text,
              plan_target_date::text
         FROM ONLY cases WHERE id > $1 AND status <> 'closed' AND destroyed_on IS NULL ORDER BY id LIMIT 10000`,
      [after],
    );
    if (rows.length === 0) return;
    after = rows[rows.length - 1].id;
    const fired = rows
      .flatMap((r) =>
        timersFor(
          {
            id: r.id,
            tenantId: r.tenant_id,
            category: r.category,
            status: r.status,
            receivedAt: r.received_at,
            acknowledgedOn: r.acknowledged_on,
            feedbackGivenOn: r.feedback_given_on,
            reopenedOn: r.reopened_on,
            assigneeId: r.assignee_id,
            assignedOn: r.assigned_on,
            ownershipConfirmedOn: r.ownership_confirmed_on,
            planTargetDate: r.plan_target_date,
          },
          DEFAULT_SLA_POLICY,
          { reminderDays: 7, recommendationsDue: [] },
        ),
      )
      .filter((t) => compareLocalDates(t.firesOn, today) <= 0);
    await owner.query(
      `INSERT INTO sla_events (tenant_id, case_id, kind, due_on, fired_on)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::date[]) ON CONFLICT DO NOTHING`,
      [
        fired.map((t) => t.tenantId),
        fired.map((t) => t.caseId),
        fired.map((t) => t.kind),
        fired.map((t) => t.due),
        fired.map((t) => t.firesOn),
      ],
    );
  }
}
