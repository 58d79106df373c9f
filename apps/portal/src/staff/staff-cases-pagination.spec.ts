// The case list's pages in the portal (docs/performance.md "Keyset pages and the counts"): page numbers
// count by offset, and the Next link carries the API's cursor so that following it never costs more than
// the first page; a cursor that is not one is dropped, never passed to the API.
import { pagination, parseFilters } from './staff-cases.controller';

describe('the case list’s pages', () => {
  it('keeps a cursor only when it is one', () => {
    expect(parseFilters({ page: '3', after: '2026-12-07_NLN-7KQ2-0ABC' })).toMatchObject({
      page: 3,
      after: '2026-12-07_NLN-7KQ2-0ABC',
    });
    for (const after of ['NLN-7KQ2-0ABC', "2026-12-07_NLN-7KQ2-0ABC'", '2026-12-07_nln-7kq2-0abc', ''])
      expect(parseFilters({ page: '3', after }).after).toBeUndefined();
  });

  it('gives the Next link the cursor of the page after, and every page number its offset alone', () => {
    const filters = parseFilters({ status: 'received', page: '2', after: '2026-12-01_NLN-AAAA-0001' });
    const pages = pagination(filters, 100, '2026-12-07_NLN-7KQ2-0ABC');
    expect(pages?.next?.href).toBe('/staff/cases?status=received&page=3&after=2026-12-07_NLN-7KQ2-0ABC');
    expect(pages?.previous?.href).toBe('/staff/cases?status=received');
    expect(pages?.items.map((item) => item.href)).toEqual([
      '/staff/cases?status=received',
      '/staff/cases?status=received&page=2',
      '/staff/cases?status=received&page=3',
      '/staff/cases?status=received&page=4',
    ]);
    // The last page has no Next, and a page the API says is the last has no cursor to carry.
    expect(pagination({ ...filters, page: 4 }, 100, null)?.next).toBeUndefined();
    expect(pagination({ ...filters, page: 1 }, 100, null)?.next?.href).toBe(
      '/staff/cases?status=received&page=2',
    );
  });
});
