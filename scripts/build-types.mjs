// Type declarations for the package: tsc emits .d.ts files into dist/types (tsconfig.types.json),
// then every relative import in them gets the extension Node's ESM resolution needs ('./x' →
// './x.js', './dir' → './dir/index.js'), so TypeScript users on "moduleResolution": "nodenext"
// resolve them as well as those on "bundler".
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist', 'types');
rmSync(out, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.types.json')],
  { stdio: 'inherit' },
);

const declarations = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarations(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );

for (const file of declarations(out)) {
  const text = readFileSync(file, 'utf8').replace(
    /(from\s+|import\()(['"])(\.{1,2}\/[^'"]*)\2/g,
    (whole, lead, quote, spec) => {
      if (spec.endsWith('.js')) return whole;
      const target = resolve(dirname(file), spec);
      if (existsSync(`${target}.d.ts`)) return `${lead}${quote}${spec}.js${quote}`;
      if (existsSync(join(target, 'index.d.ts'))) return `${lead}${quote}${spec}/index.js${quote}`;
      throw new Error(`${file}: cannot resolve '${spec}' to a declaration file`);
    },
  );
  writeFileSync(file, text);
}
