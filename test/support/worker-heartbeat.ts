/**
 * Stands in for a running worker's heartbeat (workers/job-schedulers.ts), for suites that read /health
 * without starting a worker: /health is "ok" only while a worker has beaten lately (issue #17).
 */
import Redis from 'ioredis';
import { WORKER_HEARTBEAT_KEY } from '../../apps/api/src/queues/queue-names';
import { TEST_ENV } from './test-env';

export async function beatAsAWorker(): Promise<void> {
  const redis = new Redis(TEST_ENV.REDIS_URL);
  try {
    await redis.set(`${TEST_ENV.REDIS_PREFIX}:${WORKER_HEARTBEAT_KEY}`, String(Date.now()));
  } finally {
    redis.disconnect();
  }
}
