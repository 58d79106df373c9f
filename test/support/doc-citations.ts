/**
 * Finds the documents that source comments cite, and what is wrong with each citation (docs/conventions.md
 * §9): a comment must never send a reader outside the repository. A citation is a Markdown file name
 * (`docs/architecture.md`, `regulatory.md`), optionally followed by a heading in double quotes (chained
 * with → for a sub-heading), a section number (`docs/regulatory.md §3`) or a requirement id (`EU-09`). It
 * is wrong when the file is not in the repository, when it names one of the design and conventions notes
 * that were only ever kept outside it (see FORBIDDEN), when the quoted heading is not a heading of that
 * file, when a section number is not a section of it, and when a requirement id is not in
 * docs/regulatory.md.
 *
 * Comments are read with the TypeScript parser, so strings and regular expressions are never mistaken
 * for comments; Nunjucks templates' `{# … #}` comments are read too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

/** Where source comments are looked for, from the repository root. */
export const SCANNED_ROOTS = [
  'apps',
  'libs',
  'test',
  'tools',
  'scripts',
  'eslint.config.mjs',
  'jest.preset.js',
];

/** Never scanned: generated output and dependencies. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'coverage', '.nx', 'tmp', 'screenshots']);

const SOURCE_EXTENSIONS = /\.(ts|js|mjs|cjs|njk)$/;

/**
 * Names that end in .md but are files Nolan produces, not documents a comment cites: an export holds a
 * case.md for people to read.
 */
export const PRODUCED_FILES: readonly string[] = ['case.md'];

/** Standards outside Nolan that a comment may cite by section (RFC 9580 §3.7.1.4, PDF 32000-1 §12.5). */
const EXTERNAL_STANDARD = /\b(?:RFC \d+|PDF 32000(?:-\d)?|ISO \d+(?::\d+)?)/g;

/** Documents that were never part of the repository and must not be cited. */
const FORBIDDEN =
  /\bDESIGN(?:\.md)?\b|\bCONVENTIONS(?:\.md)?\b|\bSTACK\.md\b|\.\.\/shared\b|\bshared\/reference\b|\breference\/[\w.-]+\.md\b/g;

const DOCUMENT = /(?<![\w/.-])((?:[\w.-]+\/)*[\w.-]+\.md)\b/g;
/** A section sign and number; never a numbered sub-clause (x.y.z), which only outside standards have. */
const SECTION = /§\s?(\d+[A-Z]?)(?![\d.]*\d)/g;
const REQUIREMENT = /\b(?:EU|ISO|UK|GP|CC)-\d{2}\b/g;
/** Headings right after a document name: `"Heading"` or `("Heading")`, sub-headings chained with →. */
const HEADINGS = /^[\s,(]*"([^"]+)"((?:\s*→\s*"[^"]+")*)/;

export interface SourceComment {
  /** From the repository root, with forward slashes. */
  file: string;
  /** 1-based line where the comment starts. */
  line: number;
  /** The comment's text with its markers removed and its lines joined by spaces. */
  text: string;
}

export interface CitationProblem {
  file: string;
  line: number;
  problem: string;
}

/** Every source file under the scanned roots, as paths from the repository root. */
export function sourceFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const full = join(root, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) {
        if (!SKIPPED_DIRECTORIES.has(entry)) walk(path ? `${path}/${entry}` : entry);
      }
    } else if (SOURCE_EXTENSIONS.test(path)) found.push(path.split(sep).join('/'));
  };
  for (const start of SCANNED_ROOTS) walk(start);
  return found;
}

/** The comments of one file, read with the TypeScript parser (or Nunjucks' comment syntax). */
export function commentsOf(file: string, source: string): SourceComment[] {
  if (file.endsWith('.njk')) {
    return [...source.matchAll(/\{#([\s\S]*?)#\}/g)].map((m) => ({
      file,
      line: lineOf(source, m.index ?? 0),
      text: normalise(m[1] ?? ''),
    }));
  }
  const kind = /\.(js|mjs|cjs)$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, kind);
  const ranges = new Map<number, ts.CommentRange>();
  const collect = (node: ts.Node) => {
    for (const range of [
      ...(ts.getLeadingCommentRanges(source, node.getFullStart()) ?? []),
      ...(ts.getTrailingCommentRanges(source, node.getEnd()) ?? []),
    ])
      ranges.set(range.pos, range);
    for (const child of node.getChildren(sourceFile)) collect(child);
  };
  collect(sourceFile);
  // A shebang line is not a comment the parser reports; nothing to cite there anyway.
  return [...ranges.values()]
    .sort((a, b) => a.pos - b.pos)
    .map((range) => ({
      file,
      line: lineOf(source, range.pos),
      text: normalise(source.slice(range.pos, range.end)),
    }));
}

function lineOf(source: string, index: number): number {
  return source.slice(0, index).split('\n').length;
}

/** Removes comment markers (`//`, `/*`, leading `*`) and joins the lines, so a heading may wrap. */
function normalise(comment: string): string {
  return comment
    .replace(/^\/\*\*?|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*(\/\/+|\*(?!\/))?\s?/, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A Markdown document: its headings' text, and the § numbers its headings start with. */
export interface DocumentOutline {
  headings: Set<string>;
  sections: Set<string>;
  text: string;
}

export function outlineOf(markdown: string): DocumentOutline {
  const headings = new Set<string>();
  const sections = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const heading = (match[1] ?? '').trim();
    headings.add(heading);
    const numbered = /^§(\d+[A-Z]?)\s+(.*)$/.exec(heading);
    if (numbered) {
      sections.add(numbered[1] as string);
      headings.add((numbered[2] as string).trim());
    }
  }
  return { headings, sections, text: markdown };
}

/** Reads (and remembers) the documents of a repository, resolving the names comments use. */
export class Documents {
  private readonly outlines = new Map<string, DocumentOutline | null>();

  constructor(private readonly root: string) {}

  /** The path from the root of the document a comment names, or null if there is none. */
  resolve(name: string): string | null {
    const candidates = name.includes('/') ? [name, `docs/${name}`] : [`docs/${name}`, name];
    return candidates.find((path) => existsSync(join(this.root, path))) ?? null;
  }

  outline(path: string): DocumentOutline | null {
    if (!this.outlines.has(path)) {
      const full = join(this.root, path);
      this.outlines.set(path, existsSync(full) ? outlineOf(readFileSync(full, 'utf8')) : null);
    }
    return this.outlines.get(path) ?? null;
  }
}

interface Citation {
  index: number;
  kind: 'document' | 'external';
  /** The resolved path for a document in the repository; null when it is not in the repository. */
  path: string | null;
  name: string;
}

/** What is wrong with the citations in one comment (nothing, usually). */
export function problemsIn(comment: SourceComment, documents: Documents): CitationProblem[] {
  const problems: string[] = [];
  const { text } = comment;

  for (const match of text.matchAll(FORBIDDEN)) {
    problems.push(
      `cites ${match[0]}, which is not part of the repository: cite docs/architecture.md, ` +
        'docs/regulatory.md or docs/conventions.md instead',
    );
  }

  const citations: Citation[] = [];
  for (const match of text.matchAll(DOCUMENT)) {
    const name = match[1] as string;
    const index = match.index ?? 0;
    if (PRODUCED_FILES.includes(name) || /(^|\/)(DESIGN|CONVENTIONS|STACK)\.md$/.test(name)) continue;
    if (/^reference\//.test(name)) continue; // reported above as forbidden
    const path = documents.resolve(name);
    citations.push({ index, kind: 'document', path, name });
    if (!path) {
      problems.push(`cites ${name}, which is not in the repository`);
      continue;
    }
    const outline = documents.outline(path);
    const after = text.slice(index + name.length);
    const quoted = HEADINGS.exec(after);
    if (quoted && outline) {
      const chain = [
        quoted[1] as string,
        ...[...(quoted[2] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1] as string),
      ];
      for (const heading of chain) {
        if (!outline.headings.has(heading))
          problems.push(`cites ${path} "${heading}", which is not a heading of ${path}`);
      }
    }
  }
  for (const match of text.matchAll(EXTERNAL_STANDARD)) {
    citations.push({ index: match.index ?? 0, kind: 'external', path: null, name: match[0] });
  }
  citations.sort((a, b) => a.index - b.index);

  for (const match of text.matchAll(SECTION)) {
    const index = match.index ?? 0;
    const cited = [...citations].reverse().find((c) => c.index < index);
    if (!cited) {
      problems.push(`cites ${match[0]} without naming the document it is a section of`);
      continue;
    }
    if (cited.kind === 'external' || !cited.path) continue;
    const outline = documents.outline(cited.path);
    if (outline && !outline.sections.has(match[1] as string))
      problems.push(`cites ${cited.path} ${match[0]}, which is not a section of ${cited.path}`);
  }

  const requirements = documents.outline('docs/regulatory.md');
  for (const match of text.matchAll(REQUIREMENT)) {
    if (!requirements || !new RegExp(`\\b${match[0]}\\b`).test(requirements.text))
      problems.push(`cites requirement ${match[0]}, which docs/regulatory.md does not define`);
  }

  return [...new Set(problems)].map((problem) => ({ file: comment.file, line: comment.line, problem }));
}

/** Every citation problem in the repository's source comments, outside the folders given. */
export function citationProblems(root: string, skipFolders: readonly string[] = []): CitationProblem[] {
  const documents = new Documents(root);
  const problems: CitationProblem[] = [];
  for (const file of sourceFiles(root)) {
    if (skipFolders.some((folder) => file === folder || file.startsWith(`${folder}/`))) continue;
    for (const comment of commentsOf(file, readFileSync(join(root, file), 'utf8')))
      problems.push(...problemsIn(comment, documents));
  }
  return problems;
}

/** A path from the root for display. */
export function fromRoot(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
