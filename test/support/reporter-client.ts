/**
 * What a reporter's browser does: fetch a proof-of-work challenge and solve it (ALTCHA format:
 * find n with SHA-256(salt + n) = challenge). Solved with node:crypto here, which is ~50× faster than
 * altcha-lib's WebCrypto loop in Node and keeps the suites quick; the server verifies either the same.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';

export async function solvedAltcha(
  server: unknown,
  slug: string,
  purpose: 'submission' | 'reporter-session' = 'submission',
): Promise<string> {
  const res = await request(server as Parameters<typeof request>[0])
    .get(`/api/v1/tenants/${slug}/challenge?purpose=${purpose}`)
    .expect(200);
  const challenge = res.body as {
    algorithm: string;
    challenge: string;
    maxnumber: number;
    salt: string;
    signature: string;
  };
  for (let number = 0; number <= challenge.maxnumber; number++) {
    if (
      createHash('sha256')
        .update(challenge.salt + number)
        .digest('hex') === challenge.challenge
    ) {
      const payload = {
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number,
        salt: challenge.salt,
        signature: challenge.signature,
      };
      return Buffer.from(JSON.stringify(payload)).toString('base64');
    }
  }
  throw new Error('could not solve the challenge');
}

/** Signs in with a receipt as the reporter's browser would (solving the proof of work); returns the token. */
export async function signInWithReceipt(server: unknown, slug: string, receipt: string): Promise<string> {
  const res = await request(server as Parameters<typeof request>[0])
    .post(`/api/v1/tenants/${slug}/reporter-sessions`)
    .send({ receipt, altcha: await solvedAltcha(server, slug, 'reporter-session') })
    .expect(201);
  return res.body.token as string;
}
