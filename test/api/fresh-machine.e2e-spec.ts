/**
 * Issue #17, "a fresh machine": docker-compose.yml runs as documented only if every variable the API's
 * and the portal's configurations require reaches each container. Each Nolan service's environment is
 * read from the file (every `${VAR:?…}` given a 32-character stand-in, as the README's Docker line does)
 * and passed to the real config loaders, which name any missing or invalid variable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig, requireApiSecrets } from '../../apps/api/src/config/config';
import { loadPortalConfig } from '../../apps/portal/src/app/portal-config';

const root = join(__dirname, '..', '..');

interface ComposeService {
  environment?: Record<string, string>;
}

interface Compose {
  services: Record<string, ComposeService & { '<<'?: ComposeService }>;
}

function composeEnvironment(service: string): NodeJS.ProcessEnv {
  const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as Compose;
  // The services share their environment through a YAML merge key (`<<: *nolan`).
  const declared = compose.services[service];
  const env = declared?.environment ?? declared?.['<<']?.environment ?? {};
  const standIn = 'x'.repeat(32);
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      String(value).replace(
        /\$\{([A-Z_]+)(:\?[^}]*|:-([^}]*))?\}/g,
        (_, _v, _op, fallback) => fallback ?? standIn,
      ),
    ]),
  );
}

describe('docker-compose.yml', () => {
  it.each(['migrate', 'api', 'worker'])(
    'gives the %s container every variable the API requires',
    (service) => {
      expect(() => loadConfig(composeEnvironment(service))).not.toThrow();
    },
  );

  it('gives the portal container every variable the portal requires in production', () => {
    const env = composeEnvironment('portal');
    expect(env.NODE_ENV).toBe('production');
    expect(() => loadPortalConfig(env)).not.toThrow();
  });

  it('would be refused by the portal without PORTAL_SESSION_SECRET, as before this fix', () => {
    const { PORTAL_SESSION_SECRET: _, ...env } = composeEnvironment('portal');
    expect(() => loadPortalConfig(env)).toThrow('PORTAL_SESSION_SECRET (missing)');
  });
});

describe('docker-compose.yml: the mode tag secret', () => {
  it('gives MODE_TAG_SECRET to the api container alone, which refuses to start without it', () => {
    const api = loadConfig(composeEnvironment('api'));
    expect(() => requireApiSecrets(api)).not.toThrow();
    expect(api.modeTagSecret).toHaveLength(32);
    for (const service of ['migrate', 'worker', 'portal']) {
      expect(composeEnvironment(service)).not.toHaveProperty('MODE_TAG_SECRET');
    }
    expect(() => requireApiSecrets(loadConfig(composeEnvironment('worker')))).toThrow(
      'MODE_TAG_SECRET (missing)',
    );
  });

  it('gives the portal none of the API secrets (it reads none)', () => {
    const env = composeEnvironment('portal');
    for (const name of [
      'RECEIPT_PEPPER',
      'SESSION_SECRET',
      'AUDIT_KEY',
      'EXPORT_SIGNING_SECRET',
      'DATABASE_URL',
    ])
      expect(env).not.toHaveProperty(name);
  });
});

describe('docker-compose.yml: Redis keeps no file', () => {
  it('runs Redis with no append-only file, no snapshots and no volume (docs/threat-model.md "Redis keeps no file")', () => {
    const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: { redis: { command: string[]; volumes?: unknown } };
    };
    const { command, volumes } = compose.services.redis;
    const option = (name: string) => command[command.indexOf(name) + 1];
    expect(command[0]).toBe('redis-server');
    expect(option('--appendonly')).toBe('no');
    expect(option('--save')).toBe('');
    expect(volumes).toBeUndefined();
  });
});
