// An access change's new grants, each scope's made together (docs/performance.md "One session key per
// scope"): every grantee gets a row of their own that opens with their key alone, and the rows of one
// scope share their encrypted-data packet while each has its own key packet.
import { generateScopeKeyPair, openGrant, type Scope, UnlockedKey } from '@nolan/crypto';
import { type GrantToMake, grantsByScope } from './case-access.service';

// The encrypted-data packet: what follows the first packet (the key packet) of a grant.
function afterFirstPacket(grant: Uint8Array): Buffer {
  const first = grant[1] as number;
  const [length, header] =
    first < 192
      ? [first, 2]
      : first < 224
        ? [((first - 192) << 8) + (grant[2] as number) + 192, 3]
        : [Buffer.from(grant).readUInt32BE(2), 6];
  return Buffer.from(grant.subarray(header + length));
}

describe('grantsByScope (the new grants of an access change)', () => {
  it('makes one row per grantee and scope, each scope’s rows sharing one encrypted-data packet', async () => {
    const report = await generateScopeKeyPair('report');
    const internal = await generateScopeKeyPair('internal');
    const open = new Map<Scope, UnlockedKey>([
      ['report', await UnlockedKey.fromSerialized(report.privateKey)],
      ['internal', await UnlockedKey.fromSerialized(internal.privateKey)],
    ]);
    const people = await Promise.all(
      ['u1', 'u2', 'u3'].map(async (userId) => {
        const pair = await generateScopeKeyPair('internal');
        return { userId, publicKey: pair.publicKey, key: await UnlockedKey.fromSerialized(pair.privateKey) };
      }),
    );
    const toGrant: GrantToMake[] = [
      ...people.map(({ userId, publicKey }) => ({ userId, scope: 'report' as const, publicKey })),
      ...people
        .slice(0, 2)
        .map(({ userId, publicKey }) => ({ userId, scope: 'internal' as const, publicKey })),
      // A scope nobody could open is not made.
      { userId: 'u1', scope: 'identity', publicKey: (people[0] as (typeof people)[number]).publicKey },
    ];

    const made = await grantsByScope(open, toGrant);

    expect(made.size).toBe(5);
    expect(made.has(toGrant[5] as GrantToMake)).toBe(false);
    for (const grant of toGrant.slice(0, 5)) {
      const bytes = made.get(grant) as Uint8Array;
      const person = people.find((p) => p.userId === grant.userId) as (typeof people)[number];
      const scopeKey = grant.scope === 'report' ? report.privateKey : internal.privateKey;
      expect(await openGrant(bytes, person.key)).toEqual(scopeKey);
      for (const other of people.filter((p) => p !== person))
        await expect(openGrant(bytes, other.key)).rejects.toMatchObject({ code: 'NOT_A_RECIPIENT' });
    }
    const sealed = (scope: Scope) =>
      new Set(
        toGrant
          .filter((g) => g.scope === scope && made.has(g))
          .map((g) => afterFirstPacket(made.get(g) as Uint8Array).toString('base64')),
      );
    expect(sealed('report').size).toBe(1);
    expect(sealed('internal').size).toBe(1);
    expect([...sealed('report')]).not.toEqual([...sealed('internal')]);
    const keyPackets = new Set(
      [...made.values()].map((bytes) => Buffer.from(bytes).toString('base64').slice(0, 100)),
    );
    expect(keyPackets.size).toBe(5);
  });
});
