import { DependencyTimeoutError } from '../errors/unavailable';

/**
 * Rejects if `work` has not settled within `ms`: for calls to Redis, which otherwise wait for it to come
 * back. The rejection is a DependencyTimeoutError, which the exception filter answers with a 503 and
 * Retry-After (errors/unavailable.ts).
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: 'Redis' | 'Postgres'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DependencyTimeoutError(what === 'Redis' ? 'redis' : 'postgres', ms)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
