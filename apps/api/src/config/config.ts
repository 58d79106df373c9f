/**
 * Configuration is read once at start-up from the environment and validated with envalid, so a bad
 * deployment fails before it serves anything, with a message naming every missing or invalid
 * variable (docs/conventions.md §6). Secrets (session secret, receipt pepper, export signing secret, mode
 * tag secret) never live in the database.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, makeValidator, num, port, str, url, EnvError, EnvMissingError } from 'envalid';

export class ConfigError extends Error {
  constructor(readonly problems: Record<string, string>) {
    super(
      `Invalid environment variables: ${Object.entries(problems)
        .map(([name, why]) => `${name} (${why})`)
        .join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

/** A secret of at least 32 characters: enough entropy for HMAC and session encryption keys. */
const secret = makeValidator<string>((value) => {
  if (typeof value !== 'string' || value.trim().length < 32) {
    throw new EnvError('must be at least 32 characters');
  }
  return value.trim();
});

const postgresUrl = makeValidator<string>((value) => {
  if (!/^postgres(ql)?:\/\/.+/.test(value)) throw new EnvError('must be a postgres:// URL');
  return value;
});

const redisUrl = makeValidator<string>((value) => {
  if (!/^rediss?:\/\/.+/.test(value)) throw new EnvError('must be a redis:// URL');
  return value;
});

export interface AppConfig {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly apiPort: number;
  /**
   * API processes behind the one port (node:cluster), so intake's cryptography uses every core
   * (docs/performance.md "Using both cores"). 1 runs a single process, as before.
   */
  readonly apiProcesses: number;
  readonly portalPort: number;
  /** The API and workers connect as a role that row-level security binds (not the tables' owner). */
  readonly databaseUrl: string;
  /** Migrations run as the tables' owner. */
  readonly migrationDatabaseUrl: string;
  readonly redisUrl: string;
  /** Prefix for every BullMQ and Redis key, so several deployments (or test runs) can share a Redis. */
  readonly redisPrefix: string;
  readonly sessionSecret: string;
  readonly receiptPepper: string;
  /** Keys the audit chain and signs its checkpoints (HMAC-SHA256); never in the database. */
  readonly auditKey: string;
  /**
   * MODE_TAG_SECRET: keys a case's mode tag (docs/dashboard.md "Reports by mode"). Held by the API alone:
   * the migrations, the workers and the portal never need it, so it is optional here and the API refuses
   * to start without it (`requireApiSecrets`); null when not given.
   */
  readonly modeTagSecret: string | null;
  /**
   * Seals each tenant's export signing key in the database (apps/api/src/tenants/tenant-signing-keys.ts).
   * Server-held so that exports are signed without any one person present; a database dump without it
   * holds no usable signing key. Losing it means new signing keys (old exports still verify against the
   * published keys); leaking it together with a dump lets someone sign as the council.
   */
  readonly exportSigningSecret: string;
  readonly logLevel: string;
  readonly portalUrl: string;
  readonly apiUrl: string;
  /** A staff session (and the unlocked key in it) ends after this long without a request. */
  readonly sessionIdleSeconds: number;
  /** …and after this long in any case. */
  readonly sessionMaxSeconds: number;
  /** Where handler notifications are sent (a mail catcher for the demo). */
  readonly smtpUrl: string;
  /**
   * Days before an investigation plan's target date, and before a recommendation's due date, when the
   * assignee (and a recommendation's named owner) is reminded (sla.service.ts). PLAN_REMINDER_DAYS, 7.
   */
  readonly planReminderDays: number;
  readonly mailFrom: string;
  /** Reports and messages one API process handles at once; beyond that a 503 with Retry-After. */
  readonly intakeMaxConcurrent: number;
  /** Where uploads stream to while a request is read (files 0600, removed when it ends). */
  readonly uploadTmpDir: string;
  /** All uploads on disk at once, per process; beyond that a 503 with Retry-After. */
  readonly uploadDiskBudgetBytes: number;
  /** All uploaded files held in memory at once (to be checked and encrypted), per process. */
  readonly uploadMemoryBudgetBytes: number;
  /**
   * Whether what a reporter causes is held until the batch boundary (docs/architecture.md "Reporter
   * time"). Always on; `REPORTER_BATCHING=off` is accepted only with NODE_ENV=test, for the suites that
   * predate batching and expect a report's notices within seconds.
   */
  readonly reporterBatching: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: Record<string, string> = {};
  const clean = cleanEnv(
    env,
    {
      NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'development' }),
      API_PORT: port({ default: 3000 }),
      API_PROCESSES: num({ default: 1 }),
      PORTAL_PORT: port({ default: 3001 }),
      DATABASE_URL: postgresUrl({ default: 'postgres://nolan_app@127.0.0.1:5432/nolan' }),
      MIGRATION_DATABASE_URL: postgresUrl({ default: 'postgres://postgres@127.0.0.1:5432/nolan' }),
      REDIS_URL: redisUrl({ default: 'redis://127.0.0.1:6379' }),
      REDIS_PREFIX: str({ default: 'nolan' }),
      SESSION_SECRET: secret(),
      RECEIPT_PEPPER: secret(),
      AUDIT_KEY: secret(),
      MODE_TAG_SECRET: str({ default: '' }),
      EXPORT_SIGNING_SECRET: secret(),
      LOG_LEVEL: str({
        choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
        default: 'info',
      }),
      PORTAL_URL: url({ default: 'http://localhost:3001' }),
      API_URL: url({ default: 'http://localhost:3000' }),
      SESSION_IDLE_MINUTES: num({ default: 30 }),
      SESSION_MAX_HOURS: num({ default: 12 }),
      SMTP_URL: str({ default: 'smtp://127.0.0.1:1025' }),
      MAIL_FROM: str({ default: 'Nolan <no-reply@nolan.invalid>' }),
      INTAKE_MAX_CONCURRENT: num({ default: 8 }),
      UPLOAD_TMP_DIR: str({ default: join(tmpdir(), 'nolan-uploads') }),
      UPLOAD_DISK_BUDGET_MB: num({ default: 1024 }),
      UPLOAD_MEMORY_BUDGET_MB: num({ default: 256 }),
      REPORTER_BATCHING: str({ choices: ['on', 'off'], default: 'on' }),
      PLAN_REMINDER_DAYS: num({ default: 7 }),
    },
    {
      reporter: ({ errors }) => {
        for (const [name, error] of Object.entries(errors)) {
          if (!error) continue;
          problems[name] = error instanceof EnvMissingError ? 'missing' : `invalid: ${error.message}`;
        }
      },
    },
  );
  if (clean.REPORTER_BATCHING === 'off' && clean.NODE_ENV !== 'test') {
    problems.REPORTER_BATCHING = 'invalid: "off" is for test suites only (NODE_ENV=test)';
  }
  if (clean.MODE_TAG_SECRET.trim() && clean.MODE_TAG_SECRET.trim().length < 32) {
    problems.MODE_TAG_SECRET = 'invalid: must be at least 32 characters';
  }
  if (
    !problems.PLAN_REMINDER_DAYS &&
    (!Number.isInteger(clean.PLAN_REMINDER_DAYS) ||
      clean.PLAN_REMINDER_DAYS < 0 ||
      clean.PLAN_REMINDER_DAYS > 90)
  ) {
    problems.PLAN_REMINDER_DAYS = 'invalid: a whole number of days from 0 to 90';
  }
  if (Object.keys(problems).length > 0) throw new ConfigError(problems);
  return {
    nodeEnv: clean.NODE_ENV as AppConfig['nodeEnv'],
    apiPort: clean.API_PORT,
    apiProcesses: Math.min(64, Math.max(1, Math.floor(clean.API_PROCESSES))),
    portalPort: clean.PORTAL_PORT,
    databaseUrl: clean.DATABASE_URL,
    migrationDatabaseUrl: clean.MIGRATION_DATABASE_URL,
    redisUrl: clean.REDIS_URL,
    redisPrefix: clean.REDIS_PREFIX,
    sessionSecret: clean.SESSION_SECRET,
    receiptPepper: clean.RECEIPT_PEPPER,
    auditKey: clean.AUDIT_KEY,
    modeTagSecret: clean.MODE_TAG_SECRET.trim() || null,
    exportSigningSecret: clean.EXPORT_SIGNING_SECRET,
    logLevel: clean.LOG_LEVEL,
    portalUrl: clean.PORTAL_URL,
    apiUrl: clean.API_URL,
    sessionIdleSeconds: Math.round(clean.SESSION_IDLE_MINUTES * 60),
    sessionMaxSeconds: Math.round(clean.SESSION_MAX_HOURS * 3600),
    smtpUrl: clean.SMTP_URL,
    mailFrom: clean.MAIL_FROM,
    intakeMaxConcurrent: Math.max(1, Math.floor(clean.INTAKE_MAX_CONCURRENT)),
    uploadTmpDir: clean.UPLOAD_TMP_DIR,
    uploadDiskBudgetBytes: Math.round(clean.UPLOAD_DISK_BUDGET_MB * 1024 * 1024),
    uploadMemoryBudgetBytes: Math.round(clean.UPLOAD_MEMORY_BUDGET_MB * 1024 * 1024),
    reporterBatching: clean.REPORTER_BATCHING === 'on',
    planReminderDays: clean.PLAN_REMINDER_DAYS,
  };
}

/**
 * What only the API needs besides what every process does: MODE_TAG_SECRET, kept from the migrations,
 * the workers and the portal (docs/threat-model.md "A report's mode is a keyed tag"). The API calls it
 * before it serves anything, so a deployment without the secret fails at start, naming it.
 */
export function requireApiSecrets(config: AppConfig): void {
  if (!config.modeTagSecret) throw new ConfigError({ MODE_TAG_SECRET: 'missing' });
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
