// The groups the dashboard counts referrals in (docs/dashboard.md "What each figure counts").
import {
  EXTERNAL_BODIES,
  EXTERNAL_BODY_GROUP_LABELS,
  EXTERNAL_BODY_GROUPS,
  externalBodyGroup,
} from './lifecycle';

describe('external body groups', () => {
  it('puts every body of the fixed list in one of the issue’s groups', () => {
    for (const body of EXTERNAL_BODIES) expect(EXTERNAL_BODY_GROUPS).toContain(externalBodyGroup(body));
    expect(Object.keys(EXTERNAL_BODY_GROUP_LABELS).sort()).toEqual([...EXTERNAL_BODY_GROUPS].sort());
  });

  it('counts law enforcement with the police and the regulators together', () => {
    expect(
      ['police', 'action_fraud', 'national_crime_agency', 'serious_fraud_office'].map(externalBodyGroup),
    ).toEqual(['police', 'police', 'police', 'police']);
    expect(externalBodyGroup('external_auditor')).toBe('external_auditor');
    expect(['information_commissioner', 'regulator'].map(externalBodyGroup)).toEqual([
      'regulators',
      'regulators',
    ]);
    expect(externalBodyGroup('other')).toBe('other');
  });

  it('gives no group for anything off the list, or nothing recorded', () => {
    for (const v of [null, undefined, '', 'the chief constable', 'toString', '__proto__'])
      expect(externalBodyGroup(v)).toBeNull();
  });
});
