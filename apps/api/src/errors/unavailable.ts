/**
 * Which failures mean "a service Nolan depends on cannot be reached right now" (docs/abuse-resistance.md,
 * "Degrading, never a 500 (issue #17)"). The one exception filter turns each into a 503 with Retry-After, so no route needs its
 * own handling and every route recovers by itself once Postgres or Redis is back: the pg pool opens new
 * connections and ioredis reconnects. Anything not recognised here stays a 500, so a real bug is never
 * disguised as an outage.
 */

export type Dependency = 'postgres' | 'redis';

/** Thrown by our own bounded waits on a dependency (common/with-timeout.ts). */
export class DependencyTimeoutError extends Error {
  constructor(
    readonly dependency: Dependency,
    ms: number,
  ) {
    super(`${dependency === 'redis' ? 'Redis' : 'Postgres'} did not answer within ${ms} ms`);
    this.name = 'DependencyTimeoutError';
  }
}

/** Socket-level failures: the service is down, restarting, unreachable or cut off mid-request. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Postgres SQLSTATEs that say "not now" rather than "not this": connection exceptions (class 08),
 * insufficient resources (class 53: too many connections, out of memory or disk), operator intervention
 * (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), a transaction that lost a
 * serialisation race or a deadlock (40001, 40P01), which succeeds when simply sent again, and a database
 * too saturated to answer in time: a lock not obtained within its `lock_timeout` (55P03) or a statement
 * cancelled, by its `statement_timeout` or by an operator (57014). Postgres rolls the transaction back in
 * every case, so nothing of the request is kept.
 */
function isTransientSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '40001' ||
    code === '40P01' ||
    code === '55P03' ||
    code === '57014'
  );
}

/** The pg driver's and pg-pool's own words for a connection that failed or went away. */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Query read timeout/,
  /terminating connection due to/,
  /the database system is (starting up|shutting down|in recovery mode)/,
  // TypeORM's, when work that shared a transaction goes on after its connection was lost and released.
  /^Query runner already released/,
];

/** ioredis's words: a command given up on while reconnecting, or sent on a closed connection. */
const REDIS_ERROR_NAMES = new Set(['MaxRetriesPerRequestError']);
const REDIS_CONNECTION_MESSAGES = [
  /^Connection is closed\.?$/,
  /Stream isn't writeable/,
  /^LOADING /,
  /^MASTERDOWN /,
  /^READONLY /,
  /^TRYAGAIN /,
  /^CLUSTERDOWN /,
];

interface Inspectable {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
  port?: unknown;
}

function classifyOne(e: Inspectable): Dependency | 'network' | null {
  if (e instanceof DependencyTimeoutError) return e.dependency;
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const code = typeof e.code === 'string' ? e.code : '';
  // TypeORM releases a transaction's query runner when its connection dies, so the transaction's next
  // query says this rather than the socket error (seen with the connection cut mid-transaction). Postgres
  // rolls that transaction back.
  if (name === 'QueryRunnerAlreadyReleasedError') return 'postgres';
  if (REDIS_ERROR_NAMES.has(name) || REDIS_CONNECTION_MESSAGES.some((re) => re.test(message))) return 'redis';
  if (/^[0-9A-Z]{5}$/.test(code) && isTransientSqlState(code)) return 'postgres';
  if (PG_CONNECTION_MESSAGES.some((re) => re.test(message))) return 'postgres';
  if (NETWORK_CODES.has(code)) return 'network';
  return null;
}

/**
 * The dependency an error says is unreachable, or null. Looks through the wrappers TypeORM
 * (`driverError`), Node (`cause`) and AggregateError (`errors`, as from a connection attempt to each of
 * a host's addresses) put around the driver's error, a few levels deep.
 */
export function unavailableDependency(error: unknown): Dependency | null {
  const queue: { value: unknown; depth: number }[] = [{ value: error, depth: 0 }];
  let network = false;
  while (queue.length > 0) {
    const { value, depth } = queue.shift() as { value: unknown; depth: number };
    if (typeof value !== 'object' || value === null || depth > 4) continue;
    const e = value as Inspectable;
    const found = classifyOne(e);
    if (found === 'postgres' || found === 'redis') return found;
    if (found === 'network') network = true;
    for (const inner of [e.driverError, e.cause]) queue.push({ value: inner, depth: depth + 1 });
    if (Array.isArray(e.errors))
      for (const inner of e.errors.slice(0, 5)) queue.push({ value: inner, depth: depth + 1 });
  }
  // A refused or reset socket with nothing else to go on: Postgres and Redis are the only services the
  // API opens sockets to while answering a request (mail is the workers' job).
  return network ? 'postgres' : null;
}

/** How long a caller is asked to wait before trying again, in seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export const UNAVAILABLE_MESSAGE = `Nolan cannot do this right now because a service it relies on is not answering. Nothing is wrong with your request: try again in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds.`;
