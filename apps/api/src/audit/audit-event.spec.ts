import { AUDIT_ACTIONS } from './audit-event';

describe('audit actions', () => {
  // Pinned (docs/conventions.md §7): adding an action is a deliberate change to what the trail records, and
  // the issue names these as what must be audited.
  it('cover every audited kind of event exactly once', () => {
    expect([...AUDIT_ACTIONS].sort()).toEqual(
      [
        'auth.receipt_replaced',
        'auth.sign_in',
        'auth.sign_in_failed',
        'case.content_decrypted',
        'case.created',
        'case.destroyed',
        'case.message_added',
        'case.feedback_given',
        'case.note_added',
        'case.evidence_added',
        'case.exported',
        'case.transitioned',
        'config.changed',
        'case.routed',
        'case.assigned',
        'case.ownership_confirmed',
        'case.legal_hold_set',
        'case.legal_hold_cleared',
        'case.linked',
        'case.unlinked',
        'case.named_as_involved',
        'case.naming_requested',
        'case.naming_decided',
        'case.closure_requested',
        'case.closure_decided',
        'case.recused',
        'case.recommendation_raised',
        'case.recommendation_updated',
        'grant.created',
        'grant.revoked',
        'identity.decided',
        'identity.requested',
        'sla.notified',
        'report.downloaded',
      ].sort(),
    );
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });

  it('are dotted verbs the database accepts', () => {
    for (const action of AUDIT_ACTIONS) expect(action).toMatch(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/);
  });
});
