import { bothSettled, mapInParallel } from './in-parallel';

const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapInParallel (docs/performance.md "Opening a case")', () => {
  it('keeps the items’ order and runs at most `limit` at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapInParallel([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      running++;
      most = Math.max(most, running);
      await tick(n);
      running--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6']);
    expect(most).toBe(3);
  });

  it('runs more than one at a time (the point of it)', async () => {
    let running = 0;
    let most = 0;
    await mapInParallel([1, 1, 1, 1], 4, async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
    });
    expect(most).toBe(4);
  });

  it('takes heavy items one at a time, beside the others', async () => {
    let heavyRunning = 0;
    let mostHeavy = 0;
    let lightBesideHeavy = false;
    const items = ['file', 'text', 'file', 'text', 'file', 'text', 'text'];
    const out = await mapInParallel(
      items,
      4,
      async (kind, i) => {
        if (kind === 'file') {
          heavyRunning++;
          mostHeavy = Math.max(mostHeavy, heavyRunning);
        } else if (heavyRunning > 0) lightBesideHeavy = true;
        await tick(kind === 'file' ? 5 : 1);
        if (kind === 'file') heavyRunning--;
        return i;
      },
      (kind) => kind === 'file',
    );
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(mostHeavy).toBe(1);
    expect(lightBesideHeavy).toBe(true);
  });

  it('starts nothing after a failure and throws only once every started item has finished', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const failing = mapInParallel([0, 1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('tampered');
      await tick(10);
      finished.push(n);
      return n;
    });
    await expect(failing).rejects.toThrow('tampered');
    // Item 0 was under way when item 1 failed: it finished before the error came out; nothing after 2 ran.
    expect(finished).toContain(0);
    expect(started.every((n) => n <= 2)).toBe(true);
    expect(finished.every((n) => started.includes(n))).toBe(true);
  });

  it('handles no items', async () => {
    expect(await mapInParallel([], 8, async () => 1)).toEqual([]);
  });
});

describe('bothSettled', () => {
  it('gives both results', async () => {
    expect(await bothSettled(Promise.resolve(1), Promise.resolve('a'))).toEqual([1, 'a']);
  });

  it('throws only after the other has finished', async () => {
    let otherDone = false;
    const other = tick(10).then(() => {
      otherDone = true;
    });
    await expect(bothSettled(Promise.reject(new Error('no')), other)).rejects.toThrow('no');
    expect(otherDone).toBe(true);
  });
});
