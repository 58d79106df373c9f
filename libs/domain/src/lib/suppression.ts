// Small-number suppression for published figures (docs/architecture.md "The shape": libs/domain holds small-number
// suppression for statistics; docs/regulatory.md UK-08 and §4 stage 8: the committee's public summary
// must not identify anyone, "fewer than 5" by default). A published table is one line of counts that
// add up to a total. Any count below the council's threshold is shown as "fewer than N" (primary
// suppression). Because the total is shown, one hidden cell could be recovered by subtracting the shown
// cells from it, so further cells are withheld too (complementary suppression) until no hidden cell has
// a single value consistent with everything shown.
//
// What a reader is assumed to know: every shown number, the total (if shown), that a "fewer than N"
// cell is between 0 and N-1, and — the worst case, since the rule is public — that a withheld cell is
// N or more. Under those constraints the values a hidden cell can take form a whole-number interval
// (one equation, box bounds), so "not derivable" means that interval holds at least two values.
// suppression.spec.ts checks this against a brute-force enumeration of every table consistent with
// what is shown.

/** The default threshold: counts below it are not published (UK-08: "fewer than 5"). */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

/** The smallest and largest threshold a council may set. */
export const MIN_SUPPRESSION_THRESHOLD = 2;
export const MAX_SUPPRESSION_THRESHOLD = 20;

export interface CountCell {
  readonly key: string;
  readonly count: number;
}

/** A cell as published: a number, "fewer than N" (below the threshold) or withheld (complementary). */
export type PublishedValue =
  | { readonly kind: 'shown'; readonly value: number }
  | { readonly kind: 'fewer_than'; readonly threshold: number }
  | { readonly kind: 'withheld' };

export interface PublishedCell {
  readonly key: string;
  readonly published: PublishedValue;
}

export interface PublishedTable {
  readonly cells: readonly PublishedCell[];
  /** The total of the line: shown, "fewer than N", or withheld when no safe table shows it. */
  readonly total: PublishedValue;
}

/** Words for a published value, e.g. "12", "fewer than 5", "withheld". */
export function publishedText(value: PublishedValue): string {
  if (value.kind === 'shown') return String(value.value);
  if (value.kind === 'fewer_than') return `fewer than ${value.threshold}`;
  return 'withheld';
}

function checkThreshold(threshold: number): void {
  if (
    !Number.isInteger(threshold) ||
    threshold < MIN_SUPPRESSION_THRESHOLD ||
    threshold > MAX_SUPPRESSION_THRESHOLD
  )
    throw new RangeError(
      `The suppression threshold must be a whole number from ${MIN_SUPPRESSION_THRESHOLD} to ${MAX_SUPPRESSION_THRESHOLD}.`,
    );
}

function checkCounts(cells: readonly CountCell[]): void {
  for (const cell of cells)
    if (!Number.isSafeInteger(cell.count) || cell.count < 0)
      throw new RangeError(`The count for "${cell.key}" must be a whole number of at least 0.`);
}

const shown = (value: number): PublishedValue => ({ kind: 'shown', value });

/**
 * The values each hidden cell of a line could take, given what is shown: `remainder` is the total less
 * every shown cell; fewer-than cells lie in [0, t-1], withheld cells in [t, remainder]. Returns, per
 * hidden index, [lowest, highest]. Exposed for the property tests.
 */
export function feasibleRanges(
  kinds: readonly ('fewer_than' | 'withheld')[],
  remainder: number,
  threshold: number,
): [number, number][] {
  const lows = kinds.map((k) => (k === 'fewer_than' ? 0 : threshold));
  const highs = kinds.map((k) => (k === 'fewer_than' ? threshold - 1 : Number.POSITIVE_INFINITY));
  const sumExcept = (values: readonly number[], i: number): number =>
    values.reduce((sum, v, j) => (j === i ? sum : sum + v), 0);
  return kinds.map((_, i) => {
    const low = Math.max(lows[i] as number, remainder - sumExcept(highs, i));
    const high = Math.min(highs[i] as number, remainder - sumExcept(lows, i));
    return [low, high];
  });
}

function safe(kinds: readonly ('fewer_than' | 'withheld')[], remainder: number, threshold: number): boolean {
  return feasibleRanges(kinds, remainder, threshold).every(([low, high]) => high > low);
}

/**
 * Publishes one line of counts with its total under the threshold rule.
 * - A total below the threshold is itself "fewer than N", and so is every cell: nothing is derivable.
 * - Otherwise every cell below the threshold is "fewer than N"; if that leaves a hidden cell pinned by
 *   the total, the smallest shown cells are withheld one by one until none is. If even withholding
 *   every cell leaves one pinned, the total is withheld as well.
 * Deterministic: ties between equal counts go to the earlier cell.
 * @throws RangeError for a bad threshold or count.
 */
export function suppressLine(
  cells: readonly CountCell[],
  threshold: number = DEFAULT_SUPPRESSION_THRESHOLD,
): PublishedTable {
  checkThreshold(threshold);
  checkCounts(cells);
  const total = cells.reduce((sum, c) => sum + c.count, 0);
  const fewer: PublishedValue = { kind: 'fewer_than', threshold };
  if (total < threshold) {
    return { cells: cells.map((c) => ({ key: c.key, published: fewer })), total: fewer };
  }
  const hidden = new Map<number, 'fewer_than' | 'withheld'>();
  cells.forEach((c, i) => {
    if (c.count < threshold) hidden.set(i, 'fewer_than');
  });
  const remainder = (): number =>
    total - cells.reduce((sum, c, i) => (hidden.has(i) ? sum : sum + c.count), 0);
  const candidates = cells
    .map((c, i) => ({ i, count: c.count }))
    .filter(({ i }) => !hidden.has(i))
    .sort((a, b) => a.count - b.count || a.i - b.i);
  let totalPublished: PublishedValue = shown(total);
  if (hidden.size > 0) {
    while (!safe([...hidden.values()], remainder(), threshold)) {
      const next = candidates.shift();
      if (!next) {
        totalPublished = { kind: 'withheld' };
        break;
      }
      hidden.set(next.i, 'withheld');
    }
  }
  return {
    cells: cells.map((c, i) => {
      const kind = hidden.get(i);
      return {
        key: c.key,
        published:
          kind === 'fewer_than' ? fewer : kind === 'withheld' ? { kind: 'withheld' } : shown(c.count),
      };
    }),
    total: totalPublished,
  };
}

/** A single published count with no line around it: "fewer than N" below the threshold. */
export function suppressCount(
  count: number,
  threshold: number = DEFAULT_SUPPRESSION_THRESHOLD,
): PublishedValue {
  checkThreshold(threshold);
  checkCounts([{ key: 'count', count }]);
  return count < threshold ? { kind: 'fewer_than', threshold } : shown(count);
}

/**
 * A line whose total is a cell of another published line (retaliation reports and how many were
 * substantiated, within the reports by category): when that cell is not shown, the whole line goes
 * hidden too, so the parent's suppression cannot be undone by adding this line up.
 */
export function suppressLineWithin(
  cells: readonly CountCell[],
  parent: PublishedValue,
  threshold: number = DEFAULT_SUPPRESSION_THRESHOLD,
): PublishedTable {
  if (parent.kind === 'shown') return suppressLine(cells, threshold);
  checkThreshold(threshold);
  checkCounts(cells);
  return { cells: cells.map((c) => ({ key: c.key, published: { kind: 'withheld' } })), total: parent };
}
