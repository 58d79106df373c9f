/**
 * `work` over `items`, up to `limit` at a time, the results in the items' order (docs/performance.md
 * "Opening a case"). A read decrypts and verifies each of a case's items, and openpgp hands part of each
 * to Node's thread pool (X25519, AES key unwrapping, Ed25519): awaited one after another, every item
 * waits for its own round trips to that pool; a few at a time keep both cores busy.
 *
 * If any fails, no further item is started, and the first error is thrown only once every item already
 * started has finished, so nothing is left running against a transaction its caller is about to end.
 */
export async function mapInParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  /** Items whose work holds much memory (a file's plaintext): at most one of them at a time. */
  heavy: (item: T) => boolean = () => false,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const light: number[] = [];
  const weighty: number[] = [];
  items.forEach((item, index) => (heavy(item) ? weighty : light).push(index));
  let failed: { error: unknown } | undefined;
  const lane = async (queues: number[][]) => {
    for (const queue of queues)
      while (!failed && queue.length > 0) {
        const index = queue.shift() as number;
        try {
          results[index] = await work(items[index] as T, index);
        } catch (error) {
          failed ??= { error };
        }
      }
  };
  const lanes = Math.max(1, Math.min(limit, items.length));
  await Promise.all([lane([weighty, light]), ...Array.from({ length: lanes - 1 }, () => lane([light]))]);
  if (failed) throw failed.error;
  return results;
}

/** Both at once, as `Promise.all`, but a failure is thrown only once both have finished (see above). */
export async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}
