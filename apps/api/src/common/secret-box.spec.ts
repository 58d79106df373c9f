import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('m'.repeat(40), 'totp');

  it('opens what it sealed', () => {
    expect(box.open(box.seal('JBSWY3DPEHPK3PXP'))).toBe('JBSWY3DPEHPK3PXP');
  });

  it('never contains the plaintext and differs each time', () => {
    const a = box.seal('JBSWY3DPEHPK3PXP');
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP')).not.toBe(a);
  });

  it('refuses a sealed secret from another master secret or purpose', () => {
    const sealed = box.seal('secret');
    expect(() => new SecretBox('n'.repeat(40), 'totp').open(sealed)).toThrow();
    expect(() => new SecretBox('m'.repeat(40), 'other').open(sealed)).toThrow();
  });

  it('detects tampering', () => {
    const raw = Buffer.from(box.seal('secret'), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open(raw.toString('base64url'))).toThrow();
  });
});
