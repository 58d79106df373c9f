/**
 * A thief with a full pg_dump and a copy of every Redis key, taken while staff are signed in, gets no
 * private key in usable form and no session key (docs/architecture.md "Encryption model").
 */
import { execFileSync } from 'node:child_process';
import { hkdfSync } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { isLockedPrivateKey, unlockPrivateKey } from '@nolan/crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { startApi } from '../support/api-app';
import { StaffFixtures, totpCode } from '../support/staff-fixtures';
import { redisContents } from '../support/redis-contents';
import { TEST_ENV } from '../support/test-env';

function encodings(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  return [
    buffer.toString('base64'),
    buffer.toString('base64url'),
    buffer.toString('hex'),
    buffer.toString('latin1'),
  ];
}

describe('a stolen database and Redis', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  const redis = new Redis(TEST_ENV.REDIS_URL);

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
  });
  afterAll(async () => {
    redis.disconnect();
    await fixtures.close();
    await app.close();
  });

  it('hold no private key in usable form and no session key while staff are signed in', async () => {
    const tenant = await fixtures.tenant('dump');
    const user = await fixtures.user(tenant.id, ['investigator']);
    const signIn = await request(app.getHttpServer())
      .post(`/api/v1/tenants/${tenant.slug}/sessions`)
      .send({ email: user.email, password: user.password, totp: totpCode(user.totpSecret!) })
      .expect(201);
    const [sessionId, secretText] = signIn.body.token.split('.') as [string, string];
    const secret = Buffer.from(secretText, 'base64url');
    const sessionKey = Buffer.from(
      hkdfSync('sha256', secret, Buffer.from(sessionId), 'nolan/session-key/v1', 32),
    );

    const database = new URL(TEST_ENV.MIGRATION_DATABASE_URL).pathname.slice(1);
    const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--no-owner', database], {
      encoding: 'latin1',
      maxBuffer: 512 * 1024 * 1024,
    });
    const cache = await redisContents(redis);
    const stolen = `${dump}\n${cache}`;

    // The session is really there (the thief has its entry), yet neither its secret nor its key is.
    expect(cache).toContain(sessionId);
    for (const form of [secretText, ...encodings(secret), ...encodings(sessionKey)])
      expect(stolen).not.toContain(form);

    // Every private key in the dump is locked; this user's unlocked key appears in no encoding.
    const blocks =
      dump.match(/-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]+?-----END PGP PRIVATE KEY BLOCK-----/g) ?? [];
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) expect(await isLockedPrivateKey(block.replace(/\\n/g, '\n'))).toBe(true);
    const unlocked = (
      await unlockPrivateKey(await fixturesPrivateKey(fixtures, tenant.id, user.id), user.password)
    ).serialize();
    for (const form of encodings(unlocked)) expect(stolen).not.toContain(form);

    // Nor is the password or the TOTP secret.
    expect(stolen).not.toContain(user.password);
    expect(stolen).not.toContain(user.totpSecret);
  });
});

async function fixturesPrivateKey(
  fixtures: StaffFixtures,
  tenantId: string,
  userId: string,
): Promise<string> {
  return fixtures.dataSource.transaction(async (m) => {
    await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenantId]);
    const rows = await m.query(`SELECT private_key_encrypted FROM staff_users WHERE id = $1`, [userId]);
    return rows[0].private_key_encrypted as string;
  });
}
