// A reporter's page that fails is answered at once, and logged only as its hour's count, after the hour
// (page-exception.filter.ts; docs/architecture.md "Logs and the reporter's cookie").
import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { PageExceptionFilter } from './page-exception.filter';

function hostFor(res: object): ArgumentsHost {
  return { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
}

describe('PageExceptionFilter on a reporter’s page', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers an unexpected error with the error page and writes nothing until the hour is over', () => {
    const written: unknown[][] = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void written.push(args));
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => void written.push(args));
    const rendered: { status?: number; view?: string } = {};
    const res = {
      headersSent: false,
      status(code: number) {
        rendered.status = code;
        return this;
      },
      render(view: string) {
        rendered.view = view;
      },
    };
    const filter = new PageExceptionFilter();
    filter.catch(new TypeError('boom'), hostFor(res));
    filter.catch(new TypeError('boom'), hostFor(res));

    expect(rendered).toEqual({ status: 500, view: 'pages/error' });
    expect(written).toEqual([]);
    expect(filter.pageErrors.pending).toBe(2);

    // The hour's turn (here at once): one line, the count and the hour, no time closer than the hour.
    filter.pageErrors.flush();
    expect(written).toHaveLength(1);
    const line = String(written[0]![0]);
    expect(line).toContain('Unhandled errors on reporters’ pages');
    const fields = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    expect(fields).toEqual({
      errorType: 'TypeError',
      count: 2,
      hour: expect.stringMatching(/T\d\d:00:00\.000Z$/),
    });
  });
});
