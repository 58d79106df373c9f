#!/usr/bin/env node
/*
 * `npm start`: the two-command demo. Checks Postgres and Redis (one-line failure if either is
 * unreachable), builds, runs migrations, seeds the demo tenant once, then runs the API, the workers
 * and the portal until Ctrl-C. Secrets come from the environment, or from .demo/secrets.env, which
 * is generated on first start (outside the database, git-ignored).
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');
const { runtimeEnv } = require('./runtime-env');

const root = join(__dirname, '..');
const demoDir = process.env.NOLAN_DEMO_DIR || join(root, '.demo');
const secretsFile = join(demoDir, 'secrets.env');
const say = (line) => process.stdout.write(`${line}\n`);
const fail = (line) => {
  process.stderr.write(`nolan: ${line}\n`);
  process.exit(1);
};

/** Every secret the demo needs; a secrets file from an older checkout gains the ones it lacks. */
const DEMO_SECRETS = [
  'SESSION_SECRET',
  'RECEIPT_PEPPER',
  'PORTAL_SESSION_SECRET',
  'EXPORT_SIGNING_SECRET',
  'AUDIT_KEY',
  'MODE_TAG_SECRET',
];

function loadOrCreateSecrets() {
  mkdirSync(demoDir, { recursive: true, mode: 0o700 });
  const existing = existsSync(secretsFile) ? readFileSync(secretsFile, 'utf8') : '';
  const missing = DEMO_SECRETS.filter((name) => !new RegExp(`^${name}=`, 'm').test(existing));
  if (missing.length) {
    const secret = () => randomBytes(32).toString('base64url');
    const lines = missing.map((name) => `${name}=${secret()}\n`).join('');
    writeFileSync(secretsFile, `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}${lines}`, {
      mode: 0o600,
    });
    say(`secrets: generated ${missing.join(', ')} in ${relative(process.cwd(), secretsFile)}`);
  }
  for (const line of readFileSync(secretsFile, 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=(.+)$/.exec(line.trim());
    if (match && !process.env[match[1]]) process.env[match[1]] = match[2];
  }
}

function describe(urlString) {
  const url = new URL(urlString);
  return `${url.hostname}:${url.port || (url.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

async function checkPostgres(urlString) {
  const url = new URL(urlString);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    fail(
      `cannot reach PostgreSQL at ${describe(urlString)} (${error.code || error.message}); start it or set MIGRATION_DATABASE_URL and DATABASE_URL (see README).`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(urlString) {
  const redis = new Redis(urlString, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let cause;
  redis.on('error', (error) => (cause ||= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const why = (cause || error).code || (cause || error).message;
    fail(`cannot reach Redis at ${describe(urlString)} (${why}); start it or set REDIS_URL (see README).`);
  } finally {
    redis.disconnect();
  }
}

function run(label, args) {
  const result = spawnSync(process.execPath, args, { cwd: root, env: process.env, stdio: 'inherit' });
  if (result.status !== 0) fail(`${label} failed (exit ${result.status}); see the message above.`);
}

function waitFor(url, child, name) {
  const deadline = Date.now() + 60_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null)
        return reject(
          new Error(
            `${name} exited (code ${child.exitCode}); see ${relative(process.cwd(), join(demoDir, 'logs'))}/${name}.log`,
          ),
        );
      fetch(url)
        .then((res) => (res.status < 500 ? resolve() : retry()))
        .catch(retry);
    };
    const retry = () =>
      Date.now() > deadline
        ? reject(new Error(`${name} did not answer ${url} within 60 s`))
        : setTimeout(attempt, 300);
    attempt();
  });
}

async function main() {
  loadOrCreateSecrets();
  process.env.NODE_ENV ||= 'development';
  const databaseUrl = (process.env.DATABASE_URL ||= 'postgres://nolan_app@127.0.0.1:5432/nolan');
  const migrationUrl = (process.env.MIGRATION_DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/nolan');
  const redisUrl = (process.env.REDIS_URL ||= 'redis://127.0.0.1:6379');
  const apiPort = (process.env.API_PORT ||= '3000');
  const portalPort = (process.env.PORTAL_PORT ||= '3001');
  process.env.API_URL ||= `http://localhost:${apiPort}`;
  process.env.PORTAL_URL ||= `http://localhost:${portalPort}`;
  void databaseUrl;

  await checkPostgres(migrationUrl);
  await checkRedis(redisUrl);
  say('postgres and redis: reachable');

  if (!process.env.NOLAN_SKIP_BUILD) {
    say('building the API and the portal (cached after the first run)…');
    const nx = require.resolve('nx/bin/nx');
    run('build', [
      nx,
      'run-many',
      '-t',
      'build',
      '-p',
      'api',
      'portal',
      '--output-style=static',
      '--skip-sync',
    ]);
  }
  run('migrations', ['dist/apps/api/cli.js', 'migrate']);
  run('demo tenant', ['dist/apps/api/cli.js', 'seed-demo']);

  const logDir = join(demoDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const children = [];
  const start = (name, script) => {
    const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [script], {
      cwd: root,
      // Two malloc arenas, a smaller young generation but for the API's (docs/performance.md "Memory").
      env: runtimeEnv(process.env, { api: name === 'api' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
    child.stderr.pipe(log);
    child.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(
          `nolan: ${name} stopped (${signal || `exit ${code}`}); see ${relative(process.cwd(), logDir)}/${name}.log\n`,
        );
        stop(1);
      }
    });
    children.push(child);
    return child;
  };
  let stopping = false;
  const stop = (code = 0) => {
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 1500).unref();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  // Without Docker, notifications go to a local catcher that writes each e-mail to the demo's mail folder
  // (.demo/mail, or NOLAN_DEMO_DIR's), where the lines printed below say they are.
  if (!process.env.SMTP_URL) {
    process.env.SMTP_URL = 'smtp://127.0.0.1:1025';
    process.env.NOLAN_MAIL_DIR = process.env.NOLAN_MAIL_DIR || join(demoDir, 'mail');
    start('mail', join('scripts', 'mail-catcher.js'));
  }
  const api = start('api', 'dist/apps/api/main.js');
  start('worker', 'dist/apps/api/worker.js');
  const portal = start('portal', 'dist/apps/portal/main.js');
  try {
    await waitFor(`http://127.0.0.1:${apiPort}/health`, api, 'api');
    await waitFor(`http://127.0.0.1:${portalPort}/`, portal, 'portal');
  } catch (error) {
    process.stderr.write(`nolan: ${error.message}\n`);
    return stop(1);
  }
  say('');
  const shown = relative(process.cwd(), demoDir) || '.';
  say('Nolan is running (Ctrl-C stops everything):');
  say(`  portal       http://localhost:${portalPort}/`);
  say(`  API          http://localhost:${apiPort}/api/v1`);
  say(`  OpenAPI      http://localhost:${apiPort}/api/docs`);
  say(`  health       http://localhost:${apiPort}/health`);
  say(`  sign-in      ${shown}/credentials.json (demo staff users, passwords and TOTP secrets)`);
  say(`  secrets      ${shown}/secrets.env (${DEMO_SECRETS.join(', ')})`);
  say(
    `  e-mail       ${process.env.SMTP_URL === 'smtp://127.0.0.1:1025' ? `${relative(process.cwd(), process.env.NOLAN_MAIL_DIR) || '.'}/*.eml (the local mail catcher; also listed in ${shown}/logs/mail.log)` : process.env.SMTP_URL}`,
  );
  say(
    `  logs         ${shown}/logs/{api,worker,portal}.log${process.env.SMTP_URL === 'smtp://127.0.0.1:1025' ? ' and mail.log' : ''}`,
  );
  // Reporter time (docs/architecture.md "Reporter time"): what a report causes reaches staff at the batch.
  say('  reports      a report sent now reaches the staff pages and their e-mail at the next batch boundary');
  say('               (the top of the hour by default; README "What batching costs")');
}

main().catch((error) => fail(error.message));
