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
});
