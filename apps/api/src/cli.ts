/**
 * Operator commands (the third entry point). Each prints one line per outcome and, on failure, one
 * line naming the problem and exits 1 — never a stack trace.
 *   migrate     create the database if missing, run migrations as the owner, ensure the app role
 *   seed-demo   create the demo tenant once; write its sign-in details to .demo/credentials.json
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from './config/config';
import { createDataSource } from './database/data-source';
import { ensureAppRole, ensureDatabase, runMigrations } from './database/provision';
import { seedDemoTenant } from './demo/demo-seed';

const out = (line: string) => process.stdout.write(`${line}\n`);

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
    const result = await seedDemoTenant(dataSource, config.sessionSecret);
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
      out(`  ${user.roles.join(', ').padEnd(26)} ${user.email.padEnd(36)} password ${user.password}  TOTP secret ${user.totpSecret}`);
    }
    out(`  also written, with otpauth:// URLs for an authenticator app, to ${file}`);
  } finally {
    await dataSource.destroy();
  }
}

const commands: Record<string, () => Promise<void>> = { migrate, 'seed-demo': seedDemo };

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
