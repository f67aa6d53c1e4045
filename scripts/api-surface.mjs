// The public API as the TypeScript compiler sees it from src/index.ts: every export with its kind,
// declaration, doc comment and source file, and every project type that an exported signature names
// but the entry does not export (a user could not name it). docs/api.md is rendered from this
// (scripts/api-reference.mjs), and tests/package-api.test.ts checks both lists.
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');

/** @returns {ts.Program} the program rooted at the library entry, with the repository's compiler options. */
function libraryProgram(entry) {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  return ts.createProgram([entry, join(ROOT, 'src/types/wgsl.d.ts')], { ...options, noEmit: true });
}

const resolveAlias = (checker, symbol) =>
  symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
const inProject = (declaration) => {
  const file = declaration.getSourceFile().fileName;
  return file.startsWith(join(ROOT, 'src')) && !file.includes('node_modules');
};

/** A declaration's public text: the body of a function, the initializer of a constant and private members left out. */
function declarationText(node, checker, name) {
  if (ts.isFunctionDeclaration(node)) {
    const signature = checker.getSignatureFromDeclaration(node);
    const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrowStyleSignature;
    // (a: A) => R, written as a declaration: (a: A): R
    return `function ${name}${checker.signatureToString(signature, node, flags).replace(/^\((.*)\) => /s, '($1): ')}`;
  }
  if (ts.isVariableDeclaration(node)) {
    const type = checker.getTypeAtLocation(node);
    return `const ${name}: ${checker.typeToString(type, node, ts.TypeFormatFlags.NoTruncation)}`;
  }
  if (ts.isClassDeclaration(node)) {
    const heritage = (node.heritageClauses ?? []).map((h) => ` ${h.getText()}`).join('');
    const lines = [`class ${name}${heritage} {`];
    for (const member of node.members) {
      if (!isPublic(member) || ts.isClassStaticBlockDeclaration(member)) continue;
      const text = memberText(member);
      if (text) lines.push(`  ${text}`);
    }
    lines.push('}');
    return lines.join('\n');
  }
  return node
    .getText()
    .replace(/\/\*\*[\s\S]*?\*\/\s*/g, '')
    .replace(/^export\s+/, '');
}

function isPublic(member) {
  const flags = ts.getCombinedModifierFlags(member);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  return !(member.name && ts.isPrivateIdentifier(member.name));
}

/** One line per public class member: its signature without a body or initializer. */
function memberText(member) {
  const text = member.getText().replace(/\/\*\*[\s\S]*?\*\/\s*/g, '');
  if (ts.isPropertyDeclaration(member)) return text.replace(/\s*=[\s\S]*$/, '').replace(/;$/, '') + ';';
  const body = member.body ? text.slice(0, member.body.getStart() - member.getStart()).trim() : text;
  return body.replace(/\s+/g, ' ').replace(/;$/, '') + ';';
}

/** Type nodes of a declaration a user sees: parameters, return types, members, heritage; never bodies. */
function publicTypeNodes(node, visit) {
  const walk = (child) => {
    if (!child) return;
    if (ts.isBlock(child)) return;
    const member =
      ts.isPropertyDeclaration(child) ||
      ts.isMethodDeclaration(child) ||
      ts.isGetAccessor(child) ||
      ts.isConstructorDeclaration(child) ||
      ts.isParameterPropertyDeclaration(child, child.parent);
    if (member && !isPublic(child)) return;
    if (ts.isTypeReferenceNode(child)) visit(child.typeName);
    if (ts.isExpressionWithTypeArguments(child)) visit(child.expression);
    if (ts.isTypeQueryNode(child)) visit(child.exprName);
    if (ts.isVariableDeclaration(child) && !child.type) return; // an inferred constant's type is structural
    if (ts.isPropertyDeclaration(child) && child.initializer && !child.type) return;
    ts.forEachChild(child, walk);
  };
  walk(node);
}

/**
 * @returns {{ entries: Array<{ name: string, kind: string, file: string, doc: string, text: string }>,
 *   missingTypes: Array<{ name: string, file: string, usedBy: string }> }}
 */
export function apiSurface(entry = join(ROOT, 'src/index.ts')) {
  const program = libraryProgram(entry);
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  const exported = new Set();
  const entries = [];
  const roots = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = resolveAlias(checker, symbol);
    exported.add(target);
    const declaration = target.declarations?.[0];
    if (!declaration) continue;
    if (ts.isSourceFile(declaration) || ts.isModuleDeclaration(declaration)) {
      // `export * as ops`: its members are reached as ops.<name>
      for (const member of checker.getExportsOfModule(target)) {
        const memberTarget = resolveAlias(checker, member);
        exported.add(memberTarget);
        roots.push([`${symbol.name}.${member.name}`, memberTarget]);
      }
      // the namespace's doc comment sits on its `export * as` line in the entry
      const doc = leadingDocComment(symbol.declarations[0].parent);
      const file = relative(ROOT, declaration.getSourceFile().fileName);
      entries.push({ name: symbol.name, kind: 'namespace', file, doc, text: '' });
      continue;
    }
    roots.push([symbol.name, target]);
  }
  for (const [name, target] of roots) {
    const declaration = target.declarations[0];
    entries.push({
      name,
      kind: kindOf(declaration),
      file: relative(ROOT, declaration.getSourceFile().fileName),
      doc: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
      text: declarationText(declaration, checker, name),
    });
  }
  const missing = new Map();
  const seen = new Set();
  const pending = roots.map(([name, target]) => [name, target]);
  while (pending.length > 0) {
    const [usedBy, symbol] = pending.pop();
    if (seen.has(symbol)) continue;
    seen.add(symbol);
    for (const declaration of symbol.declarations ?? []) {
      if (!inProject(declaration)) continue;
      publicTypeNodes(declaration, (nameNode) => {
        const referenced = checker.getSymbolAtLocation(nameNode);
        if (!referenced) return;
        const target = resolveAlias(checker, referenced);
        const typeDeclaration = target.declarations?.[0];
        if (!typeDeclaration || !inProject(typeDeclaration) || ts.isTypeParameterDeclaration(typeDeclaration)) return;
        if (!exported.has(target) && !missing.has(target)) {
          const file = relative(ROOT, typeDeclaration.getSourceFile().fileName);
          missing.set(target, { name: target.name, file, usedBy });
        }
        pending.push([usedBy, target]);
      });
    }
  }
  return { entries, missingTypes: [...missing.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** The text of the last `/** … *\/` comment before a statement, without its delimiters and stars. */
function leadingDocComment(statement) {
  const text = statement.getSourceFile().text;
  const docs = (ts.getLeadingCommentRanges(text, statement.pos) ?? [])
    .map((range) => text.slice(range.pos, range.end))
    .filter((comment) => comment.startsWith('/**'));
  const last = docs.at(-1);
  return last
    ? last
        .slice(3, -2)
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join(' ')
        .trim()
    : '';
}

function kindOf(node) {
  if (ts.isFunctionDeclaration(node)) return 'function';
  if (ts.isClassDeclaration(node)) return 'class';
  if (ts.isInterfaceDeclaration(node)) return 'interface';
  if (ts.isTypeAliasDeclaration(node)) return 'type';
  if (ts.isVariableDeclaration(node)) return 'const';
  if (ts.isEnumDeclaration(node)) return 'enum';
  return ts.SyntaxKind[node.kind];
}

export { ROOT };
