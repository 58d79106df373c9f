/**
 * Every document a source comment cites is in the repository, with the heading or section it names
 * (docs/conventions.md §9; issue #13 "the map in the repo"). A newcomer never needs a file outside the
 * repository to understand a comment.
 */
import { join } from 'node:path';
import {
  citationProblems,
  commentsOf,
  Documents,
  problemsIn,
  sourceFiles,
  type SourceComment,
} from '../support/doc-citations';

const root = join(__dirname, '..', '..');

/**
 * Folders whose comments are still being repointed by another change (the case core's reorganisation,
 * issue #13 items 1-3). The lead empties this list when that change is merged; it must end up empty.
 */
export const FOLDERS_STILL_BEING_REPOINTED: readonly string[] = [];

/** The problems the checker finds in one comment, as if it were in `file`. */
function problems(text: string, file = 'libs/domain/src/lib/example.ts'): string[] {
  const source = `// ${text.split('\n').join('\n// ')}\nexport const x = 1;\n`;
  const [comment] = commentsOf(file, source) as [SourceComment];
  return problemsIn(comment, new Documents(root)).map((p) => p.problem);
}

describe('document citations in source comments', () => {
  it('finds no comment in the repository citing a document, heading, section or requirement that is not there', () => {
    const found = citationProblems(root, FOLDERS_STILL_BEING_REPOINTED);
    expect(found.map((p) => `${p.file}:${p.line}: ${p.problem}`)).toEqual([]);
  });

  it('reads the comments of every kind of source file the repository has', () => {
    const files = sourceFiles(root);
    expect(files).toContain('libs/domain/src/lib/routing.ts');
    expect(files).toContain('eslint.config.mjs');
    expect(files).toContain('scripts/start.js');
    expect(files.some((f) => f.endsWith('.njk'))).toBe(true);
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
  });

  it('accepts a citation of a document in the repository by an exact heading, a sub-heading, a section or an id', () => {
    expect(problems('See docs/architecture.md "Encryption model" → "Staff keys".')).toEqual([]);
    expect(problems('Defaults from docs/regulatory.md §3 and §4, stage 5; EU-09 and GP-10.')).toEqual([]);
    expect(problems('Written as docs/conventions.md §4 says.')).toEqual([]);
    expect(problems('How it is priced: docs/abuse-resistance.md.')).toEqual([]);
  });

  it('accepts a heading that wraps onto the next comment line', () => {
    expect(
      problems('How long a case is kept (docs/architecture.md "Retention and\ncrypto-shredding").'),
    ).toEqual([]);
  });

  it('refuses a citation of DESIGN.md, CONVENTIONS or the shared folder outside the repository', () => {
    expect(problems('Implements DESIGN.md "Encrypted case store".')[0]).toMatch(
      /DESIGN\.md, which is not part of the repository/,
    );
    expect(problems('Thin, as CONVENTIONS §5 asks.')[0]).toMatch(
      /CONVENTIONS, which is not part of the repository/,
    );
    expect(problems('Defaults from reference/regulatory.md §3.')[0]).toMatch(/reference\/regulatory\.md/);
    expect(problems('See ../shared/STACK.md pitfall 8.').join('\n')).toMatch(/\.\.\/shared/);
  });

  it('refuses a citation of a document that is not in the repository', () => {
    expect(problems('See docs/no-such-document.md "Anything".')).toEqual([
      'cites docs/no-such-document.md, which is not in the repository',
    ]);
  });

  it('refuses a heading that the cited document does not have', () => {
    expect(problems('See docs/architecture.md "Encrypted case store".')).toEqual([
      'cites docs/architecture.md "Encrypted case store", which is not a heading of docs/architecture.md',
    ]);
    expect(problems('See docs/architecture.md "Encryption model" → "Case keys".')).toEqual([
      'cites docs/architecture.md "Case keys", which is not a heading of docs/architecture.md',
    ]);
  });

  it('refuses a section number that the cited document does not have', () => {
    expect(problems('See docs/regulatory.md §42.')).toEqual([
      'cites docs/regulatory.md §42, which is not a section of docs/regulatory.md',
    ]);
  });

  it('refuses a section sign that names no document', () => {
    expect(problems('As §3 says.')).toEqual(['cites §3 without naming the document it is a section of']);
  });

  it('refuses a requirement id that docs/regulatory.md does not define', () => {
    expect(problems('Implements EU-99.')).toEqual([
      'cites requirement EU-99, which docs/regulatory.md does not define',
    ]);
  });

  it('leaves alone sections of outside standards and files Nolan produces', () => {
    expect(problems('Argon2id S2K (RFC 9580 §3.7.1.4); packet tags (RFC 9580 §5).')).toEqual([]);
    expect(problems('Markup annotations (PDF 32000-1 §12.5.6.2).')).toEqual([]);
    expect(problems('The zip holds case.md and case.json.')).toEqual([]);
  });

  it('never reads a string or a regular expression as a comment', () => {
    const source = [
      'const message = \'see DESIGN.md "Shape" // not a comment\';',
      'const pattern = /\\/\\/ DESIGN.md/;',
      '// A real comment citing docs/architecture.md "The shape".',
      'export { message, pattern };',
    ].join('\n');
    const comments = commentsOf('libs/domain/src/lib/example.ts', source);
    expect(comments.map((c) => c.text)).toEqual(['A real comment citing docs/architecture.md "The shape".']);
  });
});
