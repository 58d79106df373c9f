/**
 * The statements this process sends Postgres through pg's Client (the pool the API uses included), for
 * the statement budgets (docs/performance.md "Opening a case", "Intake's statements"): each as its first
 * 120 characters, whitespace folded, counted only during `during`.
 */
import { Client } from 'pg';

type Query = (...args: unknown[]) => unknown;

export class StatementLog {
  private readonly proto = Client.prototype as unknown as { query: Query };
  private readonly original: Query = this.proto.query;
  private readonly sent: string[] = [];
  private counting = false;

  /** Starts listening (nothing is counted until `during`). */
  install(): this {
    const original = this.original;
    const note = (sql: string | { text: string }) => {
      if (this.counting)
        this.sent.push((typeof sql === 'string' ? sql : sql.text).replace(/\s+/g, ' ').slice(0, 120));
    };
    this.proto.query = function (this: unknown, ...args: unknown[]) {
      note(args[0] as string | { text: string });
      return original.apply(this, args);
    };
    return this;
  }

  /** `work`'s result and the statements sent while it ran. */
  async during<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    this.sent.length = 0;
    this.counting = true;
    try {
      const result = await work();
      return { result, statements: [...this.sent] };
    } finally {
      this.counting = false;
    }
  }

  restore(): void {
    this.proto.query = this.original;
  }
}
