import fc from 'fast-check';
import {
  type AuditChainContent,
  type AuditChainEntry,
  AuditMisuseError,
  assertNothingIdentifiesReporter,
  canonicalJson,
  ChainVerifier,
  checkpointFile,
  checkpointSignatureValid,
  readCheckpointFile,
  describeBreak,
  GENESIS_HASH,
  hashEntry,
  normaliseDetails,
  normaliseUuid,
  serialiseForHash,
  verifyChain,
} from './audit-chain';

const TENANT = '0b9f4c52-6a43-4bb1-9d0c-1f6a4f3f2a10';
const STAFF = '6d1c8e6f-2f40-4a6b-8a65-3f3a9f1e7c21';
const CASE = 'c4a4d5a8-8c0e-4d7e-9d53-0d1b2f8e6a33';

/** A valid chain of `n` entries, built the way AuditService.append builds them. */
function chain(n: number): AuditChainEntry[] {
  const entries: AuditChainEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content: AuditChainContent = {
      tenantId: TENANT,
      seq,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 9, 0, seq, seq)),
      actorType: seq % 3 === 0 ? 'reporter' : 'staff',
      actorId: seq % 3 === 0 ? null : STAFF,
      action: seq % 2 ? 'case.content_decrypted' : 'case.transitioned',
      caseId: seq % 4 === 0 ? null : CASE,
      details: { scope: 'report', count: seq, ids: ['a', 'b'], nested: { ok: true, none: null } },
      prevHash,
    };
    const hash = hashEntry(content);
    entries.push({ ...content, id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, hash });
    prevHash = hash;
  }
  return entries;
}

/** Each field an attacker could edit, with a different value of the right type. */
const EDITS: Record<keyof AuditChainContent | 'hash', (e: AuditChainEntry) => Partial<AuditChainEntry>> = {
  tenantId: () => ({ tenantId: '11111111-1111-4111-8111-111111111111' }),
  seq: (e) => ({ seq: e.seq + 100 }),
  occurredAt: (e) => ({ occurredAt: new Date(e.occurredAt.getTime() + 1) }),
  actorType: (e) => ({ actorType: e.actorType === 'system' ? 'operator' : 'system' }),
  actorId: (e) => ({ actorId: e.actorId ? null : STAFF }),
  action: () => ({ action: 'case.exported' }),
  caseId: (e) => ({ caseId: e.caseId ? null : CASE }),
  details: (e) => ({ details: { ...e.details, count: -1 } }),
  prevHash: () => ({ prevHash: 'f'.repeat(64) }),
  hash: () => ({ hash: 'e'.repeat(64) }),
};

describe('audit chain', () => {
  it('accepts an intact chain and reports its head', () => {
    const entries = chain(7);
    expect(verifyChain(entries)).toEqual({
      intact: true,
      entries: 7,
      head: { seq: 7, hash: entries[6].hash },
      checkpoints: 0,
    });
  });

  it('accepts an empty chain with no checkpoints', () => {
    expect(verifyChain([])).toEqual({ intact: true, entries: 0, head: null, checkpoints: 0 });
  });

  it('starts from 64 zeros and links each entry to the hash of the one before', () => {
    const entries = chain(3);
    expect(entries[0].prevHash).toBe('0'.repeat(64));
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[2].prevHash).toBe(entries[1].hash);
    expect(entries[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should break when any field of any entry is altered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.nat(),
        fc.constantFrom(...(Object.keys(EDITS) as (keyof typeof EDITS)[])),
        (n, at, field) => {
          const entries = chain(n);
          const index = at % n;
          entries[index] = { ...entries[index], ...EDITS[field](entries[index]) };
          const verdict = verifyChain(entries);
          expect(verdict.intact).toBe(false);
          if (verdict.intact) return;
          // Whatever the edit, the break is named at the altered entry (or, for its seq, as the gap it leaves).
          expect(verdict.broken.seq).toBe(index + 1);
        },
      ),
    );
  });

  it('should break when an edited entry’s hash is recomputed, at the next entry’s link', () => {
    const entries = chain(5);
    const edited = { ...entries[2], details: { scope: 'identity' } };
    entries[2] = { ...edited, hash: hashEntry(edited) };
    const verdict = verifyChain(entries);
    expect(verdict).toMatchObject({ intact: false, broken: { kind: 'prev_hash_mismatch', seq: 4 } });
  });

  it('should break when entries are reordered', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 10 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })),
          ),
        ([n, i, j]) => {
          fc.pre(i !== j);
          const entries = chain(n);
          [entries[i], entries[j]] = [entries[j], entries[i]];
          expect(verifyChain(entries).intact).toBe(false);
        },
      ),
    );
  });

  it('names a deleted middle entry as a gap at its seq', () => {
    const entries = chain(10);
    entries.splice(4, 1);
    const verdict = verifyChain(entries);
    expect(verdict).toEqual({ intact: false, entries: 4, broken: { kind: 'missing', seq: 5 } });
    if (!verdict.intact) expect(describeBreak(verdict.broken)).toBe('seq 5 is missing (deleted?)');
  });

  it('names a deleted middle entry whose successors were renumbered at the first renumbered seq', () => {
    const entries = chain(6);
    entries.splice(2, 1);
    const renumbered = entries.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyChain(renumbered)).toMatchObject({
      intact: false,
      broken: { kind: 'hash_mismatch', seq: 3 },
    });
  });

  it('cannot see a truncated tail on its own, but a checkpoint beyond the head names it', () => {
    const entries = chain(8);
    const checkpoint = { seq: 8, hash: entries[7].hash };
    expect(verifyChain(entries.slice(0, 6)).intact).toBe(true);
    const verdict = verifyChain(entries.slice(0, 6), [checkpoint]);
    expect(verdict).toMatchObject({ intact: false, broken: { kind: 'truncated', seq: 8, head: 6 } });
    if (!verdict.intact) {
      expect(describeBreak(verdict.broken)).toBe(
        'checkpoint at seq 8 is beyond the chain head 6 (truncated?)',
      );
    }
  });

  it('names a checkpoint the chain no longer matches (the chain was rewritten from there)', () => {
    const entries = chain(5);
    expect(verifyChain(entries, [{ seq: 3, hash: entries[2].hash }])).toMatchObject({
      intact: true,
      checkpoints: 1,
    });
    expect(verifyChain(entries, [{ seq: 3, hash: 'a'.repeat(64) }])).toMatchObject({
      intact: false,
      broken: { kind: 'checkpoint_mismatch', seq: 3 },
    });
  });

  it('verifies the same a page at a time as all at once, and stops at the first break', () => {
    const entries = chain(9);
    entries[6] = { ...entries[6], action: 'config.changed' };
    const verifier = new ChainVerifier();
    const pushed = entries.map((e) => verifier.push(e));
    expect(pushed).toEqual([true, true, true, true, true, true, false, false, false]);
    expect(verifier.ok).toBe(false);
    expect(verifier.finish()).toEqual(verifyChain(entries));
  });

  it('describes each break with the seq and the entry id', () => {
    const [first] = chain(1);
    expect(describeBreak({ kind: 'hash_mismatch', seq: 17, id: first.id })).toBe(
      `BROKEN at seq 17 (entry ${first.id}): hash does not match its contents`,
    );
    expect(describeBreak({ kind: 'prev_hash_mismatch', seq: 18, id: first.id })).toBe(
      `BROKEN at seq 18 (entry ${first.id}): prev_hash does not match the hash of seq 17`,
    );
  });
});

describe('canonical serialisation', () => {
  it('should not depend on the order of keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
      }),
    );
  });

  it('should round-trip through JSON to the same text (what jsonb gives back)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
      }),
    );
  });

  it('commits to every column, with the timestamp at millisecond precision in UTC', () => {
    const [entry] = chain(1);
    const text = serialiseForHash(entry);
    expect(text.startsWith('nolan.audit.v1\n{"action":')).toBe(true);
    const fields = JSON.parse(text.split('\n')[1]);
    expect(Object.keys(fields)).toEqual([
      'action',
      'actor_id',
      'actor_type',
      'case_id',
      'details',
      'occurred_at',
      'prev_hash',
      'seq',
      'tenant_id',
    ]);
    expect(fields.occurred_at).toBe('2026-01-01T09:00:01.001Z');
  });
});

describe('details', () => {
  it('keeps ids, codes, counts and flags, dropping undefined values', () => {
    expect(
      normaliseDetails({ scope: 'report', count: 3, ok: true, none: null, skip: undefined, ids: ['x'] }),
    ).toEqual({
      scope: 'report',
      count: 3,
      ok: true,
      none: null,
      ids: ['x'],
    });
    expect(normaliseDetails(undefined)).toEqual({});
  });

  it.each([
    ['a fraction', { n: 1.5 }],
    ['an unsafe integer', { n: 2 ** 60 }],
    ['a date', { at: new Date() }],
    ['NUL in text', { code: 'a\u0000b' }],
    ['a lone surrogate', { code: '\ud800' }],
    ['a long string (case text)', { note: 'x'.repeat(257) }],
    ['too much in total', { ids: Array.from({ length: 100 }, (_, i) => `id-${i}-${'x'.repeat(20)}`) }],
    ['deep nesting', { a: { b: { c: { d: { e: 1 } } } } }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}')],
  ])('refuses %s', (_what, details) => {
    expect(() => normaliseDetails(details as Record<string, unknown>)).toThrow(AuditMisuseError);
  });

  it.each([
    [{ ip: '203.0.113.7' }],
    [{ ipAddress: 'x' }],
    [{ user_agent: 'Tor Browser' }],
    [{ forwarded: { x_forwarded_for: 'x' } }],
    [{ from: '2001:db8::1' }],
    [{ hops: ['198.51.100.2'] }],
  ])('refuses anything that could identify a reporter: %j', (details) => {
    expect(() => assertNothingIdentifiesReporter(normaliseDetails(details))).toThrow(AuditMisuseError);
  });

  it('lets a reporter’s entry carry codes whose names merely contain "ip"', () => {
    expect(() =>
      assertNothingIdentifiesReporter({ recipient_count: 2, description_code: 'x', zip: 'no' }),
    ).not.toThrow();
  });

  it('normalises UUIDs to lower case and refuses anything else', () => {
    expect(normaliseUuid(STAFF.toUpperCase(), 'actor id')).toBe(STAFF);
    expect(() => normaliseUuid('not-a-uuid', 'actor id')).toThrow('actor id must be a UUID');
  });
});

describe('the keyed audit chain (issue #15)', () => {
  const KEY = 'k'.repeat(40);
  /** `plain` entries as before the key existed, then keyed ones, each linked to the one before. */
  function mixed(plain: number, keyed: number): AuditChainEntry[] {
    const entries = chain(plain);
    let prevHash = entries.at(-1)?.hash ?? GENESIS_HASH;
    for (let seq = plain + 1; seq <= plain + keyed; seq++) {
      const content: AuditChainContent = {
        tenantId: TENANT,
        seq,
        occurredAt: new Date(Date.UTC(2026, 0, 2, 9, 0, seq)),
        actorType: 'staff',
        actorId: STAFF,
        action: 'case.transitioned',
        caseId: CASE,
        details: { seq },
        prevHash,
      };
      const hash = hashEntry(content, KEY);
      entries.push({ ...content, id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, hash });
      prevHash = hash;
    }
    return entries;
  }

  it('verifies plain entries before the first keyed one, and keyed ones after', () => {
    const verifier = new ChainVerifier([], KEY);
    for (const entry of mixed(3, 4)) expect(verifier.push(entry)).toBe(true);
    expect(verifier.keyedFrom).toBe(4);
    expect(verifier.finish()).toMatchObject({ intact: true, entries: 7 });
  });

  it('refuses a plain entry after a keyed one, even with its hash and every later link recomputed', () => {
    const entries = mixed(2, 4);
    let prevHash = entries[3]!.hash;
    for (let i = 4; i < entries.length; i++) {
      const content = { ...entries[i]!, details: { rewritten: true }, prevHash };
      entries[i] = { ...content, hash: hashEntry(content) };
      prevHash = entries[i]!.hash;
    }
    const verifier = new ChainVerifier([], KEY);
    for (const entry of entries) if (!verifier.push(entry)) break;
    expect(verifier.finish()).toMatchObject({ intact: false, broken: { kind: 'hash_mismatch', seq: 5 } });
  });

  it('signs checkpoints so that only the key holder can make one, and reads a checkpoint file back', () => {
    const at = { tenantId: TENANT, tenant: 'demo', seq: 7, hash: 'a'.repeat(64) };
    const file = checkpointFile(KEY, at, new Date(0));
    expect(readCheckpointFile(KEY, JSON.parse(JSON.stringify(file)))).toEqual({ ok: true, file });
    expect(readCheckpointFile(KEY, { ...file, seq: 8 })).toMatchObject({ ok: false });
    expect(readCheckpointFile('x'.repeat(40), file)).toMatchObject({ ok: false });
    expect(readCheckpointFile(KEY, { nonsense: true })).toEqual({
      ok: false,
      reason: 'it is not a nolan-audit-checkpoint/1 file',
    });
    expect(checkpointSignatureValid(KEY, TENANT, { seq: 7, hash: at.hash, signature: file.signature })).toBe(
      true,
    );
    expect(checkpointSignatureValid(KEY, TENANT, { seq: 7, hash: at.hash, signature: 'zz' })).toBe(false);
  });
});
