import { QueryFailedError } from 'typeorm';
import { AppError } from './app-error';
import {
  errorLogFields,
  HourlyErrorTally,
  MAX_KINDS,
  RECURRING_SATURATION_PER_HOUR,
  StaffSaturations,
} from './error-log';

const HOUR = 3_600_000;

describe('errorLogFields', () => {
  it('names the class, the driver’s SQLSTATE and the message of a TypeORM query error', () => {
    const driverError = Object.assign(new Error('canceling statement due to lock timeout'), {
      code: '55P03',
    });
    const error = new QueryFailedError('SELECT secret FROM t WHERE x = $1', ['reporter text'], driverError);
    expect(errorLogFields(error)).toEqual({
      errorType: 'QueryFailedError',
      code: '55P03',
      error: 'canceling statement due to lock timeout',
    });
  });

  it('gives an AppError’s code, and no code for an error without one', () => {
    expect(errorLogFields(new AppError('SERVICE_BUSY', 'Busy.'))).toEqual({
      errorType: 'AppError',
      code: 'SERVICE_BUSY',
      error: 'Busy.',
    });
    expect(errorLogFields(new TypeError('x is undefined'))).toEqual({
      errorType: 'TypeError',
      error: 'x is undefined',
    });
  });

  it('keeps a message only up to what it may quote (what was given, however short) and clips it', () => {
    const given = 'a reporter wrote this '.repeat(10);
    const fields = errorLogFields(new SyntaxError(`Unexpected token 'x', "${given}" is not valid JSON`));
    expect(fields.error).not.toContain('reporter');
    expect(fields.error).toBe('Unexpected token…');
    // A short quoted run may be a receipt or a report's words as much as a constraint's name, and quotes
    // inside it, escaped or not, never let a part of it through.
    expect(
      errorLogFields(new Error('invalid input syntax for type json: "rockslide much hamstring"')).error,
    ).toBe('invalid input syntax for type json…');
    expect(errorLogFields(new Error('value "ab"cd"ef" of "x"')).error).toBe('value…');
    expect(
      errorLogFields(
        new TypeError('The "x" argument must be of type string. Received type number (12345678)'),
      ).error,
    ).toBe('The…');
    expect(errorLogFields(new Error('y'.repeat(1000))).error).toHaveLength(200);
    expect(errorLogFields('a string')).toEqual({ errorType: 'string', error: 'not an Error' });
    const odd = Object.assign(new Error('x'), { message: 42 as unknown as string });
    expect(errorLogFields(odd)).toEqual({ errorType: 'Error', error: '' });
  });
});

describe('HourlyErrorTally', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 11, 6, 10, 17, 23, 456) }));
  afterEach(() => jest.useRealTimers());

  it('writes nothing until the hour is over, then one line per kind with its count and hour', () => {
    const written: [string, object, string][] = [];
    const tally = new HourlyErrorTally((level, fields, line) => written.push([level, fields, line]));
    tally.add('warn', 'Dependency unavailable', { errorType: 'Error', error: 'timeout' });
    jest.advanceTimersByTime(20 * 60_000);
    tally.add('warn', 'Dependency unavailable', { errorType: 'Error', error: 'timeout' });
    tally.add('error', 'Unhandled error', { errorType: 'TypeError', error: 'x' });
    jest.advanceTimersByTime(22 * 60_000 + 36_544 - 1);
    expect(written).toEqual([]);
    expect(tally.pending).toBe(3);
    jest.advanceTimersByTime(1);
    expect(written).toEqual([
      [
        'warn',
        { errorType: 'Error', error: 'timeout', count: 2, hour: '2026-12-06T10:00:00.000Z' },
        'Dependency unavailable',
      ],
      [
        'error',
        { errorType: 'TypeError', error: 'x', count: 1, hour: '2026-12-06T10:00:00.000Z' },
        'Unhandled error',
      ],
    ]);
    expect(tally.pending).toBe(0);
  });

  it('keeps each hour’s counts apart, and writes a later hour’s at its own end', () => {
    const written: object[] = [];
    const tally = new HourlyErrorTally((_level, fields) => written.push(fields));
    tally.add('warn', 'Busy', { errorType: 'AppError' });
    jest.advanceTimersByTime(HOUR);
    expect(written).toEqual([{ errorType: 'AppError', count: 1, hour: '2026-12-06T10:00:00.000Z' }]);
    tally.add('warn', 'Busy', { errorType: 'AppError' });
    jest.advanceTimersByTime(HOUR - 17 * 60_000 - 23_456 - 1);
    expect(written).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(written).toEqual([
      { errorType: 'AppError', count: 1, hour: '2026-12-06T10:00:00.000Z' },
      { errorType: 'AppError', count: 1, hour: '2026-12-06T11:00:00.000Z' },
    ]);
  });

  it('keeps at most MAX_KINDS kinds of error apart in an hour, counting any more together', () => {
    const written: object[] = [];
    const tally = new HourlyErrorTally((_level, fields) => written.push(fields));
    for (let i = 0; i < MAX_KINDS + 50; i += 1)
      tally.add('error', 'Unhandled error', { errorType: 'E', error: `${i}` });
    expect(tally.pending).toBe(MAX_KINDS + 50);
    tally.flush();
    expect(written).toHaveLength(MAX_KINDS + 1);
    expect(written[MAX_KINDS]).toEqual({ errorType: 'other', count: 50, hour: '2026-12-06T10:00:00.000Z' });
  });
});

describe('a saturation that keeps recurring in the hour', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 11, 6, 10, 17, 23, 456) }));
  afterEach(() => jest.useRealTimers());

  const lockTimeout = {
    errorType: 'QueryFailedError',
    code: '55P03',
    error: 'canceling statement due to lock timeout',
  };
  const cancelled = {
    errorType: 'QueryFailedError',
    code: '57014',
    error: 'canceling statement due to statement timeout',
  };

  it('is written as an error once its hour is over, on a reporter route, when counted often enough', () => {
    const written: [string, object][] = [];
    const tally = new HourlyErrorTally((level, fields) => written.push([level, fields]));
    for (let i = 0; i < RECURRING_SATURATION_PER_HOUR; i += 1)
      tally.add('warn', 'Dependency unavailable', lockTimeout);
    tally.add('warn', 'Busy', { errorType: 'AppError', code: 'SERVICE_BUSY', error: 'Busy.' });
    expect(written).toEqual([]);
    jest.advanceTimersByTime(3_600_000);
    // The next hour: one fewer than the threshold stays a warning.
    for (let i = 0; i < RECURRING_SATURATION_PER_HOUR - 1; i += 1)
      tally.add('warn', 'Dependency unavailable', cancelled);
    jest.advanceTimersByTime(3_600_000);
    expect(written).toEqual([
      ['error', { ...lockTimeout, count: RECURRING_SATURATION_PER_HOUR, hour: '2026-12-06T10:00:00.000Z' }],
      [
        'warn',
        {
          errorType: 'AppError',
          code: 'SERVICE_BUSY',
          error: 'Busy.',
          count: 1,
          hour: '2026-12-06T10:00:00.000Z',
        },
      ],
      ['warn', { ...cancelled, count: RECURRING_SATURATION_PER_HOUR - 1, hour: '2026-12-06T11:00:00.000Z' }],
    ]);
  });

  it('counts lock timeouts and cancelled statements of an hour together, as on staff routes', () => {
    const written: [string, object][] = [];
    const tally = new HourlyErrorTally((level, fields) => written.push([level, fields]));
    const half = RECURRING_SATURATION_PER_HOUR / 2;
    for (let i = 0; i < half; i += 1) tally.add('warn', 'Dependency unavailable', lockTimeout);
    for (let i = 0; i < half; i += 1) tally.add('warn', 'Dependency unavailable', cancelled);
    tally.flush();
    expect(written.map(([level]) => level)).toEqual(['error', 'error']);
  });

  it('is logged as an error on a staff route from the threshold within the clock hour on, and a warning again in the next', () => {
    const sut = new StaffSaturations();
    const levels: string[] = [];
    for (let i = 0; i < RECURRING_SATURATION_PER_HOUR + 1; i += 1)
      levels.push(sut.note('warn', cancelled).level);
    expect(levels).toEqual([
      ...Array.from({ length: RECURRING_SATURATION_PER_HOUR - 1 }, () => 'warn'),
      'error',
      'error',
    ]);
    expect(sut.note('warn', lockTimeout)).toEqual({
      level: 'error',
      inThisHour: RECURRING_SATURATION_PER_HOUR + 2,
    });
    // Other warnings and errors keep their level, and are not counted.
    expect(sut.note('warn', { errorType: 'AppError', code: 'SERVICE_BUSY', error: 'Busy.' })).toEqual({
      level: 'warn',
    });
    expect(sut.note('error', { errorType: 'TypeError', error: 'x' })).toEqual({ level: 'error' });
    // The next clock hour counts afresh.
    jest.advanceTimersByTime(43 * 60_000);
    expect(sut.note('warn', lockTimeout)).toEqual({ level: 'warn' });
  });
});
