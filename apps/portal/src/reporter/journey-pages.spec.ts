import type { Response } from 'express';
import type { IntakeForm } from '../api/reporter-api';
import type { DraftHandle } from './draft-seal';
import { JourneyPages } from './journey-pages';

const form = { tenant: { slug: 'demo', name: 'Demo council' }, questions: [] } as unknown as IntakeForm;
const handle = { slug: 'demo', token: 'sealed' } as unknown as DraftHandle;

/** What a page would be rendered with. */
function rendered(show: (res: Response) => void): Record<string, unknown> {
  let model: Record<string, unknown> = {};
  const res = {
    status: () => res,
    render: (_view: string, options: Record<string, unknown>) => {
      model = options;
    },
  } as unknown as Response;
  show(res);
  return model;
}

describe('the report-sent page', () => {
  it('shows a receipt with a hyphenated list word as seven words, the hyphenated one kept whole', () => {
    const model = rendered((res) =>
      new JourneyPages().sent(res, 200, form, handle, {
        reference: 'NLN-AAAA-BBBB',
        receipt: 'glue-caviar-t-shirt-trillion-fanatic-vastly-ribcage',
      }),
    );
    expect(model['receiptWords']).toEqual([
      'glue',
      'caviar',
      't-shirt',
      'trillion',
      'fanatic',
      'vastly',
      'ribcage',
    ]);
  });
});
