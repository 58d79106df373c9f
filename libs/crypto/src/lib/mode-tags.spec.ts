import { MODE_TAG_BYTES, MODE_TAG_MODES, modeOfTag, modeTag, modeTagKey } from './mode-tags';

const pepper = 'a receipt pepper of enough length';
const tenant = '11111111-1111-4111-8111-111111111111';
const caseId = '22222222-2222-4222-8222-222222222222';

describe('mode tags', () => {
  it('are the same length whatever the mode, and give the mode back only with the key', () => {
    const key = modeTagKey(pepper);
    for (const mode of MODE_TAG_MODES) {
      const tag = modeTag(key, tenant, caseId, mode);
      expect(tag.length).toBe(MODE_TAG_BYTES);
      expect(tag.toString('latin1')).not.toContain(mode);
      expect(modeOfTag(key, tenant, caseId, tag)).toBe(mode);
      expect(modeOfTag(modeTagKey(`${pepper}, another`), tenant, caseId, tag)).toBeNull();
    }
  });

  it('are bound to their council and case', () => {
    const key = modeTagKey(pepper);
    const tag = modeTag(key, tenant, caseId, 'anonymous');
    expect(modeOfTag(key, tenant, tenant, tag)).toBeNull();
    expect(modeOfTag(key, caseId, caseId, tag)).toBeNull();
    expect(modeOfTag(key, tenant, caseId, null)).toBeNull();
    expect(modeOfTag(key, tenant, caseId, tag.subarray(1))).toBeNull();
  });

  it('use a key of their own, not the pepper, and refuse a short pepper', () => {
    expect(Buffer.from(modeTagKey(pepper)).equals(Buffer.from(pepper).subarray(0, 32))).toBe(false);
    expect(() => modeTagKey('short')).toThrow(TypeError);
  });
});
