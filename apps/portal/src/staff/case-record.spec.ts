import type { Timeline, TimelineEvent } from '../api/staff-api';
import { caseRecord } from './case-record';

const event = (to: string, at: string, content: Record<string, unknown> | null): TimelineEvent => ({
  type: 'transition',
  action: 'case.transitioned',
  at,
  precision: 'second',
  actor: { type: 'staff', id: null, name: null, roles: [] },
  auditSeqs: [],
  people: [],
  details: { to },
  content,
  files: [],
});

const timeline = (events: TimelineEvent[]): Timeline => ({
  reference: 'NLN-1',
  status: 'closed',
  events,
  total: events.length,
  limit: 100,
  offset: 0,
});

describe('caseRecord', () => {
  const plan = event('investigation', '2026-11-02T10:00:00Z', {
    reason: 'Logs support it',
    plan: { scope: 'Fuel cards', allegations: ['Weekend use', 'Altered receipts'], targetDate: '2027-02-26' },
  });
  const findings = event('decision', '2026-12-01T10:00:00Z', {
    findings: [
      { allegation: 'Weekend use', finding: 'partially_substantiated', reason: 'Some weekends' },
      { allegation: 'Altered receipts', finding: 'not_substantiated', reason: 'None found' },
    ],
  });
  const closed = event('closed', '2026-12-05T23:30:00Z', {
    outcome: 'partially_substantiated',
    reason: 'One upheld',
    recommendations: [{ action: 'Stop weekend use', owner: 'Fleet', dueDate: '2027-01-31' }],
    noFeedbackReason: 'A hearing is due',
  });

  it('says the plan, the findings and the decision in plain words, never as stored codes', () => {
    const record = caseRecord(timeline([plan, findings, closed]));
    expect(record.plan).toEqual({
      why: 'Logs support it',
      scope: 'Fuel cards',
      allegations: ['Weekend use', 'Altered receipts'],
      target: '26 February 2027',
      startedOn: '2 November 2026',
    });
    expect(record.findings?.items).toEqual([
      { allegation: 'Weekend use', finding: 'Partly substantiated', reason: 'Some weekends' },
      { allegation: 'Altered receipts', finding: 'Not substantiated', reason: 'None found' },
    ]);
    expect(record.decision).toEqual({
      outcome: 'Partially substantiated',
      reason: 'One upheld',
      referral: null,
      recommendations: [{ action: 'Stop weekend use', owner: 'Fleet', due: '31 January 2027' }],
      noFeedbackReason: 'A hearing is due',
      decidedOn: '5 December 2026',
    });
    expect(JSON.stringify(record)).not.toMatch(/partially_substantiated|not_substantiated|2027-02-26/);
  });

  it('leaves out what the user cannot read, and what came before a reopening', () => {
    expect(caseRecord(timeline([event('investigation', plan.at, null)]))).toEqual({
      plan: null,
      findings: null,
      decision: null,
    });
    const reopened = event('reopened', '2026-12-06T10:00:00Z', { reason: 'New evidence' });
    expect(caseRecord(timeline([plan, findings, closed, reopened])).decision).toBeNull();
    expect(caseRecord(null).plan).toBeNull();
  });

  it('names a referral in words', () => {
    const referred = event('closed', closed.at, {
      outcome: 'referred_externally',
      reason: 'Crime',
      referral: { body: 'police', details: 'Ref 123' },
    });
    expect(caseRecord(timeline([referred])).decision?.referral).toBe('The police (Ref 123)');
  });

  it('names the case a duplicate duplicates', () => {
    const duplicate = event('closed', closed.at, {
      outcome: 'duplicate',
      reason: 'Reported already',
      duplicateOf: 'NLN-AB12-CD34',
    });
    const decision = caseRecord(timeline([duplicate])).decision;
    expect(decision?.outcome).toBe('Duplicate of another case');
    expect(decision?.duplicateOf).toBe('NLN-AB12-CD34');
    expect(caseRecord(timeline([closed])).decision).not.toHaveProperty('duplicateOf');
  });
});
