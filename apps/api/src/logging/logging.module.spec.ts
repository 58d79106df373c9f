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
