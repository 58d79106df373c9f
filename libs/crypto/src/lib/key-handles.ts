// Why this exists: parsing an OpenPGP key costs more than using it, and a parsed openpgp object must not
// leak into the API app (only libs/crypto may depend on openpgp, see docs/conventions.md §1). So keys cross
// the library boundary as opaque handles: a PublicKeyHandle for anyone we encrypt to or verify, an
// UnlockedKey for a private key that has been decrypted (a staff key at login, the reporter's key under
// their receipt, a scope key taken out of a grant). The parsed object lives in an ECMAScript private
// field, so it cannot be reached, logged or JSON-serialised from outside.
//
// Parsed public keys are also remembered (bounded, least recently used first out, keyed by a SHA-256 of
// the exact input): openpgp's parser costs about a millisecond per key, and the same few public keys (a
// case's scopes, its grantees) are parsed again and again. Keys this library generates are remembered
// from birth, so the intake path never parses what it has just made. Public keys only: no private key is
// kept beyond the handle its caller holds (the node:crypto copies x25519-session-key.ts and
// eddsa-signatures.ts import from a private key are kept beside its key packet, in WeakMaps, and go with
// it).
// Implements docs/architecture.md "Encryption model" (staff keys kept unlocked only in a server-side
// session).
import { createHash } from 'node:crypto';
import { readKey, readPrivateKey } from 'openpgp';
import type { PrivateKey, PublicKey } from 'openpgp';
import { CryptoError, orFail } from './crypto-error';
import { FULL_PGP_CONFIG, PGP_CONFIG, validAt } from './openpgp-settings';

// Module-internal doors into the handles, opened in the classes' static blocks so that only files of this
// library (which import them from here, not from index.ts) can build a handle or reach the parsed key.
let wrapPublic!: (key: PublicKey) => PublicKeyHandle;
let wrapPrivate!: (key: PrivateKey) => UnlockedKey;
let unwrapPublic!: (handle: PublicKeyHandle) => PublicKey;
let unwrapPrivate!: (handle: UnlockedKey) => PrivateKey;

const PARSED_PUBLIC_KEY_LIMIT = 1024;
const parsedPublicKeys = new Map<string, PublicKey>();

function publicKeyCacheKey(input: string | Uint8Array): string {
  const hash = createHash('sha256');
  if (typeof input === 'string') hash.update('armored\0').update(input, 'utf8');
  else hash.update('binary\0').update(input);
  return hash.digest('base64');
}

function recallPublicKey(cacheKey: string): PublicKey | undefined {
  const key = parsedPublicKeys.get(cacheKey);
  if (key) {
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    parsedPublicKeys.delete(cacheKey);
    parsedPublicKeys.set(cacheKey, key);
  }
  return key;
}

function rememberParsedPublicKey(cacheKey: string, key: PublicKey): void {
  parsedPublicKeys.set(cacheKey, key);
  if (parsedPublicKeys.size > PARSED_PUBLIC_KEY_LIMIT) {
    const oldest = parsedPublicKeys.keys().next();
    if (!oldest.done) parsedPublicKeys.delete(oldest.value);
  }
}

/** Records a public key this library has just generated under the serialised form it hands out. */
export function rememberPublicKey(serialised: string | Uint8Array, key: PublicKey): void {
  rememberParsedPublicKey(publicKeyCacheKey(serialised), key);
}

export class PublicKeyHandle {
  static {
    wrapPublic = (key) => new PublicKeyHandle(key);
    unwrapPublic = (handle) => handle.#key;
  }

  readonly #key: PublicKey;
  /** Lower-case hex v4 fingerprint (40 characters) of the primary key. */
  readonly fingerprint: string;

  private constructor(key: PublicKey) {
    this.#key = key;
    this.fingerprint = key.getFingerprint();
  }

  /**
   * Reads an OpenPGP public key, armored or binary (a private key is accepted and reduced to its public
   * part). Rejects with INVALID_KEY if it does not parse or its primary key is revoked, expired or has no
   * valid self-signature. Whether it can encrypt is checked when it is used.
   */
  static async parse(armoredOrBinary: string | Uint8Array): Promise<PublicKeyHandle> {
    if (typeof armoredOrBinary !== 'string' && !(armoredOrBinary instanceof Uint8Array)) {
      throw new CryptoError('INVALID_KEY');
    }
    const cacheKey = publicKeyCacheKey(armoredOrBinary);
    const key = await orFail('INVALID_KEY', async () => {
      const known = recallPublicKey(cacheKey);
      const parsed =
        known ??
        (typeof armoredOrBinary === 'string'
          ? await readKey({ armoredKey: armoredOrBinary, config: PGP_CONFIG })
          : await readKey({ binaryKey: armoredOrBinary, config: PGP_CONFIG }));
      const publicKey = parsed.isPrivate() ? parsed.toPublic() : parsed;
      // Checked on every parse, cached or not: a key can expire while remembered.
      await publicKey.verifyPrimaryKey(validAt(), undefined, FULL_PGP_CONFIG);
      if (!known) rememberParsedPublicKey(cacheKey, publicKey);
      return publicKey;
    });
    return new PublicKeyHandle(key);
  }

  /** The key as binary OpenPGP packets (what to store). */
  toBinary(): Uint8Array {
    return this.#key.write();
  }

  /** The key ASCII-armored (what to show or hand to another OpenPGP tool). */
  toArmored(): string {
    return this.#key.armor(FULL_PGP_CONFIG);
  }

  toJSON(): { fingerprint: string } {
    return { fingerprint: this.fingerprint };
  }
}

export class UnlockedKey {
  static {
    wrapPrivate = (key) => new UnlockedKey(key);
    unwrapPrivate = (handle) => handle.#key;
  }

  readonly #key: PrivateKey;
  #publicKey: PublicKeyHandle | undefined;
  /** Lower-case hex v4 fingerprint (40 characters) of the primary key. */
  readonly fingerprint: string;

  private constructor(key: PrivateKey) {
    this.#key = key;
    this.fingerprint = key.getFingerprint();
  }

  /**
   * The private key as *unencrypted* binary OpenPGP packets, for the caller to wrap in its own session
   * encryption. Never store or log these bytes as they are.
   */
  serialize(): Uint8Array {
    return this.#key.write();
  }

  /** Reads bytes written by serialize(); INVALID_KEY if they are not an unencrypted OpenPGP private key. */
  static async fromSerialized(bytes: Uint8Array): Promise<UnlockedKey> {
    return new UnlockedKey(await readUnencryptedPrivateKey(bytes));
  }

  /** The public half, for granting to this key or verifying its signatures. */
  publicKey(): PublicKeyHandle {
    this.#publicKey ??= wrapPublic(this.#key.toPublic());
    return this.#publicKey;
  }

  toJSON(): { fingerprint: string } {
    return { fingerprint: this.fingerprint };
  }
}

export async function readUnencryptedPrivateKey(bytes: Uint8Array): Promise<PrivateKey> {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('INVALID_KEY');
  const key = await orFail('INVALID_KEY', () => readPrivateKey({ binaryKey: bytes, config: PGP_CONFIG }));
  if (!isFullyDecrypted(key)) throw new CryptoError('INVALID_KEY');
  return key;
}

// openpgp's own isDecrypted() is true when *any* key packet is; we need every secret packet usable.
function isFullyDecrypted(key: PrivateKey): boolean {
  return key.isDecrypted() && key.getKeys().every(({ keyPacket }) => keyPacket.isDecrypted() !== false);
}

export function publicKeyHandleOf(key: PublicKey): PublicKeyHandle {
  return wrapPublic(key);
}

export function unlockedKeyOf(key: PrivateKey): UnlockedKey {
  return wrapPrivate(key);
}

export function publicKeyOf(handle: PublicKeyHandle): PublicKey {
  if (!(handle instanceof PublicKeyHandle)) throw new CryptoError('INVALID_KEY');
  return unwrapPublic(handle);
}

export function privateKeyOf(handle: UnlockedKey): PrivateKey {
  if (!(handle instanceof UnlockedKey)) throw new CryptoError('INVALID_KEY');
  return unwrapPrivate(handle);
}
