/** The portal's own configuration, validated at start like the API's (it never imports the API). */
import { cleanEnv, EnvMissingError, port, str, url } from 'envalid';

export interface PortalConfig {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly port: number;
  readonly apiUrl: string;
  readonly serviceName: string;
  /** The council whose reporting journey the start page (/) leads into: the demo tenant by default. */
  readonly defaultTenant: string;
  /**
   * Seals the portal's own state (a reporter's unfinished answers, a staff session cookie) and keys its
   * CSRF tokens. From the environment, never the database; `npm start` generates one into .demo/secrets.env.
   */
  readonly sessionSecret: string;
}

export function loadPortalConfig(env: NodeJS.ProcessEnv = process.env): PortalConfig {
  const problems: string[] = [];
  const clean = cleanEnv(
    env,
    {
      NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'development' }),
      PORTAL_PORT: port({ default: 3001 }),
      API_URL: url({ default: 'http://localhost:3000' }),
      SERVICE_NAME: str({ default: 'Raise a concern about conduct at work' }),
      PORTAL_DEFAULT_TENANT: str({ default: 'demo' }),
      PORTAL_SESSION_SECRET: str({ default: '' }),
    },
    {
      reporter: ({ errors }) => {
        for (const [name, error] of Object.entries(errors)) {
          if (error)
            problems.push(
              `${name} (${error instanceof EnvMissingError ? 'missing' : `invalid: ${error.message}`})`,
            );
        }
      },
    },
  );
  // Outside production a fixed development secret will do; production must set its own.
  const sessionSecret =
    clean.PORTAL_SESSION_SECRET ||
    (clean.NODE_ENV === 'production' ? '' : 'development-only-portal-secret-change-me-0123456789');
  if (!problems.length && !sessionSecret) problems.push('PORTAL_SESSION_SECRET (missing)');
  else if (!problems.length && sessionSecret.length < 32)
    problems.push('PORTAL_SESSION_SECRET (invalid: use at least 32 characters)');
  if (problems.length) throw new Error(`Invalid environment variables: ${problems.join('; ')}`);
  return {
    nodeEnv: clean.NODE_ENV as PortalConfig['nodeEnv'],
    port: clean.PORTAL_PORT,
    apiUrl: clean.API_URL,
    serviceName: clean.SERVICE_NAME,
    defaultTenant: clean.PORTAL_DEFAULT_TENANT,
    sessionSecret,
  };
}

export const PORTAL_CONFIG = Symbol('PORTAL_CONFIG');
