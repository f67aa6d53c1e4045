/**
 * The docs cannot go stale on what they point at: every repository path that README.md and docs/*.md
 * name (`src/…`, `tests/…`, `bench/…`, `docs/…`, `scripts/…`, and relative Markdown links; not
 * `data/…`, which prose also uses for src/pipeline/data) exists, and every quoted test name (“…” in a
 * paragraph that speaks of tests) is the title of a test, describe block or heading, an ellipsis
 * standing for any text.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const docsFiles = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
const documents = ['README.md', ...docsFiles.map((f) => `docs/${f}`)];
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** Paths that runs write (results, reports), not files of the repository. */
const WRITTEN_BY_RUNS = [/^bench\/results\/(latest|bench-)/];

/** `src/engine/tensor.ts`, `tests/webgpu-*` (globs and <placeholders> are not paths) in a text. */
export function repositoryPaths(text: string): string[] {
  const found = text.match(/(?<![\w./-])(?:src|tests|bench|docs|scripts)\/[\w./<>*{}-]*/g) ?? [];
  return found.map((p) => p.replace(/[.,;:]+$/, '')).filter((p) => !/[<>*{}]/.test(p) && !p.endsWith('/.'));
}

/** Targets of relative Markdown links `[text](target)`, without anchors. */
export function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z]+:/.test(target));
}

/** Titles of every test, `it`, `describe` (with `${…}` kept as written) in tests/. */
function testTitles(): string[] {
  const titles: string[] = [];
  for (const file of readdirSync(join(root, 'tests')).filter((f) => f.endsWith('.ts'))) {
    const source = read(`tests/${file}`);
    for (const m of source.matchAll(/\b(?:test|it|describe)(?:\.each\([\s\S]*?\))?\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)) {
      titles.push(m[2]!.replace(/\\(.)/g, '$1'));
    }
  }
  return titles;
}

/** Whether `name`, with … standing for any text, occurs in `title` (its pieces in order). */
export function namesTitle(name: string, title: string): boolean {
  let at = 0;
  for (const piece of name
    .split('…')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = title.indexOf(piece, at);
    if (i < 0) return false;
    at = i + piece.length;
  }
  return true;
}

/** “Quoted” names in paragraphs (blank-line or bullet separated) that mention tests. */
function quotedTestNames(text: string): string[] {
  const paragraphs = text.split(/\n\s*\n|\n(?=\s*[-*] |\s*\d+\. )/);
  return paragraphs
    .filter((p) => /\btests?\b|\.test\.ts|Tests:/i.test(p))
    .flatMap((p) => [...p.matchAll(/“([^”]+)”/g)].map((m) => m[1]!.replace(/\s+/g, ' ')));
}

describe('paths and test names in README.md and docs/', () => {
  it('finds paths, links and quoted names the way the docs write them', () => {
    const paths = 'see `src/engine/tensor.ts`, tests/webgpu-*.test.ts and src/engine/webgpu/kernels/<family>.wgsl.';
    expect(repositoryPaths(paths)).toEqual(['src/engine/tensor.ts']);
    const links = '[a](docs/math.md#loss) [b](https://x.org) [c](#top) [d](../data/)';
    expect(relativeLinks(links)).toEqual(['docs/math.md', '../data/']);
    expect(namesTitle('laplacianSmoothness … against dense', 'laplacianSmoothness B=${b} against dense tr')).toBe(true);
    expect(namesTitle('kl on cpu', 'kl on webgpu vs cpu')).toBe(false);
  });

  for (const document of documents) {
    it(`${document}: every path it names exists`, () => {
      const text = read(document);
      const missing = repositoryPaths(text)
        .filter((p) => !WRITTEN_BY_RUNS.some((pattern) => pattern.test(p)))
        .filter((p) => !existsSync(join(root, p)));
      const brokenLinks = relativeLinks(text).filter((target) => !existsSync(join(root, dirname(document), target)));
      expect(missing, 'paths').toEqual([]);
      expect(brokenLinks, 'links').toEqual([]);
    });
  }

  it('every quoted test name is a test, describe block or heading', () => {
    const titles = testTitles();
    const headings = documents.flatMap((d) => [...read(d).matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!));
    const unknown = documents.flatMap((document) =>
      quotedTestNames(read(document))
        .filter((name) => ![...titles, ...headings].some((title) => namesTitle(name, title)))
        .map((name) => `${document}: “${name}”`),
    );
    expect(unknown).toEqual([]);
  });
});
