import type { IntakeForm, ReporterCase } from '../api/reporter-api';
import { caseModel } from './case-view';

const form = {
  tenant: { slug: 'demo', name: 'Demo council' },
  questions: [],
} as unknown as IntakeForm;

const view = (status: string, outcome: string | null): ReporterCase => ({
  reference: 'NLN-AAAA-BBBB',
  status,
  outcome,
  category: 'other',
  categoryTitle: 'Something else',
  receivedOn: '2026-11-23',
  report: null,
  attachments: [],
  messages: [],
});

describe("the reporter's case page", () => {
  it('tells the reporter the outcome of a closed case in plain words', () => {
    expect(caseModel(form, view('closed', 'partially_substantiated'), 'demo').outcome).toBe(
      'The council found that some of what you reported happened.',
    );
    expect(caseModel(form, view('investigation', null), 'demo').outcome).toBeUndefined();
  });

  it('tells the reporter of a duplicate that the council is dealing with it under another report', () => {
    expect(caseModel(form, view('closed', 'duplicate'), 'demo').outcome).toBe(
      'The council already knew about what you reported and is dealing with it as part of another report.',
    );
  });

  it('says plainly, on a closed case only, what happens to a message sent now', () => {
    expect(caseModel(form, view('closed', 'no_further_action'), 'demo').closedMessages).toContain(
      'The people who dealt with it are told that there is a new message',
    );
    expect(caseModel(form, view('acknowledged', null), 'demo').closedMessages).toBeUndefined();
  });
});
