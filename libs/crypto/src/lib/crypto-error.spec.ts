// Pins the error vocabulary the API maps to HTTP answers, and proves the messages carry no input and no
// openpgp text (docs/architecture.md "Encryption model"; docs/conventions.md §3: no internals in errors).
import { CRYPTO_ERROR_CODES, CryptoError, isCryptoError, orFail } from './crypto-error';

describe('CryptoError', () => {
  // Pinned on purpose: the API maps each code to a status; a new code must be classed there too.
  it('covers every error code exactly once', () => {
    expect([...CRYPTO_ERROR_CODES].sort()).toEqual(
      [
        'INVALID_KEY',
        'INVALID_MESSAGE',
        'NOT_A_RECIPIENT',
        'TAMPERED',
        'WRONG_PASSPHRASE',
        'WRONG_RECEIPT',
      ].sort(),
    );
    expect(new Set(CRYPTO_ERROR_CODES).size).toBe(CRYPTO_ERROR_CODES.length);
  });

  it('gives each code its own fixed message that names nothing of openpgp', () => {
    const messages = CRYPTO_ERROR_CODES.map((code) => new CryptoError(code).message);
    expect(new Set(messages).size).toBe(CRYPTO_ERROR_CODES.length);
    for (const message of messages) expect(message).not.toMatch(/openpgp|packet|s2k|mdc/i);
  });

  it('is an Error named CryptoError that isCryptoError recognises by code', () => {
    const error = new CryptoError('TAMPERED');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CryptoError');
    expect(isCryptoError(error)).toBe(true);
    expect(isCryptoError(error, 'TAMPERED')).toBe(true);
    expect(isCryptoError(error, 'INVALID_KEY')).toBe(false);
    expect(isCryptoError(new Error('TAMPERED'))).toBe(false);
  });

  it('replaces a foreign error with the fallback code and drops its text', async () => {
    const failure = orFail('INVALID_KEY', async () => {
      throw new Error('Error decrypting message: Session key decryption failed.');
    });
    await expect(failure).rejects.toMatchObject({
      code: 'INVALID_KEY',
      message: new CryptoError('INVALID_KEY').message,
    });
    await expect(failure).rejects.not.toHaveProperty('cause');
  });

  it('keeps the code of a CryptoError raised inside the step', async () => {
    const failure = orFail('INVALID_KEY', async () => {
      throw new CryptoError('NOT_A_RECIPIENT');
    });
    await expect(failure).rejects.toMatchObject({ code: 'NOT_A_RECIPIENT' });
  });
});
