import { loadPortalConfig } from './portal-config';

describe('loadPortalConfig', () => {
  it('defaults to port 3001 and the API on localhost:3000', () => {
    expect(loadPortalConfig({})).toEqual(
      expect.objectContaining({ port: 3001, apiUrl: 'http://localhost:3000', nodeEnv: 'development' }),
    );
  });

  it('names every invalid variable in one message', () => {
    expect(() => loadPortalConfig({ PORTAL_PORT: 'x', API_URL: 'not a url' })).toThrow(
      /^Invalid environment variables: PORTAL_PORT \(invalid.*\); API_URL \(invalid/,
    );
  });

  it('requires a session secret of at least 32 characters in production', () => {
    expect(() => loadPortalConfig({ NODE_ENV: 'production' })).toThrow(/PORTAL_SESSION_SECRET \(missing\)/);
    expect(() => loadPortalConfig({ NODE_ENV: 'production', PORTAL_SESSION_SECRET: 'short' })).toThrow(
      /at least 32 characters/,
    );
    expect(
      loadPortalConfig({ NODE_ENV: 'production', PORTAL_SESSION_SECRET: 'x'.repeat(32) }).sessionSecret,
    ).toBe('x'.repeat(32));
  });
});
