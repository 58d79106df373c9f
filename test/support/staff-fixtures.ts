/**
 * Tenants and staff users for e2e suites, made through the same provisioning code as the operator
 * CLI, each suite under its own tenant so suites never depend on one another's data.
 */
import { randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { encryptToScope } from '@nolan/crypto';
import type { CategoryId } from '@nolan/domain';
import { CaseStoreService, type Grantee } from '../../apps/api/src/cases/store/case-store.service';
import { packJson } from '../../apps/api/src/cases/record/item-codec';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { createStaffUser, createTenant } from '../../apps/api/src/staff/staff-provisioning';
import { TEST_ENV } from './test-env';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  totpSecret?: string;
  roles: string[];
}

export class StaffFixtures {
  private constructor(readonly dataSource: DataSource) {}

  /** On the worker's test database, or on another one (`url`, as the app role). */
  static async open(url: string = TEST_ENV.DATABASE_URL): Promise<StaffFixtures> {
    const dataSource = createDataSource(url);
    await dataSource.initialize();
    return new StaffFixtures(dataSource);
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }

  /** The staff holding any grant of a council's case, by id, sorted. */
  async staffGrantees(tenantId: string, reference: string): Promise<string[]> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      const rows: { grantee_id: string }[] = await m.query(
        `SELECT DISTINCT g.grantee_id FROM case_grants g JOIN cases c ON c.id = g.case_id
         WHERE c.reference = $1 AND g.grantee_kind = 'staff'`,
        [reference],
      );
      return rows.map((r) => r.grantee_id).sort();
    });
  }

  async tenant(prefix: string): Promise<{ id: string; slug: string; escrowRecoveryPassphrase: string }> {
    const slug = `${prefix}-${randomBytes(3).toString('hex')}`;
    const created = await this.dataSource.transaction((m) =>
      createTenant(m, { slug, name: `${prefix} council` }),
    );
    return { id: created.tenant.id, slug, escrowRecoveryPassphrase: created.escrowRecoveryPassphrase };
  }

  /**
   * A case in the encrypted store, its report and internal scopes granted to `staffIds` and the
   * escrow key, its identity scope to the escrow key only.
   */
  async case(
    tenantId: string,
    input: { category: CategoryId; staffIds: Iterable<string>; report: unknown },
  ): Promise<{ id: string; reference: string }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
      const [tenant] = await m.query(`SELECT escrow_public_key FROM tenants WHERE id = $1`, [tenantId]);
      const staff: Grantee[] = [];
      for (const userId of input.staffIds) {
        const [row] = await m.query(`SELECT public_key FROM staff_users WHERE id = $1`, [userId]);
        staff.push({ kind: 'staff', userId, publicKey: row.public_key });
      }
      const escrow: Grantee = { kind: 'escrow', userId: null, publicKey: tenant.escrow_public_key };
      const created = await new CaseStoreService().create(m, {
        tenantId,
        category: input.category,
        receivedAt: new Date(),
        grantees: { report: [...staff, escrow], internal: [...staff, escrow], identity: [escrow] },
      });
      // Only the report item, as these cases have always had: no creation entry and no outbox row, so
      // the workers never hear of a fixture case (the recorder writes all three for real reports).
      const [key] = await m.query(
        `SELECT public_key FROM case_scope_keys WHERE case_id = $1 AND scope = 'report'`,
        [created.id],
      );
      await m.query(
        `INSERT INTO case_items (tenant_id, case_id, scope, kind, author_kind, ciphertext)
         VALUES ($1, $2, 'report', 'report', 'reporter', $3)`,
        [
          tenantId,
          created.id,
          Buffer.from(await encryptToScope(packJson(input.report), new Uint8Array(key.public_key))),
        ],
      );
      return created;
    });
  }

  async user(
    tenantId: string,
    roles: string[],
    options: { enrolTotp?: boolean; password?: string; name?: string } = {},
  ): Promise<TestUser> {
    const email = `${roles.join('-').replace(/_/g, '-')}-${randomBytes(3).toString('hex')}@example.org`;
    const created = await this.dataSource.transaction((m) =>
      createStaffUser(m, TEST_ENV.SESSION_SECRET, {
        tenantId,
        email,
        name: options.name ?? `Test ${roles.join(' ')}`,
        roles,
        enrolTotp: options.enrolTotp ?? true,
        password: options.password,
      }),
    );
    return { id: created.user.id, email, password: created.password, totpSecret: created.totpSecret, roles };
  }
}

/**
 * A TOTP code for the current 30-second step, or one step either side (the server accepts a window of
 * one), so a test can sign in up to three times without reusing a code.
 */
export function totpCode(secret: string, step: -1 | 0 | 1 = 0): string {
  return authenticator.clone({ epoch: Date.now() + step * 30_000 }).generate(secret);
}

/**
 * The codes each user has signed in with, in this suite: the API accepts a code once, and a step asked
 * for (say -1, after an earlier sign-in at 0) names the code already used when the 30-second step has
 * turned between the two sign-ins, so the step asked for is only a preference.
 */
const usedCodes = new Map<string, Set<string>>();

/**
 * A code for `user`, at the step preferred or another one the API accepts, not yet used to sign them in
 * in this suite (`signInAs`, and the browser's `signInAsStaff`); `totpCodeUsed` notes a sign-in it made.
 */
export function unusedTotpCode(user: TestUser, preferred: -1 | 0 | 1 = 0): string {
  const used = usedCodes.get(user.id);
  for (const step of [preferred, 0, 1, -1] as const) {
    const code = totpCode(user.totpSecret!, step);
    if (!used?.has(code)) return code;
  }
  throw new Error(`every code the API would accept now has been used to sign ${user.email} in`);
}

/** Notes that `code` signed `user` in (the API will not take it again). */
export function totpCodeUsed(user: TestUser, code: string): void {
  const used = usedCodes.get(user.id) ?? new Set<string>();
  usedCodes.set(user.id, used.add(code));
}

/** Signs a fixture user in over HTTP and returns their bearer token. */
export async function signInAs(
  server: unknown,
  slug: string,
  user: TestUser,
  step: -1 | 0 | 1 = 0,
): Promise<string> {
  const totp = user.totpSecret ? unusedTotpCode(user, step) : undefined;
  const res = await request(server as Parameters<typeof request>[0])
    .post(`/api/v1/tenants/${slug}/sessions`)
    .send({ email: user.email, password: user.password, totp });
  if (res.status === 201 && totp) totpCodeUsed(user, totp);
  if (res.status !== 201)
    throw new Error(`sign-in failed for ${user.email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** The API as one signed-in member of staff calls it: `/api/v1` paths with their bearer token. */
export function bearerApi(server: unknown, token: string) {
  const call = () => request(server as Parameters<typeof request>[0]);
  return {
    get: (path: string) => call().get(`/api/v1${path}`).auth(token, { type: 'bearer' }),
    post: (path: string, body: object = {}) =>
      call().post(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
    put: (path: string, body: object) =>
      call().put(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) =>
      call().patch(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
  };
}
