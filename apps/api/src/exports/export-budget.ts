/**
 * How much case content this process may be exporting at once. An export is built in memory — the
 * decrypted files, the zip, the OpenPGP message — at about ten times the size of the case's files
 * (measured: 50 MB of attachments peak at ~0.5 GB), so a few large exports at the same moment could
 * exhaust the API's memory and take every other request down with it. Beyond the budget an export is
 * refused with 429 and Retry-After rather than queued: the handler retries in a few seconds, and nothing
 * waits holding memory. A case larger than the whole budget still exports, alone.
 */
export const EXPORT_BUDGET_BYTES = 100 * 1024 * 1024;

export class ExportBudget {
  private inFlight = 0;
  private running = 0;

  constructor(private readonly limit: number = EXPORT_BUDGET_BYTES) {}

  /** Reserves `bytes`; returns the release function, or null if the budget is spent. */
  reserve(bytes: number): (() => void) | null {
    if (this.running > 0 && this.inFlight + bytes > this.limit) return null;
    this.inFlight += bytes;
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= bytes;
      this.running -= 1;
    };
  }
}
