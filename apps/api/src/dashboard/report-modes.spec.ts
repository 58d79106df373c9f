import { modeTag, modeTagKey } from '@nolan/crypto';
import type { AppConfig } from '../config/config';
import type { CaseFacts } from './figures';
import { MODE_CACHE_LIMIT, ReportModes } from './report-modes';

const SECRET = 'a mode tag secret of the tests, long enough';
const TENANT = '00000000-0000-4000-8000-000000000001';
const key = modeTagKey(SECRET);
const facts = (id: string, tag: Buffer | null): CaseFacts => ({ id, modeTag: tag }) as unknown as CaseFacts;

describe('ReportModes', () => {
  it('recovers each mode with the mode tag key, and none for another council’s or no tag', () => {
    const sut = new ReportModes({ modeTagSecret: SECRET } as AppConfig);
    const cases = [
      facts('a', modeTag(key, TENANT, 'a', 'anonymous')),
      facts('b', modeTag(key, TENANT, 'b', 'confidential')),
      facts('c', modeTag(key, TENANT, 'c', 'open')),
      // A tag bound to another council matches nothing here.
      facts('d', modeTag(key, '00000000-0000-4000-8000-000000000002', 'd', 'open')),
      facts('e', null),
    ];
    sut.resolve(TENANT, cases);
    expect(cases.map((c) => c.mode)).toEqual(['anonymous', 'confidential', 'open', null, undefined]);
  });

  it('keeps modes by case id, bounded, and works a mode out again when the tag is not the one cached', () => {
    const sut = new ReportModes({ modeTagSecret: SECRET } as AppConfig);
    const first = facts('a', modeTag(key, TENANT, 'a', 'anonymous'));
    sut.resolve(TENANT, [first]);
    const changed = facts('a', modeTag(key, TENANT, 'a', 'open'));
    sut.resolve(TENANT, [changed]);
    expect(changed.mode).toBe('open');
    const many = Array.from({ length: MODE_CACHE_LIMIT + 10 }, (_, i) =>
      facts(`case-${i}`, Buffer.alloc(32, i % 256)),
    );
    sut.resolve(TENANT, many);
    expect(sut.cached).toBe(MODE_CACHE_LIMIT);
  });
});
