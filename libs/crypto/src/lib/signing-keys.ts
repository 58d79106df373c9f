// Why this exists: a case export must say who made it. Each tenant has its own OpenPGP signing key, and
// everything it exports is signed with it, so a recipient (or a court, an auditor, an ombudsman) can check
// with any OpenPGP tool that an export came from this council's Nolan and was not altered on the way.
// Implements docs/architecture.md "Exports" ("signed by the tenant").
//
// The key is sign-only: an EdDSA (legacy Ed25519) primary key and no encryption subkey, so nobody can
// mistake the published key for somewhere to send confidential material that no person would ever read.
// Same key version and curve as every other key here (v4, curve25519Legacy): GnuPG 2.2 imports it and
// verifies its signatures.
//
// The private key leaves this library as unencrypted binary OpenPGP packets for the caller to seal under
// its own server-held secret (the API does, with AES-256-GCM; see apps/api/src/tenants). It is not
// protected with an OpenPGP passphrase because the only protection worth having here is a secret held
// outside the database, and the Argon2 S2K that staff keys use would cost ~0.4 s on every cold unlock.
import { generateKey } from 'openpgp';
import { rememberPublicKey } from './key-handles';
import { FULL_PGP_CONFIG, packetDate, PGP_CONFIG } from './openpgp-settings';

export interface SigningKeyMaterial {
  /** ASCII-armored public key: what the tenant publishes for recipients to verify exports. */
  publicKey: string;
  /** Binary, *unencrypted* OpenPGP private key: the caller must seal it before storing it. */
  privateKey: Uint8Array;
  /** Lower-case hex v4 fingerprint (40 characters) of the key. */
  fingerprint: string;
}

/** A sign-only v4 Ed25519 key pair named for the tenant (its user ID is public: no personal data in it). */
export async function generateSigningKeyPair(userID: {
  name: string;
  email?: string;
}): Promise<SigningKeyMaterial> {
  if (typeof userID?.name !== 'string' || userID.name.trim() === '') {
    throw new TypeError('A signing key needs a name.');
  }
  const { privateKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userID],
    subkeys: [],
    date: packetDate(),
    format: 'object',
    config: PGP_CONFIG,
  });
  const publicKey = privateKey.toPublic();
  const armored = publicKey.armor(FULL_PGP_CONFIG);
  rememberPublicKey(armored, publicKey);
  return { publicKey: armored, privateKey: privateKey.write(), fingerprint: privateKey.getFingerprint() };
}
