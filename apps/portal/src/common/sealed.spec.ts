import { Sealer } from './sealed';

describe('Sealer', () => {
  const sealer = new Sealer('a-test-secret-that-is-long-enough-0123456789');

  it('opens what it sealed, for the same purpose, before it expires', () => {
    const token = sealer.seal('reporter-draft', { category: 'fraud', answers: { a: 'ü' } }, 60);
    expect(sealer.open('reporter-draft', token)).toEqual({ category: 'fraud', answers: { a: 'ü' } });
  });

  it('refuses another purpose, an altered token, another secret and an expired token', () => {
    const now = Date.now();
    const token = sealer.seal('staff-session', 'token-123', 60, now);
    expect(sealer.open('reporter-session', token, now)).toBeUndefined();
    const bytes = Buffer.from(token, 'base64url');
    bytes[bytes.length - 1] ^= 1;
    expect(sealer.open('staff-session', bytes.toString('base64url'), now)).toBeUndefined();
    expect(new Sealer('another-secret-that-is-long-enough-012345678').open('staff-session', token, now)).toBeUndefined();
    expect(sealer.open('staff-session', token, now + 61_000)).toBeUndefined();
    expect(sealer.open('staff-session', 'garbage', now)).toBeUndefined();
    expect(sealer.open('staff-session', undefined, now)).toBeUndefined();
  });

  it('never shows the sealed value in the token', () => {
    const token = sealer.seal('reporter-draft', { text: 'MARKER-abc' }, 60);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('MARKER');
  });
});
