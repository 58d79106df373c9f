// Why this exists: callers of libs/crypto (the API, the workers) must branch on *what* went wrong —
// a wrong passphrase is a 401, a tampered ciphertext is an incident — without ever seeing openpgp's own
// error text, which can name packet types, key IDs or parser state and would end up in logs and HTTP
// bodies. Every failure leaving this library is a CryptoError with a fixed, content-free message.
// Implements docs/architecture.md "Encryption model" (and docs/conventions.md §3: no internals in errors).

export const CRYPTO_ERROR_CODES = [
  'WRONG_PASSPHRASE',
  'WRONG_RECEIPT',
  'TAMPERED',
  'NOT_A_RECIPIENT',
  'INVALID_KEY',
  'INVALID_MESSAGE',
] as const;

export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

// Fixed messages: nothing here may depend on the input or on the underlying library's error.
const MESSAGES: Record<CryptoErrorCode, string> = {
  WRONG_PASSPHRASE: 'The passphrase does not unlock this key.',
  WRONG_RECEIPT: 'The receipt does not unlock this report.',
  TAMPERED: 'The encrypted data failed its integrity check.',
  NOT_A_RECIPIENT: 'The key is not a recipient of this encrypted data.',
  INVALID_KEY: 'The key cannot be used: it is malformed, of the wrong kind, revoked or expired.',
  INVALID_MESSAGE: 'The data is not an encrypted message this system can read.',
};

export class CryptoError extends Error {
  override readonly name = 'CryptoError';

  // The cause is deliberately not kept: loggers serialise `cause`, and it would carry openpgp's text.
  constructor(readonly code: CryptoErrorCode) {
    super(MESSAGES[code]);
  }
}

export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}

/**
 * Runs an openpgp step and turns any failure into the given code. A CryptoError raised inside keeps its
 * own code, so nested steps can be more precise than the fallback.
 */
export async function orFail<T>(code: CryptoErrorCode, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    throw new CryptoError(code);
  }
}
