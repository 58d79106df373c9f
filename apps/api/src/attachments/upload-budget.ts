/**
 * The bounds on what reports and messages may hold of one API process at once (docs/abuse-resistance.md,
 * "Floods of uploads (issue #17)"): how many are handled together, how many bytes of uploads sit on disk while requests are
 * read, and how many bytes of files are in memory while they are checked and encrypted. Each is a plain
 * counter in this process; going over any is a 503 with Retry-After, never a wait that piles up.
 */
import { AppError } from '../errors/app-error';

export const BUSY_RETRY_AFTER_SECONDS = 5;

export class BusyError extends AppError {
  constructor(message: string) {
    super('SERVICE_BUSY', message, BUSY_RETRY_AFTER_SECONDS);
  }
}

/** A number of units (requests, bytes) that are taken and given back. */
export class Budget {
  private used = 0;

  constructor(
    readonly capacity: number,
    private readonly refusal: string,
  ) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes `amount`, or throws a BusyError if that would go over; returns a release that runs once. */
  take(amount = 1): () => void {
    if (this.used + amount > this.capacity) throw new BusyError(this.refusal);
    this.used += amount;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= amount;
    };
  }
}

export interface UploadBudgets {
  readonly intake: Budget;
  readonly disk: Budget;
  readonly memory: Budget;
}

export function uploadBudgets(config: {
  intakeMaxConcurrent: number;
  uploadDiskBudgetBytes: number;
  uploadMemoryBudgetBytes: number;
}): UploadBudgets {
  const later = `Try again in ${BUSY_RETRY_AFTER_SECONDS} seconds; nothing has been sent.`;
  return {
    intake: new Budget(
      config.intakeMaxConcurrent,
      `Nolan is receiving a lot of reports and messages right now. ${later}`,
    ),
    disk: new Budget(config.uploadDiskBudgetBytes, `Nolan is receiving a lot of files right now. ${later}`),
    memory: new Budget(
      config.uploadMemoryBudgetBytes,
      `Nolan is checking a lot of files right now. ${later}`,
    ),
  };
}

export const UPLOAD_BUDGETS = Symbol('UPLOAD_BUDGETS');

/** The configuration's defaults (config.ts: INTAKE_MAX_CONCURRENT, UPLOAD_DISK_BUDGET_MB, UPLOAD_MEMORY_BUDGET_MB). */
export const DEFAULT_UPLOAD_BUDGETS = {
  intakeMaxConcurrent: 8,
  uploadDiskBudgetBytes: 1024 * 1024 * 1024,
  uploadMemoryBudgetBytes: 256 * 1024 * 1024,
};
