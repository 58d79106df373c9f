import 'reflect-metadata';
import cluster from 'node:cluster';
import type * as NestCore from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type * as AppModuleFile from './app/app.module';
import type * as ConfigureAppFile from './app/configure-app';
import { forkSettings } from './api-processes';
import { ConfigError, loadConfig, requireApiSecrets } from './config/config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  requireApiSecrets(config);
  if (config.apiProcesses > 1 && cluster.isPrimary) return supervise(config.apiProcesses);
  // The application is loaded only in a process that serves it: a supervisor only forks and waits, and
  // Nest, TypeORM, openpgp, sharp and the rest cost it about 120 MB of resident memory for nothing
  // (docs/performance.md "Memory").
  const { NestFactory } = require('@nestjs/core') as typeof NestCore;
  const { AppModule } = require('./app/app.module') as typeof AppModuleFile;
  const { configureApp } = require('./app/configure-app') as typeof ConfigureAppFile;
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app);
  const server = await app.listen(config.apiPort);
  // Idle keep-alive sockets stay open longer than a client or proxy keeps them (load balancers use 60 s):
  // with Node's 5 s, a client that reuses a socket just as the server closes it loses that request
  // ("other side closed"), which a busy portal or a burst of reporters would see now and then.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

/**
 * API_PROCESSES > 1: this process only forks the API processes, which share the port (node:cluster hands
 * each connection to one of them). Every API process is stateless — sessions, proofs and limits live in
 * Redis — so any of them can answer any request (docs/performance.md "Using both cores"). If one dies,
 * all stop, so the supervisor (npm start, Docker, systemd) restarts a whole API, never half of one.
 */
function supervise(processes: number): void {
  let stopping = false;
  // glibc gives each thread that allocates its own malloc arena (libuv's pool, sharp's, Argon2's), and
  // memory freed in one is not given back to the others: two arenas keep a process's resident set near
  // what it uses; and V8's young generation and heap growth are kept smaller than Node's defaults
  // (docs/performance.md "Memory"). Both are read when a process starts, so here for the forks.
  const { env, execArgv } = forkSettings(process.env, process.execArgv);
  cluster.setupPrimary({ execArgv });
  for (let i = 0; i < processes; i++) cluster.fork(env);
  cluster.on('exit', (_worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(`nolan api: an API process stopped (${signal ?? `exit ${code}`}); stopping\n`);
    stopping = true;
    for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
    setTimeout(() => process.exit(1), 5000).unref();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

bootstrap().catch((error: unknown) => {
  // One line, no stack: the message names what is wrong (e.g. every bad environment variable).
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`nolan api: ${message}\n`);
  process.exit(1);
});
