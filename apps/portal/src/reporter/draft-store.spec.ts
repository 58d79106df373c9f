import { DraftStore, DraftStoreFull, newDraftKey } from './draft-store';

describe('the draft store', () => {
  it('keeps only ciphertext, readable with the draft key alone and only in the slot it was written to', () => {
    const store = new DraftStore({ budgetBytes: 1_000_000 });
    const key = newDraftKey();
    store.writeJson(key, 'record', { text: 'MARKER what happened' }, 60);
    expect(store.readJson(key, 'record')).toEqual({ text: 'MARKER what happened' });
    const raw = [...store.rawContents()].map((b) => b.toString('latin1')).join('');
    expect(raw).not.toContain('MARKER');
    expect(store.read({ id: key.id, key: newDraftKey().key }, 'record')).toBeUndefined();
    expect(store.read(key, 'file:x')).toBeUndefined();
  });

  it('forgets a slot when it expires', () => {
    let now = 1_000;
    const store = new DraftStore({ budgetBytes: 1_000_000, now: () => now });
    const key = newDraftKey();
    store.write(key, 'record', Buffer.from('draft'), 10);
    now += 9_999;
    expect(store.read(key, 'record')?.toString()).toBe('draft');
    now += 2;
    expect(store.read(key, 'record')).toBeUndefined();
    expect(store.bytesHeld).toBe(0);
  });

  it('refuses to hold more than its budget, and counts what is replaced or deleted', () => {
    const store = new DraftStore({ budgetBytes: 200 });
    const key = newDraftKey();
    store.write(key, 'a', Buffer.alloc(100), 60);
    expect(() => store.write(key, 'b', Buffer.alloc(100), 60)).toThrow(DraftStoreFull);
    store.write(key, 'a', Buffer.alloc(50), 60);
    store.write(key, 'b', Buffer.alloc(50), 60);
    store.delete(key, 'a');
    store.delete(key, 'b');
    expect(store.bytesHeld).toBe(0);
  });

  it('runs the work for one draft once at a time: a second caller waits for the first and does not run', async () => {
    const store = new DraftStore({ budgetBytes: 1_000 });
    const key = newDraftKey();
    let runs = 0;
    let finish: () => void = () => undefined;
    const work = () =>
      new Promise<string>((resolve) => {
        runs += 1;
        finish = () => resolve('sent');
      });
    const first = store.once(key, work);
    const second = store.once(key, work);
    finish();
    expect(await first).toEqual({ ran: true, value: 'sent' });
    expect(await second).toEqual({ ran: false });
    expect(runs).toBe(1);
    // Another draft is not held up, and the same draft can run again once the first has finished.
    expect(await store.once(newDraftKey(), async () => 'other')).toEqual({ ran: true, value: 'other' });
    expect(await store.once(key, async () => 'again')).toEqual({ ran: true, value: 'again' });
  });
});
