import { strFromU8, unzipSync } from 'fflate';
import { archivePath, buildArchive } from './case-archive';
import { type CaseDocumentInput, inline, literal, renderCaseDocument } from './case-document';

function input(overrides: Partial<CaseDocumentInput> = {}): CaseDocumentInput {
  return {
    reference: 'NLN-7KQ2-M9XD',
    tenantName: 'Demo Council',
    exportedAt: new Date('2026-11-23T15:00:00Z'),
    exportedBy: { name: 'Ann Patel', email: 'ann@demo.example' },
    recipientFingerprint: 'a'.repeat(40),
    signingFingerprint: 'b'.repeat(40),
    summary: {
      category: 'fraud_theft',
      status: 'investigation',
      outcome: null,
      channel: 'web',
      receivedOn: '2026-11-01',
      acknowledgementDue: '2026-11-08',
      acknowledgedOn: '2026-11-02',
      feedbackDue: '2027-02-02',
      closedOn: null,
    },
    scopes: { report: true, internal: true, identity: false },
    report: {
      answers: { whatHappened: 'Claims for shifts nobody worked.', howYouKnow: 'documents' },
      involves: [],
    },
    messages: [],
    records: [],
    files: [],
    identity: null,
    timeline: [],
    ...overrides,
  };
}

describe('the export document', () => {
  it('puts anyone’s words in a fence longer than any backtick run inside them', () => {
    expect(literal('plain')).toBe('```text\nplain\n```');
    expect(literal('a ``` b ```` c')).toBe('`````text\na ``` b ```` c\n`````');
  });

  it('never lets a reporter’s text become an image, a link or HTML', () => {
    const trap =
      '![x](https://tracker.example/p.png)\n<img src=https://tracker.example/q.png>\n```\n# Heading';
    const md = renderCaseDocument(input({ report: { answers: { whatHappened: trap }, involves: [] } }));
    const at = md.indexOf(trap);
    expect(at).toBeGreaterThan(0);
    expect(md.slice(0, at)).toMatch(/````text\n$/);
    expect(md.slice(at + trap.length)).toMatch(/^\n````\n/);
  });

  it('escapes link, HTML and table characters in one-line values such as file names', () => {
    expect(inline('![x](https://t.example/p.png) <b>|</b>\nnext')).toBe(
      '!\\[x\\](https://t.example/p.png) \\<b\\>\\|\\</b\\> next',
    );
    expect(inline('2026-11-23 Test s151_officer')).toBe('2026-11-23 Test s151_officer');
  });

  it('replaces control characters and direction overrides that could disguise text', () => {
    expect(literal('evil\u202Egpj.exe\u0000')).toBe('```text\nevil\uFFFDgpj.exe\uFFFD\n```');
  });

  it('labels answers with the form’s questions and choices', () => {
    const md = renderCaseDocument(input());
    expect(md).toContain('### What happened?\n\n```text\nClaims for shifts nobody worked.\n```');
    expect(md).toContain('Category | Fraud, theft or false claims |');
  });

  it('has an identity section only for someone granted the identity scope', () => {
    expect(renderCaseDocument(input())).not.toContain('identity');
    const granted = renderCaseDocument(
      input({
        scopes: { report: true, internal: true, identity: true },
        identity: [{ name: 'Jo Reporter' }],
      }),
    );
    expect(granted).toContain('## The reporter’s identity\n\n### Your name\n\n```text\nJo Reporter\n```');
    const anonymous = renderCaseDocument(
      input({ scopes: { report: true, internal: true, identity: true }, identity: [] }),
    );
    expect(anonymous).toContain('The reporter has not given their identity.');
  });

  it('says which parts are missing rather than leaving them out silently', () => {
    const md = renderCaseDocument(
      input({ scopes: { report: false, internal: true, identity: false }, report: null }),
    );
    expect(md).toContain('Not included: the exporter does not hold the report.');
    expect(md).toContain('Parts of the case included: internal.');
  });

  it('renders a stage change with its recorded data', () => {
    const md = renderCaseDocument(
      input({
        records: [
          {
            kind: 'transition',
            author: 'Ann Patel',
            on: '2026-11-02',
            data: {
              from: 'received',
              to: 'acknowledged',
              outcome: null,
              data: {
                to: 'acknowledged',
                firstResponse: {
                  proposedHandling: 'Internal audit will review the invoices.\nThen we decide.',
                  estimatedTimescale: 'About [six] weeks.',
                },
              },
            },
          },
        ],
      }),
    );
    expect(md).toContain('### 1. 2026-11-02, Stage change by Ann Patel');
    expect(md).toContain('From **Received** to **Acknowledged**.');
    // Several lines: a literal block; one short line: after its key, escaped.
    expect(md).toContain(
      '- First response:\n\n  - Proposed handling:\n\n    ```text\n    Internal audit will review the invoices.\n    Then we decide.\n    ```\n\n  - Estimated timescale: About \\[six\\] weeks.\n',
    );
  });
});

describe('the export document layout', () => {
  it('folds runs of blank lines, but never inside someone’s words', () => {
    const words = 'first\n\n\n\nlast';
    const md = renderCaseDocument(input({ report: { answers: { whatHappened: words }, involves: [] } }));
    expect(md).toContain('```text\nfirst\n\n\n\nlast\n```');
    expect(md.replace(/```text\n[\s\S]*?\n```/g, 'WORDS')).not.toMatch(/\n\n\n/);
  });
});

describe('the export archive', () => {
  it('names files under attachments/ with a number, never a directory or a hidden file', () => {
    expect(archivePath(1, 'minutes.pdf')).toBe('attachments/01-minutes.pdf');
    expect(archivePath(2, '../../etc/passwd')).toBe('attachments/02-_.._etc_passwd');
    expect(archivePath(3, '..\\evil.exe')).toBe('attachments/03-_evil.exe');
    expect(archivePath(4, '.bashrc')).toBe('attachments/04-bashrc');
    expect(archivePath(12, '')).toBe('attachments/12-file');
  });

  it('holds case.md, case.json and the files byte for byte', () => {
    const bytes = new Uint8Array([0, 255, 13, 10, 80, 75]);
    const zip = unzipSync(
      buildArchive(
        { markdown: '# Case — Llanelli Ŵ\n', json: '{}\n' },
        [{ name: archivePath(1, 'Tafel März.bin'), bytes }],
        new Date(),
      ),
    );
    expect(Object.keys(zip).sort()).toEqual(['attachments/01-Tafel März.bin', 'case.json', 'case.md']);
    expect(strFromU8(zip['case.md'] as Uint8Array)).toBe('# Case — Llanelli Ŵ\n');
    expect(zip['attachments/01-Tafel März.bin']).toEqual(bytes);
  });
});
