/** What a reporter's browser does: fetch a proof-of-work challenge and solve it (ALTCHA format). */
import { solveChallenge } from 'altcha-lib';
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
  const solution = await solveChallenge(
    challenge.challenge,
    challenge.salt,
    challenge.algorithm,
    challenge.maxnumber,
  ).promise;
  if (!solution) throw new Error('could not solve the challenge');
  const payload = {
    algorithm: challenge.algorithm,
    challenge: challenge.challenge,
    number: solution.number,
    salt: challenge.salt,
    signature: challenge.signature,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}
