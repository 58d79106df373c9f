/**
 * Operator commands (the third entry point). Each prints one line per outcome and, on failure, one
 * line naming the problem and exits 1 — never a stack trace.
 *   migrate     create the database if missing, run migrations as the owner, ensure the app role
 *   seed-demo   create the demo tenant once; write its sign-in details to .demo/credentials.json
 *   audit:verify [--tenant SLUG] [--checkpoint FILE]
 *               check every tenant's keyed audit chain and signed checkpoints as the owner, and against a
 *               checkpoint file the monitoring officer downloaded; one line per tenant, naming the first
 *               broken link; exits 1 if any trail is broken
 *   tenant:create --slug SLUG --name NAME
 *               a new council; prints its escrow recovery passphrase once and its export signing key
 *   tenant:signing-key --slug SLUG
 *               the council's export signing key fingerprint (made now if it has none)
 *   tenant:replace-signing-key --slug SLUG
 *               a new export signing key (EXPORT_SIGNING_SECRET lost or leaked); runs as the owner
 *   tenant:fallback-overseer --slug SLUG --role ROLE
 *               the role whose holder oversees a case every oversight role is involved in (issue #15)
 *   user:create --tenant SLUG --email EMAIL --name NAME --roles role[,role…]
 *               a staff user, roles confirmed, with a temporary password (printed once) that opens only
 *               choosing their own and enrolling two-factor
 *   user:reset-2fa --tenant SLUG --email EMAIL
 *               clears a user's two-factor set-up (lost phone); they enrol again at next sign-in
 *   backup FILE  pg_dump of the whole database (custom format, file 0600) as MIGRATION_DATABASE_URL's role
 *   restore FILE into the new, empty database MIGRATION_DATABASE_URL names: pg_restore, migrations, the
 *               app role of DATABASE_URL, then audit:verify (docs/threat-model.md "Backup and restore")
 */
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CheckpointFile, describeBreak, readCheckpointFile } from './audit/audit-chain';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { loadConfig } from './config/config';
import { createDataSource } from './database/data-source';
import { backupDatabase, restoreDatabase } from './database/backup';
import { ensureAppRole, ensureDatabase, runMigrations } from './database/provision';
import { inTenant } from './database/tenant-transaction';
import { seedDemoTenant } from './demo/demo-seed';
import { tenantCreate, userCreate, userResetTwoFactor } from './staff/staff-commands';
import { signingKeyReplace, signingKeyShow } from './tenants/signing-key-commands';
import { fallbackOverseerSet } from './tenants/fallback-overseer-commands';
import { TenantEntity } from './tenants/tenant.entity';

const out = (line: string) => process.stdout.write(`${line}\n`);

/**
 * On a demo machine the secrets live in .demo/secrets.env (written by npm start); read it for anything
 * the environment does not set, so `npm run nolan -- …` works there as it does under npm start.
 */
function loadDemoSecrets(): void {
  const file = resolve(process.env.NOLAN_DEMO_DIR ?? join(process.cwd(), '.demo'), 'secrets.env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=(.+)$/.exec(line.trim());
    if (match && !process.env[match[1] as string]) process.env[match[1] as string] = match[2];
  }
}
loadDemoSecrets();

async function migrate(): Promise<void> {
  const config = loadConfig();
  if (await ensureDatabase(config.migrationDatabaseUrl)) out('created the database');
  const ran = await runMigrations(config.migrationDatabaseUrl);
  out(ran.length ? `migrations applied: ${ran.join(', ')}` : 'migrations: up to date');
  await ensureAppRole(config.migrationDatabaseUrl, config.databaseUrl);
}

async function seedDemo(): Promise<void> {
  const config = loadConfig();
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  try {
    const result = await seedDemoTenant(dataSource, config.sessionSecret, config.exportSigningSecret);
    const file = resolve(process.env.NOLAN_DEMO_DIR ?? join(process.cwd(), '.demo'), 'credentials.json');
    if (!result.created) {
      out(`demo tenant: already present (sign-in details were written once to ${file})`);
      return;
    }
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(result.credentials, null, 2) + '\n', { mode: 0o600 });
    const { tenant, users } = result.credentials;
    out(`demo tenant "${tenant.name}" created (slug ${tenant.slug}); these details are shown once:`);
    out(`  escrow recovery passphrase: ${tenant.escrowRecoveryPassphrase}`);
    for (const user of users) {
      out(
        `  ${user.roles.join(', ').padEnd(26)} ${user.email.padEnd(36)} password ${user.password}  TOTP secret ${user.totpSecret}`,
      );
    }
    out(`  also written, with otpauth:// URLs for an authenticator app, to ${file}`);
  } finally {
    await dataSource.destroy();
  }
}

async function auditVerify(): Promise<void> {
  const config = loadConfig();
  const args = process.argv.slice(3);
  const flag = args.indexOf('--tenant');
  let slug = flag >= 0 ? args[flag + 1] : undefined;
  if (flag >= 0 && !slug) throw new Error('--tenant needs a slug');
  // A checkpoint the monitoring officer took out of Nolan (GET /oversight/audit-checkpoint): the trail must
  // still agree with it, whatever was done to the database since (issue #15).
  const fileFlag = args.indexOf('--checkpoint');
  const fileName = fileFlag >= 0 ? args[fileFlag + 1] : undefined;
  if (fileFlag >= 0 && !fileName) throw new Error('--checkpoint needs a file');
  let file: CheckpointFile | undefined;
  if (fileName) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(fileName, 'utf8'));
    } catch {
      throw new Error(`cannot read the checkpoint file ${fileName} as JSON`);
    }
    const read = readCheckpointFile(config.auditKey, parsed);
    if (!read.ok) throw new Error(`the checkpoint file ${fileName} cannot be trusted: ${read.reason}`);
    file = read.file;
    if (slug && slug !== file.tenant)
      throw new Error(`the checkpoint file is for tenant "${file.tenant}", not "${slug}"`);
    slug = file.tenant;
  }
  // The owner sees every tenant; the tables force row-level security, so each chain is still read
  // inside its own tenant's transaction.
  const dataSource = createDataSource(config.migrationDatabaseUrl);
  await dataSource.initialize();
  try {
    const tenants = await dataSource
      .getRepository(TenantEntity)
      .find({ where: slug ? { slug } : {}, order: { slug: 'ASC' } });
    if (slug && tenants.length === 0) throw new Error(`no tenant with slug "${slug}"`);
    const audit = new AuditService(new AuditRepository(), config.auditKey);
    let broken = 0;
    for (const tenant of tenants) {
      const extra = file && file.tenantId === tenant.id ? [{ seq: file.seq, hash: file.hash }] : [];
      if (file && file.tenantId !== tenant.id)
        throw new Error(`the checkpoint file is for another installation's tenant "${file.tenant}"`);
      const verdict = await inTenant(dataSource, tenant.id, (manager) =>
        audit.verify(manager, undefined, extra),
      );
      if (verdict.intact) {
        const n = verdict.checkpoints;
        const checkpoints = n ? `, ${n} checkpoint${n === 1 ? ' matches' : 's match'}` : '';
        out(`tenant ${tenant.slug}: ${verdict.entries} entries, chain intact${checkpoints}`);
        if (file) out(`checkpoint file: seq ${file.seq} of ${file.takenAt} matches`);
      } else {
        broken += 1;
        out(`tenant ${tenant.slug}: ${describeBreak(verdict.broken)}`);
      }
    }
    if (broken > 0) throw new Error(`${broken} of ${tenants.length} tenant audit trails are broken`);
  } finally {
    await dataSource.destroy();
  }
}

async function backup(): Promise<void> {
  const config = loadConfig();
  const result = await backupDatabase(config.migrationDatabaseUrl, process.argv[3] ?? '');
  out(`backup written to ${result.file} (${result.bytes} bytes, ${result.tables} tables)`);
  out(
    'keep it apart from the secrets (SESSION_SECRET, RECEIPT_PEPPER, EXPORT_SIGNING_SECRET), which it needs to be read',
  );
}

async function restore(): Promise<void> {
  const config = loadConfig();
  const result = await restoreDatabase(
    config.migrationDatabaseUrl,
    config.databaseUrl,
    process.argv[3] ?? '',
  );
  out(`restored ${result.tables} tables into database "${result.database}"`);
  out(
    result.migrations.length
      ? `migrations applied: ${result.migrations.join(', ')}`
      : 'migrations: up to date',
  );
  await auditVerify();
}

/** As the tables' owner: the application role may not delete a signing key. */
async function replaceSigningKey(): Promise<void> {
  const config = loadConfig();
  const dataSource = createDataSource(config.migrationDatabaseUrl);
  await dataSource.initialize();
  try {
    for (const line of await signingKeyReplace(dataSource, process.argv.slice(3), config.exportSigningSecret))
      out(line);
  } finally {
    await dataSource.destroy();
  }
}

/** Runs a staff command over the application role (row-level security applies) and prints its lines. */
function withAppDataSource(
  run: (dataSource: DataSource, sessionSecret: string, args: string[]) => Promise<string[]>,
) {
  return async () => {
    const config = loadConfig();
    const dataSource = createDataSource(config.databaseUrl);
    await dataSource.initialize();
    try {
      for (const line of await run(dataSource, config.sessionSecret, process.argv.slice(3))) out(line);
    } finally {
      await dataSource.destroy();
    }
  };
}

const commands: Record<string, () => Promise<void>> = {
  migrate,
  'seed-demo': seedDemo,
  'audit:verify': auditVerify,
  backup,
  restore,
  'tenant:create': withAppDataSource((ds, _secret, args) =>
    tenantCreate(ds, args, loadConfig().exportSigningSecret),
  ),
  'tenant:signing-key': withAppDataSource((ds, _secret, args) =>
    signingKeyShow(ds, args, loadConfig().exportSigningSecret),
  ),
  'tenant:replace-signing-key': replaceSigningKey,
  'user:create': withAppDataSource((ds, secret, args) => userCreate(ds, secret, args)),
  'user:reset-2fa': withAppDataSource((ds, _secret, args) =>
    userResetTwoFactor(ds, args, loadConfig().auditKey),
  ),
  'tenant:fallback-overseer': withAppDataSource((ds, _secret, args) =>
    fallbackOverseerSet(ds, args, loadConfig().auditKey),
  ),
};

const name = process.argv[2] ?? '';
const command = commands[name];
if (!command) {
  process.stderr.write(`nolan: unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}\n`);
  process.exit(2);
}
command().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`nolan ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
