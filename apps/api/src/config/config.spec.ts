import { modeTagKey } from '@nolan/crypto';
import { ConfigError, loadConfig, requireApiSecrets } from './config';
import { modeTagKeyOf } from './mode-tag-key';

const secrets = {
  SESSION_SECRET: 's'.repeat(40),
  RECEIPT_PEPPER: 'p'.repeat(40),
  EXPORT_SIGNING_SECRET: 'e'.repeat(40),
  AUDIT_KEY: 'a'.repeat(40),
};

describe('loadConfig', () => {
  it('defaults Postgres and Redis to localhost', () => {
    const config = loadConfig({ ...secrets });
    expect(config.databaseUrl).toBe('postgres://nolan_app@127.0.0.1:5432/nolan');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.apiPort).toBe(3000);
    expect(config.exportSigningSecret).toBe('e'.repeat(40));
  });

  it('names every missing and invalid variable in one message', () => {
    let error: unknown;
    try {
      loadConfig({ API_PORT: 'abc', REDIS_URL: 'http://x', RECEIPT_PEPPER: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^Invalid environment variables: /);
    expect(message).toContain('SESSION_SECRET (missing)');
    expect(message).toContain('EXPORT_SIGNING_SECRET (missing)');
    expect(message).toContain('RECEIPT_PEPPER (invalid: must be at least 32 characters)');
    expect(message).toContain('API_PORT (invalid');
    expect(message).toContain('REDIS_URL (invalid: must be a redis:// URL)');
  });

  it('never prints a secret value in its message', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'tooshort-secret', RECEIPT_PEPPER: 'p'.repeat(40) })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('tooshort-secret') }),
    );
  });

  it('reads MODE_TAG_SECRET apart from the receipt pepper; the API alone requires it', () => {
    const worker = loadConfig({ ...secrets });
    expect(worker.modeTagSecret).toBeNull();
    expect(() => requireApiSecrets(worker)).toThrow('MODE_TAG_SECRET (missing)');
    expect(() => modeTagKeyOf(worker)).toThrow('MODE_TAG_SECRET (missing)');
    expect(() => loadConfig({ ...secrets, MODE_TAG_SECRET: 'short' })).toThrow(
      'MODE_TAG_SECRET (invalid: must be at least 32 characters)',
    );
    const api = loadConfig({ ...secrets, MODE_TAG_SECRET: 'm'.repeat(40) });
    expect(() => requireApiSecrets(api)).not.toThrow();
    const key = Buffer.from(modeTagKeyOf(api));
    expect(key.equals(Buffer.from(modeTagKey('m'.repeat(40))))).toBe(true);
    expect(key.equals(Buffer.from(modeTagKey('p'.repeat(40))))).toBe(false);
  });
});
