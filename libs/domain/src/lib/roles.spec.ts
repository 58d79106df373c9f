// Pins the role groups: routing and the lifecycle rely on exactly these memberships (docs/architecture.md
// "Who uses it"), so adding a role must force a decision about which groups it belongs to.
import {
  rolesInWords,
  HANDLER_ROLES,
  OVERSIGHT_ROLES,
  ROLE_HOLDER_ROLES,
  STAFF_ROLES,
  STAFF_ROLE_LABELS,
  isStaffRole,
} from './roles';

describe('staff roles', () => {
  it('gives every role a plain-English label', () => {
    expect(Object.keys(STAFF_ROLE_LABELS).sort()).toEqual([...STAFF_ROLES].sort());
    for (const role of STAFF_ROLES) expect(STAFF_ROLE_LABELS[role]).toMatch(/^[A-Z][a-z0-9 ()]+$/);
  });

  it('classes every role as a handler or as one of the two roles that never handle a case', () => {
    expect([...HANDLER_ROLES].sort()).toEqual(
      STAFF_ROLES.filter((r) => r !== 'administrator' && r !== 'audit_committee_chair').sort(),
    );
  });

  it('offers the reporter exactly the statutory officers on the "does this involve" question', () => {
    expect([...ROLE_HOLDER_ROLES].sort()).toEqual(
      [
        'audit_committee_chair',
        'deputy_monitoring_officer',
        'head_of_paid_service',
        'monitoring_officer',
        's151_officer',
        'safeguarding_lead',
      ].sort(),
    );
  });

  it('lets only handlers oversee a case, with the monitoring officer first', () => {
    expect(OVERSIGHT_ROLES[0]).toBe('monitoring_officer');
    for (const role of OVERSIGHT_ROLES) expect(HANDLER_ROLES).toContain(role);
  });

  it('recognises role names and rejects anything else', () => {
    expect(isStaffRole('monitoring_officer')).toBe(true);
    expect(isStaffRole('Monitoring officer')).toBe(false);
    expect(isStaffRole(undefined)).toBe(false);
  });

  it('names roles in words within a sentence, an unknown code as itself', () => {
    expect(rolesInWords(['s151_officer', 'investigator'])).toBe(
      'section 151 officer (chief finance officer) or internal audit, investigator',
    );
    expect(rolesInWords(['lord_mayor'])).toBe('lord_mayor');
    expect(rolesInWords([])).toBe('');
  });
});
