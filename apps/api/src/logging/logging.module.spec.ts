import { isReporterRoute, requestLogFields } from './logging.module';

describe('request logging', () => {
  it('recognises every reporter route, and no staff route', () => {
    for (const url of [
      '/api/v1/tenants/demo/reports',
      '/api/v1/tenants/demo/reporter-sessions',
      '/api/v1/tenants/demo/challenge?mode=wait',
      '/api/v1/tenants/demo/form',
      '/api/v1/reporter/case',
      '/api/v1/reporter/case/messages',
    ]) {
      expect(isReporterRoute(url)).toBe(true);
    }
    for (const url of ['/health', '/api/v1/cases', '/api/v1/tenants/demo/sessions', '/api/v1/me']) {
      expect(isReporterRoute(url)).toBe(false);
    }
  });

  it('cannot be stepped round by case, percent-encoding or doubled slashes (issue #14)', () => {
    for (const url of [
      '/api/v1/tenants/demo/REPORTS',
      '/API/V1/Tenants/demo/Reports',
      '/api/v1/tenants/demo/%72eports',
      '/api/v1/tenants/demo/%2572eports',
      '/api/v1/%52EPORTER/case',
      '/api/v1/reporter',
      '/api/v1//reporter/case',
      '/api/v1/tenants/demo/reporter-sessions?x=1',
      '/api/v1/tenants/demo/%E0%A4%A/reports',
    ]) {
      expect(isReporterRoute(url)).toBe(true);
    }
    for (const url of ['/api/v1/CASES', '/api/v1/reporters-guide', '/api/v1/tenants/demo/SESSIONS']) {
      expect(isReporterRoute(url)).toBe(false);
    }
  });

  it('reads an absolute-form target and an escaped slash in the council’s slug as Express routes them (issue #14)', () => {
    for (const url of [
      'http://nolan.example/api/v1/reporter/case',
      'HTTP://nolan.example:8080/api/v1/tenants/demo/reports?x=1',
      'https://user@nolan.example/api/v1/tenants/demo/reporter-sessions',
      'http:///api/v1/reporter/case',
      'foo://x/api/v1/tenants/demo/challenge',
      'http://nolan.example\\api/v1/reporter/case',
      '/api/v1/tenants/demo%2Fx/reports',
      '/api/v1/tenants/demo%2fx/form',
      '/api/v1/tenants/de%252Fmo/reports',
      'http://nolan.example/api/v1/tenants/a%2Fb%2Fc/reporter-sessions',
      '/api/v1/tenants/..%2F../form',
      '/api/v1/tenants/%2E%2E/reports',
      '/api/v1/cases/../reporter/case',
      '/api/v1\\reporter/case',
    ]) {
      expect([url, isReporterRoute(url)]).toEqual([url, true]);
    }
    for (const url of [
      'http://nolan.example/api/v1/cases',
      'http://nolan.example/api/v1/tenants/demo/sessions',
      'http://reporter.example/api/v1/me',
      '/api/v1/tenants/demo%2Fx/sessions',
      '*',
    ]) {
      expect([url, isReporterRoute(url)]).toEqual([url, false]);
    }
  });

  it('logs the route template, never the path a client typed', () => {
    const base = { id: 'r1', method: 'GET', url: '/api/v1/cases/NLN-AAAA-BBBB?q=secret' };
    expect(requestLogFields({ ...base, route: { path: '/api/v1/cases/:reference' } } as never)).toEqual({
      id: 'r1',
      method: 'GET',
      route: '/api/v1/cases/:reference',
    });
    expect(requestLogFields(base as never)).toEqual({ id: 'r1', method: 'GET', route: 'unmatched' });
  });
});
