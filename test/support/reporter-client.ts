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

/**
 * The parts of a receipt that a page's text or markup shows: any two of its words in a row, however
 * marked up or spaced. One word alone is a common English word (the EFF list's) that a page's own text
 * may hold by chance, as "able" is in "available", so a test asserting that a receipt is not shown
 * expects this to be empty.
 */
export function receiptShownIn(page: string, receipt: string): string[] {
  const flat = page.replace(/<[^>]*>/g, '').replace(/\s+/g, '');
  const words = receipt.trim().split(/\s+/);
  return words
    .slice(1)
    .map((word, i) => words[i] + word)
    .filter((pair) => flat.includes(pair));
}
