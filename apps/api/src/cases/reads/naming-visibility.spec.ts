import { isNamingEntry, withoutHiddenNamings } from './naming-visibility';

describe('naming requests in an export', () => {
  const item = (kind: string, json: unknown) => ({ item: { kind }, json });

  it('leaves out the items of a naming request that names the reader, and keeps everything else', () => {
    const items = [
      item('note', { text: 'Called payroll.', requestId: 'r1' }),
      item('naming_request', { requestId: 'r1', reason: 'They were at the dinner.', people: ['me'] }),
      item('naming_decision', { requestId: 'r1', confirmed: false }),
      item('naming_request', { requestId: 'r2', reason: 'Someone else.', people: ['them'] }),
    ];
    expect(withoutHiddenNamings(items, new Set(['r1']))).toEqual([items[0], items[3]]);
    expect(withoutHiddenNamings(items, new Set())).toEqual(items);
  });
});

describe('audit entries of a naming request', () => {
  it('counts its own entries and the grants and routing made for it, and no other grant', () => {
    const entry = (action: string, details: Record<string, unknown>) => ({ action, details });
    expect(isNamingEntry(entry('case.naming_requested', { requestId: 'r1' }))).toBe(true);
    expect(isNamingEntry(entry('grant.created', { via: 'rerouted', requestId: 'r1' }))).toBe(true);
    expect(isNamingEntry(entry('grant.revoked', { via: 'rerouted', requestId: 'r1' }))).toBe(true);
    expect(isNamingEntry(entry('case.routed', { reason: 'rerouted', requestId: 'r1' }))).toBe(true);
    expect(isNamingEntry(entry('grant.created', { via: 'assigned' }))).toBe(false);
    expect(isNamingEntry(entry('case.routed', { reason: 'rerouted' }))).toBe(false);
  });
});
