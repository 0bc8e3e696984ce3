import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The documentation cites files of the repository and links to other pages; both go stale when code
// moves. This checks README.md and every docs/*.md against the tree as it is.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README_MAX_LINES = 250;

const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
const text = (document: string) => readFileSync(join(root, document), 'utf8');

/** A cited path: one of these folders, not inside a longer path or URL (`dist/src/…`, `https://…/src/…`). */
const CITED_PATH = /(?<![\w./@~-])(?:src|test|bench|scripts|drizzle)\/[^\s`'"()[\]{},;|]*/g;

/** The path a citation names: without `:line`, `#anchor` or the sentence's punctuation after it. */
function citedPath(citation: string): string {
  return citation
    .replace(/#.*$/, '')
    .replace(/:\d+(-\d+)?$/, '')
    .replace(/[.,:;!?]+$/, '');
}

/** Every path a document cites, with its line number; patterns (`src/domain/<feature>/`, `test/**`) are not paths. */
function citedPaths(markdown: string): { line: number; path: string }[] {
  return markdown.split('\n').flatMap((content, index) =>
    [...content.matchAll(CITED_PATH)]
      .map((match) => citedPath(match[0]))
      .filter((path) => !/[<>*…]/.test(path))
      .map((path) => ({ line: index + 1, path })),
  );
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens; repeats get -1, -2… */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of withoutCode(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count ? `${base}-${count}` : base);
  }
  return result;
}

/** Fenced blocks and inline code blanked out (lines kept), so that what they show is not read as a link or heading. */
function withoutCode(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
}

/** Every relative link target in a document, with its line number (web, mail and same-page links aside: those are checked as anchors). */
function links(markdown: string): { line: number; target: string }[] {
  return withoutCode(markdown)
    .split('\n')
    .flatMap((content, index) => [...content.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => ({ line: index + 1, target: match[1]! })))
    .filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('the documentation matches the repository', () => {
  it('finds the documents and the citations in them', () => {
    expect(documents).toContain('README.md');
    expect(documents.length).toBeGreaterThan(1);
    expect(citedPaths('see `src/domain/workflow.ts:12`, src/db/ and test/unit/x.test.ts#L3.')).toEqual([
      { line: 1, path: 'src/domain/workflow.ts' },
      { line: 1, path: 'src/db/' },
      { line: 1, path: 'test/unit/x.test.ts' },
    ]);
    expect(citedPaths('src/domain/<feature>/, test/**, dist/src/server/main.js, https://example.org/src/x.ts')).toEqual([]);
  });

  it('every path cited in README.md and docs/*.md exists (a file or a folder)', () => {
    const missing = documents.flatMap((document) =>
      citedPaths(text(document))
        .filter(({ path }) => !existsSync(join(root, path)))
        .map(({ line, path }) => `${document}:${line} ${path}`),
    );
    expect(missing, `cited paths that do not exist:\n  ${missing.join('\n  ')}\n`).toEqual([]);
  });

  it('every relative link in README.md and docs/*.md points to an existing file, and its #anchor to a heading there', () => {
    const broken = documents.flatMap((document) =>
      links(text(document)).flatMap(({ line, target }) => {
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const linked = file ? posix.normalize(posix.join(posix.dirname(document), decodeURI(file))) : document;
        if (!existsSync(join(root, linked))) return [`${document}:${line} ${target} (no such file)`];
        if (anchor && linked.endsWith('.md') && !anchors(text(linked)).has(anchor)) return [`${document}:${line} ${target} (no such heading)`];
        return [];
      }),
    );
    expect(broken, `broken links:\n  ${broken.join('\n  ')}\n`).toEqual([]);
  });

  it(`README.md is at most ${README_MAX_LINES} lines (the rest belongs in docs/)`, () => {
    const lines = text('README.md').replace(/\n$/, '').split('\n').length;
    expect(lines, `README.md has ${lines} lines`).toBeLessThanOrEqual(README_MAX_LINES);
  });
});
