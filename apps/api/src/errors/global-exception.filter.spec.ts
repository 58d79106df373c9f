import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { RECURRING_SATURATION_PER_HOUR } from './error-log';
import { GlobalExceptionFilter } from './global-exception.filter';

/** A lock timeout as TypeORM raises it: the driver's error, SQLSTATE 55P03, wrapped. */
function lockTimeout(): QueryFailedError {
  const driverError = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
  return new QueryFailedError('UPDATE cases SET …', [], driverError);
}

/** A host for one request to `url`, keeping what the filter answered. */
function hostFor(url: string) {
  const response = {
    headersSent: false,
    statusCode: 0,
    setHeader: jest.fn(),
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json: jest.fn(),
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ originalUrl: url, url }) }),
  } as unknown as ArgumentsHost;
  return { host, response };
}

describe('GlobalExceptionFilter', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 11, 6, 10, 17, 23, 456) }));
  afterEach(() => jest.useRealTimers());

  it('logs a lock timeout on a staff route as a warning, and as an error once it keeps recurring in the hour', () => {
    const sut = new GlobalExceptionFilter();
    const logger = (sut as unknown as { logger: { warn: jest.Mock; error: jest.Mock } }).logger;
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    for (let i = 0; i < RECURRING_SATURATION_PER_HOUR; i += 1) {
      const { host, response } = hostFor('/api/v1/cases/NLN-AAAA-BBBB/notes');
      sut.catch(lockTimeout(), host);
      expect(response.statusCode).toBe(503);
    }
    expect(warn).toHaveBeenCalledTimes(RECURRING_SATURATION_PER_HOUR - 1);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ code: '55P03', dependency: 'postgres' }),
      'Dependency unavailable',
    );
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({
        code: '55P03',
        dependency: 'postgres',
        inThisHour: RECURRING_SATURATION_PER_HOUR,
      }),
      'Dependency unavailable',
    );
  });

  it('writes nothing of a reporter route’s lock timeouts until the hour is over, nor counts them for staff routes', () => {
    const sut = new GlobalExceptionFilter();
    const logger = (sut as unknown as { logger: { warn: jest.Mock; error: jest.Mock } }).logger;
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    for (let i = 0; i < RECURRING_SATURATION_PER_HOUR; i += 1) {
      sut.catch(lockTimeout(), hostFor('/api/v1/tenants/demo/reports').host);
    }
    // A staff route's first of the hour is a warning: the reporters' do not count towards it.
    sut.catch(lockTimeout(), hostFor('/api/v1/cases').host);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(error).not.toHaveBeenCalled();
    // At the hour's turn, the reporters' count, recurring, as an error.
    jest.advanceTimersByTime(3_600_000);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({
        code: '55P03',
        count: RECURRING_SATURATION_PER_HOUR,
        hour: '2026-12-06T10:00:00.000Z',
      }),
      'Dependency unavailable',
    );
  });
});
