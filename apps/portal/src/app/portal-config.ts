/** The portal's own configuration, validated at start like the API's (it never imports the API). */
import { cleanEnv, EnvMissingError, port, str, url } from 'envalid';

export interface PortalConfig {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly port: number;
  readonly apiUrl: string;
  readonly serviceName: string;
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
  if (problems.length) throw new Error(`Invalid environment variables: ${problems.join('; ')}`);
  return {
    nodeEnv: clean.NODE_ENV as PortalConfig['nodeEnv'],
    port: clean.PORTAL_PORT,
    apiUrl: clean.API_URL,
    serviceName: clean.SERVICE_NAME,
  };
}

export const PORTAL_CONFIG = Symbol('PORTAL_CONFIG');
