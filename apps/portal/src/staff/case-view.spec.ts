import { describeAnswers, formatDate, formatShortDate, timelineItems } from './case-view';
import { apiErrors, formErrors } from './form-errors';

describe('the case page shaping', () => {
  it('writes dates in GOV.UK style, long and short', () => {
    expect(formatDate('2026-03-02')).toBe('2 March 2026');
    expect(formatDate('2026-11-23T15:48:00.000Z')).toBe('23 November 2026');
    expect(formatShortDate('2026-09-30')).toBe('30 Sep 2026');
    expect(formatShortDate('2026-05-01')).toBe('1 May 2026');
    expect(formatDate(null)).toBe('');
  });

  it('labels answers with the questions the reporter was asked, choices in words', () => {
    expect(
      describeAnswers({ answers: { whatHappened: 'Paid twice', howYouKnow: 'saw_it', unknown: 'x' } }),
    ).toEqual([
      { key: { text: 'What happened?' }, value: { text: 'Paid twice' } },
      { key: { text: 'How do you know about it?' }, value: { text: 'I saw or heard it myself' } },
      { key: { text: 'unknown' }, value: { text: 'x' } },
    ]);
    expect(describeAnswers(null)).toEqual([]);
  });

  it('escapes what people wrote in the timeline, and links files to the portal, not the API', () => {
    const [item] = timelineItems(
      [
        {
          type: 'note',
          action: 'case.note_added',
          at: '2026-03-02T10:00:00Z',
          precision: 'second',
          actor: { type: 'staff', id: 'u1', name: 'Ann', roles: ['investigator'] },
          auditSeqs: [1],
          details: {},
          people: [],
          content: { text: '<script>alert(1)</script>', flags: [], urgent: true },
          files: [{ id: 'f-1', name: 'a<b>.pdf', mediaType: 'application/pdf', size: 2048 }],
        },
      ],
      'NLN-AAAA-BBBB',
    );
    expect(item!.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(item!.html).not.toContain('<script>');
    expect(item!.html).not.toContain('Flags');
    expect(item!.html).toContain('<strong>Urgent:</strong> Yes');
    expect(item!.html).toContain('href="/staff/cases/NLN-AAAA-BBBB/files/f-1"');
    expect(item!.html).toContain('a&#60;b&#62;.pdf');
  });

  it('warns on a timeline event whose items do not verify, and only on that one', () => {
    const event = (verification: 'verified' | 'unverified' | 'unsigned') => ({
      type: 'message' as const,
      action: 'case.message_added',
      at: '2026-03-02T10:00:00Z',
      precision: 'hour' as const,
      actor: { type: 'reporter' as const, id: null, name: null, roles: [] },
      auditSeqs: [1],
      details: {},
      people: [],
      content: { text: verification },
      files: [],
      verification,
    });
    const items = timelineItems([event('verified'), event('unverified'), event('unsigned')], 'NLN-AAAA-BBBB');
    const warned = items.filter((i) => i.html.includes('signature does not verify'));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.html).toContain('unverified');
    expect(warned[0]!.html).toContain('govuk-warning-text');
  });
});

describe('form errors', () => {
  it('puts each of the API’s messages on the field it names, the longest name winning', () => {
    const errors = apiErrors(
      [
        'The first response must say who is involved in dealing with the concern (firstResponse.whoIsInvolved).',
        'reason is required',
        'Something about nothing in particular',
      ],
      [
        { id: 'proposedHandling', apiNames: ['firstResponse', 'firstResponse.proposedHandling'] },
        { id: 'whoIsInvolved', apiNames: ['firstResponse.whoIsInvolved'] },
        { id: 'reason', apiNames: ['reason'] },
      ],
    );
    expect(errors.summary).toEqual([
      {
        text: 'The first response must say who is involved in dealing with the concern',
        href: '#whoIsInvolved',
      },
      { text: 'Reason is required', href: '#reason' },
      { text: 'Something about nothing in particular', href: '#proposedHandling' },
    ]);
    expect(errors.fields.whoIsInvolved).toEqual({
      text: 'The first response must say who is involved in dealing with the concern',
    });
  });

  it('gives nothing when there is nothing wrong, and the first message per field inline', () => {
    expect(formErrors([])).toBeUndefined();
    expect(
      formErrors([
        { id: 'a', text: 'one' },
        { id: 'a', text: 'two' },
      ])?.fields,
    ).toEqual({ a: { text: 'one' } });
  });
});
