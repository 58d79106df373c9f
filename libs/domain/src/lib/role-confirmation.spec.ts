// Who confirms a role (issue #15): never an administrator, never the person themselves, and the head of
// paid service for the monitoring officer's post.
import { confirmerRole, mayConfirm, roleNeedsConfirmation } from './role-confirmation';
import { STAFF_ROLES } from './roles';

describe('role confirmation', () => {
  it('needs confirming for every role but administrator', () => {
    expect(STAFF_ROLES.filter((r) => !roleNeedsConfirmation(r))).toEqual(['administrator']);
  });

  it('is the monitoring officer’s to confirm, except for the monitoring officer’s post', () => {
    expect(confirmerRole({ userId: 'u', rolesInForce: [], roles: ['investigator'] })).toBe(
      'monitoring_officer',
    );
    expect(confirmerRole({ userId: 'u', rolesInForce: [], roles: ['monitoring_officer'] })).toBe(
      'head_of_paid_service',
    );
    expect(
      confirmerRole({ userId: 'u', rolesInForce: ['monitoring_officer'], roles: ['investigator'] }),
    ).toBe('head_of_paid_service');
  });

  it('refuses the person themselves, administrators and the wrong oversight role', () => {
    const change = { userId: 'mo', rolesInForce: [], roles: ['investigator' as const] };
    expect(mayConfirm({ userId: 'mo', roles: ['monitoring_officer'] }, change).ok).toBe(false);
    expect(mayConfirm({ userId: 'x', roles: ['administrator'] }, change).ok).toBe(false);
    expect(mayConfirm({ userId: 'x', roles: ['head_of_paid_service'] }, change).ok).toBe(false);
    expect(mayConfirm({ userId: 'x', roles: ['monitoring_officer'] }, change)).toEqual({ ok: true });
  });
});
