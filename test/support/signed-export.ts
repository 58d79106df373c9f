/**
 * An export as its recipient opens it: registers a fresh OpenPGP key for the user, asks for the case's
 * export, checks the council's signature over it and decrypts it (libs/crypto's reader, as a recipient
 * would), and returns the archive's files (`case.json`, `case.md`, the evidence).
 */
import type { Server } from 'node:http';
import { unzipSync } from 'fflate';
import request from 'supertest';
import {
  generateStaffKeyPair,
  PublicKeyHandle,
  unlockPrivateKey,
  verifyAndDecryptBinaryExport,
} from '@nolan/crypto';

const collect = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (chunk: Buffer) => chunks.push(chunk));
  (res as unknown as NodeJS.ReadableStream).on('end', () => done(null, Buffer.concat(chunks)));
};

export async function exportedArchive(
  server: Server,
  input: { token: string; reference: string; tenantSlug: string; email: string; name: string },
): Promise<Record<string, Uint8Array>> {
  const keys = await generateStaffKeyPair({
    name: input.name,
    email: input.email,
    passphrase: 'export passphrase',
  });
  await request(server)
    .put('/api/v1/me/openpgp-key')
    .auth(input.token, { type: 'bearer' })
    .send({ armoredPublicKey: keys.publicKey })
    .expect(200);
  const exported = await request(server)
    .post(`/api/v1/cases/${input.reference}/exports`)
    .auth(input.token, { type: 'bearer' })
    .buffer(true)
    .parse(collect)
    .expect(201);
  const signingKey = await request(server).get(`/api/v1/tenants/${input.tenantSlug}/signing-key`).expect(200);
  const { content } = await verifyAndDecryptBinaryExport({
    message: new Uint8Array(exported.body as Buffer),
    recipient: await unlockPrivateKey(keys.encryptedPrivateKey, 'export passphrase'),
    signer: await PublicKeyHandle.parse(signingKey.text),
  });
  return unzipSync(content);
}
