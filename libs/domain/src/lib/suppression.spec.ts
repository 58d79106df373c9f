import fc from 'fast-check';
import {
  type CountCell,
  DEFAULT_SUPPRESSION_THRESHOLD,
  type PublishedTable,
  publishedText,
  suppressCount,
  suppressLine,
  suppressLineWithin,
} from './suppression';

/**
 * Every line of counts consistent with what a table shows, assuming the reader knows the rule:
 * fewer-than cells are 0..t-1, withheld cells t..(total or a bound), and a shown total is the sum.
 * A brute-force oracle, independent of suppression.ts's own interval reasoning.
 */
function consistentLines(table: PublishedTable, threshold: number, bound: number): number[][] {
  const total = table.total.kind === 'shown' ? table.total.value : null;
  const totalFewer = table.total.kind === 'fewer_than';
  const options = table.cells.map((cell) => {
    const p = cell.published;
    if (p.kind === 'shown') return [p.value];
    const max = total ?? bound;
    if (p.kind === 'fewer_than') return range(0, Math.min(threshold - 1, max));
    return range(threshold, max);
  });
  const out: number[][] = [];
  const walk = (i: number, acc: number[], sum: number): void => {
    if (total !== null && sum > total) return;
    if (i === options.length) {
      if (total !== null && sum !== total) return;
      if (totalFewer && sum >= threshold) return;
      out.push([...acc]);
      return;
    }
    for (const v of options[i] as number[]) walk(i + 1, [...acc, v], sum + v);
  };
  walk(0, [], 0);
  return out;
}

function range(from: number, to: number): number[] {
  const r: number[] = [];
  for (let v = from; v <= to; v += 1) r.push(v);
  return r;
}

const cellsArb = fc
  .array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 4 })
  .map((counts) => counts.map((count, i): CountCell => ({ key: `k${i}`, count })));

describe('small-number suppression', () => {
  it('shows a count below the threshold as "fewer than 5", and withholds a complementary cell', () => {
    const table = suppressLine([
      { key: 'fraud', count: 3 },
      { key: 'gifts', count: 9 },
      { key: 'bias', count: 12 },
    ]);
    expect(table.cells.map((c) => publishedText(c.published))).toEqual(['fewer than 5', 'withheld', '12']);
    expect(publishedText(table.total)).toBe('24');
  });

  it('shows every count when none is below the threshold', () => {
    const table = suppressLine([
      { key: 'a', count: 5 },
      { key: 'b', count: 7 },
    ]);
    expect(table.cells.map((c) => publishedText(c.published))).toEqual(['5', '7']);
    expect(publishedText(table.total)).toBe('12');
  });

  it('hides the whole line when its total is below the threshold', () => {
    const table = suppressLine([
      { key: 'a', count: 1 },
      { key: 'b', count: 2 },
    ]);
    expect(table.cells.every((c) => c.published.kind === 'fewer_than')).toBe(true);
    expect(publishedText(table.total)).toBe('fewer than 5');
  });

  it('treats a zero as a small number too, so no group is shown to be empty', () => {
    expect(publishedText(suppressCount(0))).toBe('fewer than 5');
    expect(publishedText(suppressCount(5))).toBe('5');
    expect(publishedText(suppressCount(4, 3))).toBe('4');
  });

  it('hides a line inside a hidden cell of its parent line', () => {
    const within = suppressLineWithin(
      [
        { key: 'substantiated', count: 1 },
        { key: 'other', count: 2 },
      ],
      { kind: 'fewer_than', threshold: 5 },
    );
    expect(within.cells.every((c) => c.published.kind === 'withheld')).toBe(true);
    expect(publishedText(within.total)).toBe('fewer than 5');
  });

  it('refuses a threshold outside 2 to 20 and negative counts', () => {
    expect(() => suppressLine([{ key: 'a', count: 1 }], 1)).toThrow(RangeError);
    expect(() => suppressLine([{ key: 'a', count: -1 }])).toThrow(RangeError);
  });

  it('never shows a count below the threshold, and shows every other count truthfully or hides it', () => {
    fc.assert(
      fc.property(cellsArb, fc.integer({ min: 2, max: 6 }), (cells, threshold) => {
        const table = suppressLine(cells, threshold);
        table.cells.forEach((cell, i) => {
          const count = (cells[i] as CountCell).count;
          if (cell.published.kind === 'shown') {
            expect(cell.published.value).toBe(count);
            expect(count).toBeGreaterThanOrEqual(threshold);
          }
          if (cell.published.kind === 'fewer_than') expect(count).toBeLessThan(threshold);
          if (cell.published.kind === 'withheld') expect(count).toBeGreaterThanOrEqual(threshold);
        });
        if (table.total.kind === 'shown')
          expect(table.total.value).toBe(cells.reduce((s, c) => s + c.count, 0));
      }),
    );
  });

  it('should let no suppressed value be derived from the shown cells and total', () => {
    fc.assert(
      fc.property(cellsArb, fc.integer({ min: 2, max: 6 }), (cells, threshold) => {
        const table = suppressLine(cells, threshold);
        const bound = threshold + 2;
        const lines = consistentLines(table, threshold, bound);
        // The true line is among those the reader cannot rule out…
        expect(lines).toContainEqual(cells.map((c) => c.count));
        // …and every hidden cell takes at least two values across them.
        table.cells.forEach((cell, i) => {
          if (cell.published.kind === 'shown') return;
          expect(new Set(lines.map((line) => line[i])).size).toBeGreaterThanOrEqual(2);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('uses the default threshold of 5', () => {
    expect(DEFAULT_SUPPRESSION_THRESHOLD).toBe(5);
  });
});
