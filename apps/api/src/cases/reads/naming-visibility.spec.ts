import { withoutHiddenNamings } from './naming-visibility';

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
