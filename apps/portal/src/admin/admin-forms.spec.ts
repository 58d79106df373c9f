import { DEFAULT_CONFLICT_ROUTES } from '@nolan/domain';
import type { ConflictRouteSet, RetentionOutcome } from '../api/admin-api';
import { checkedValues, formatFingerprint, placeMessages, withRoleNames } from './admin-forms';
import { defaultRouteText, formatBytes } from './admin-policy.controller';
import { previewSentence, routeErrors, routeFromForm, routesToSend, withRoute } from './conflict-route-form';
import {
  overridesWith,
  overridesWithout,
  periodText,
  retentionErrors,
  retentionFromForm,
} from './retention-form';
import { newUserFromForm, parseUserFilters, userErrors, userFiltersQuery } from './user-form';

const DEFAULTS = JSON.parse(JSON.stringify(DEFAULT_CONFLICT_ROUTES)) as ConflictRouteSet;

describe('the admin pages’ shaping', () => {
  it('writes a fingerprint in upper-case groups of four', () => {
    expect(formatFingerprint('3a4f09c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7')).toBe(
      '3A4F 09C1 B2D3 E4F5 A6B7 C8D9 E0F1 A2B3 C4D5 E6F7',
    );
    expect(formatFingerprint('ab:cd ef')).toBe('ABCD EF');
    expect(formatFingerprint(null)).toBe('');
  });

  it('reads the ticked boxes of a group, one box or several, in the order offered, and keeps what was not offered apart', () => {
    const allowed = ['monitoring_officer', 'investigator', 's151_officer'];
    expect(checkedValues({ roles: 'investigator' }, 'roles', allowed)).toEqual({
      values: ['investigator'],
      unknown: [],
    });
    expect(
      checkedValues({ roles: ['s151_officer', 'monitoring_officer', 'root'] }, 'roles', allowed),
    ).toEqual({
      values: ['monitoring_officer', 's151_officer'],
      unknown: ['root'],
    });
    expect(checkedValues({}, 'roles', allowed)).toEqual({ values: [], unknown: [] });
  });

  it('puts each API message on the field its path names, in the field’s words and with role names', () => {
    expect(withRoleNames('deputy_monitoring_officer and monitoring_officer')).toBe(
      'Deputy monitoring officer and Monitoring officer',
    );
    const errors = placeMessages(
      [
        'routes.s151_officer.leads: investigator cannot oversee a case.',
        'routes.s151_officer must be an object.',
        'something else',
      ],
      [
        {
          id: 'lead-1',
          paths: [
            { path: 'routes.s151_officer.leads', label: 'Leads' },
            { path: 'routes.s151_officer', label: 'This route' },
          ],
        },
        { id: 'owners', paths: [{ path: 'routes.s151_officer.owners', label: 'Owners' }] },
      ],
      'owners',
    );
    expect(errors.summary).toEqual([
      { text: 'Leads: Investigator cannot oversee a case.', href: '#lead-1' },
      { text: 'This route must be an object.', href: '#lead-1' },
      { text: 'Something else', href: '#owners' },
    ]);
    expect(errors.fields).toEqual({
      'lead-1': { text: 'Leads: Investigator cannot oversee a case.' },
      owners: { text: 'Something else' },
    });
  });

  describe('users', () => {
    it('keeps only real filters from the query string', () => {
      expect(parseUserFilters({ role: 'investigator', active: 'no', page: '2' })).toEqual({
        role: 'investigator',
        active: 'no',
        page: 2,
      });
      expect(parseUserFilters({ role: 'root', active: 'maybe', page: '-1' })).toEqual({
        role: undefined,
        active: undefined,
        page: 1,
      });
      expect(userFiltersQuery({ role: 'investigator', page: 1 })).toBe('?role=investigator');
    });

    it('checks a new user’s name, address and roles before asking the API', () => {
      expect(newUserFromForm({ name: ' Jo ', email: 'not-an-address', _csrf: 'x' }).problems).toEqual([
        { id: 'email', text: 'Enter an email address in the correct format, like name@example.org' },
        { id: 'roles', text: 'Select at least one role' },
      ]);
      expect(
        newUserFromForm({ name: 'Jo', email: 'jo@example.org', roles: ['investigator', 'administrator'] }),
      ).toEqual({
        user: { name: 'Jo', email: 'jo@example.org', roles: ['administrator', 'investigator'] },
        problems: [],
      });
      expect(userErrors(['roles: administrator cannot be combined with another role']).summary).toEqual([
        { text: 'Roles: Administrator cannot be combined with another role', href: '#roles' },
      ]);
    });
  });

  describe('conflict routes', () => {
    it('reads a route: leads in the order of the selects, gaps closed; the same lead twice or none is a problem', () => {
      const read = routeFromForm(
        {
          'lead-1': 's151_officer',
          'lead-2': '',
          'lead-3': 'head_of_paid_service',
          owners: 'deputy_monitoring_officer',
          excludedWithSubject: ['deputy_monitoring_officer'],
        },
        'monitoring_officer',
      );
      expect(read.problems).toEqual([]);
      expect(read.route).toEqual({
        leads: ['s151_officer', 'head_of_paid_service'],
        owners: ['deputy_monitoring_officer'],
        notify: [],
        excludedWithSubject: ['deputy_monitoring_officer'],
      });
      expect(read.values.leads).toEqual(['s151_officer', '', 'head_of_paid_service', '']);
      expect(
        routeFromForm({ 'lead-1': 's151_officer', 'lead-2': 's151_officer' }, 'monitoring_officer').problems,
      ).toEqual([
        {
          id: 'lead-2',
          text: 'Section 151 officer (chief finance officer) or internal audit is already a lead: choose each role once',
        },
      ]);
      expect(routeFromForm({}, 'monitoring_officer').problems[0]).toEqual({
        id: 'lead-1',
        text: 'Choose at least one lead, who oversees the case instead',
      });
      // The subject is never offered, so a form naming it was not sent by the page.
      expect(
        routeFromForm({ 'lead-1': 'monitoring_officer', owners: 'administrator' }, 'monitoring_officer')
          .problems,
      ).toEqual([
        { id: 'lead-1', text: 'Choose a lead from the list' },
        { id: 'owners', text: 'Choose from the roles listed' },
      ]);
    });

    it('sends null when the routes are the defaults again, so the council is back on them', () => {
      const changed = withRoute(DEFAULTS, 'monitoring_officer', {
        ...DEFAULTS.monitoring_officer!,
        leads: ['s151_officer', 'head_of_paid_service'],
      });
      expect(Object.keys(changed)).toEqual(['monitoring_officer', 's151_officer', 'head_of_paid_service']);
      expect(routesToSend(changed, DEFAULTS)).toBe(changed);
      const back = withRoute(changed, 'monitoring_officer', DEFAULTS.monitoring_officer!);
      expect(routesToSend(back, DEFAULTS)).toBeNull();
      // Owners, notify and excluded are sets: a different order is the same route.
      const reordered = withRoute(DEFAULTS, 'head_of_paid_service', {
        ...DEFAULTS.head_of_paid_service!,
        notify: ['audit_committee_chair'],
      });
      expect(routesToSend(reordered, DEFAULTS)).toBeNull();
      expect(routesToSend(withRoute(DEFAULTS, 'investigator', null), DEFAULTS)).toBeNull();
      expect(Object.keys(withRoute(DEFAULTS, 's151_officer', null))).toEqual([
        'monitoring_officer',
        'head_of_paid_service',
      ]);
    });

    it('places the API’s problems with a route on its fields', () => {
      const errors = routeErrors(
        [
          'routes.monitoring_officer.leads: head_of_paid_service is excluded along with the monitoring officer, so it cannot also be in leads.',
          'routes.monitoring_officer.excludedWithSubject must include deputy_monitoring_officer: whether the deputy may act on a concern about the monitoring officer is the deputyIndependent setting.',
          'routes.s151_officer: a route is required.',
        ],
        'monitoring_officer',
      );
      expect(errors.summary.map((e) => e.href)).toEqual(['#lead-1', '#excludedWithSubject', '#lead-1']);
      expect(errors.fields['lead-1']!.text).toBe(
        'Leads: Head of paid service (chief executive) is excluded along with the monitoring officer, so it cannot also be in leads.',
      );
      expect(errors.fields.excludedWithSubject!.text).toMatch(
        /^Excluded with them must include Deputy monitoring officer: .*“Is the deputy monitoring officer independent\?”/,
      );
    });

    it('says who a concern would reach', () => {
      expect(
        previewSentence({
          subject: 'monitoring_officer',
          kind: 'routed',
          overseer: { id: 'h', name: 'Hana', email: 'h@x', role: 'head_of_paid_service' },
          owners: [
            { id: 'h', name: 'Hana', email: 'h@x', role: 'head_of_paid_service' },
            { id: 'd', name: 'Dev', email: 'd@x', role: 'deputy_monitoring_officer' },
          ],
          notify: [{ id: 'c', name: 'Cat', email: 'c@x', role: 'audit_committee_chair' }],
        }).text,
      ).toBe(
        'A concern about the monitoring officer reaches Hana (head of paid service), who oversees it; handled with Dev (deputy monitoring officer); Cat (chair of the audit committee) is told.',
      );
      expect(
        previewSentence({
          subject: 's151_officer',
          kind: 'no_eligible_recipient',
          reason: 'No one can oversee this case.',
        }),
      ).toEqual({
        subject: 'A concern about the section 151 officer (chief finance officer) or internal audit',
        routed: false,
        text: 'A concern about the section 151 officer (chief finance officer) or internal audit cannot be routed inside the council: No one can oversee this case.',
      });
    });
  });

  describe('retention', () => {
    const outcomes: RetentionOutcome[] = [
      {
        outcome: 'substantiated',
        label: 'Substantiated',
        years: 6,
        untilEndOfYear: true,
        overridden: false,
        defaultYears: 6,
        defaultUntilEndOfYear: true,
      },
      {
        outcome: 'withdrawn',
        label: 'Withdrawn',
        years: 3,
        untilEndOfYear: true,
        overridden: true,
        defaultYears: 1,
        defaultUntilEndOfYear: true,
      },
    ];

    it('describes a period', () => {
      expect(periodText({ years: 1, untilEndOfYear: false })).toBe('1 year after closure');
      expect(periodText({ years: 6, untilEndOfYear: true })).toBe(
        'Until the end of the calendar year 6 years after closure',
      );
    });

    it('reads the periods from the form, refusing years that are not a whole number from 1 to 100', () => {
      const read = retentionFromForm(
        { 'years-substantiated': '7', 'years-withdrawn': '0', 'endOfYear-withdrawn': 'yes' },
        outcomes,
      );
      expect(read.settings).toEqual({ substantiated: { years: 7, untilEndOfYear: false } });
      expect(read.values.withdrawn).toEqual({ years: '0', untilEndOfYear: true });
      expect(read.problems).toEqual([
        { id: 'years-withdrawn', text: 'The years for withdrawn cases must be a whole number from 1 to 100' },
      ]);
      expect(
        retentionFromForm({ 'years-substantiated': '', 'years-withdrawn': '2.5' }, outcomes).problems.map(
          (p) => p.text,
        ),
      ).toEqual([
        'Enter how many years to keep substantiated cases',
        'The years for withdrawn cases must be a whole number from 1 to 100',
      ]);
    });

    it('sends the other categories’ overrides unchanged and an override for each outcome that differs from its default', () => {
      const existing = {
        gifts_hospitality: { years: 3, untilEndOfYear: false },
        fraud_theft: { years: 8, untilEndOfYear: true },
        'fraud_theft:withdrawn': { years: 3, untilEndOfYear: true },
        fraud_thefts: { years: 2, untilEndOfYear: true },
      };
      expect(
        overridesWith(existing, 'fraud_theft', outcomes, {
          substantiated: { years: 6, untilEndOfYear: true },
          withdrawn: { years: 2, untilEndOfYear: false },
        }),
      ).toEqual({
        gifts_hospitality: { years: 3, untilEndOfYear: false },
        fraud_thefts: { years: 2, untilEndOfYear: true },
        'fraud_theft:withdrawn': { years: 2, untilEndOfYear: false },
      });
      expect(overridesWithout(existing, 'fraud_theft')).toEqual({
        gifts_hospitality: { years: 3, untilEndOfYear: false },
        fraud_thefts: { years: 2, untilEndOfYear: true },
      });
    });

    it('places the API’s problems on the outcome they name', () => {
      const errors = retentionErrors(
        ['overrides.fraud_theft:withdrawn.years must be a whole number from 1 to 100'],
        'fraud_theft',
        outcomes,
      );
      expect(errors.summary).toEqual([
        { text: 'Withdrawn: years must be a whole number from 1 to 100', href: '#years-withdrawn' },
      ]);
    });
  });

  it('writes a category’s default route and file sizes in words', () => {
    expect(defaultRouteText('fraud_theft')).toBe(
      'Handled by section 151 officer (chief finance officer) or internal audit and monitoring officer',
    );
    expect(defaultRouteText('safeguarding_adults')).toBe(
      'Handled by safeguarding lead; monitoring officer told',
    );
    expect(defaultRouteText('nonsense')).toBe('Not known');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(1536)).toBe('2 KB');
  });
});
