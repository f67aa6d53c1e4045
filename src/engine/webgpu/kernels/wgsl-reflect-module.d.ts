/**
 * `wgsl_reflect` 1.6.0 ships a CommonJS build as its `main` inside a `"type": "module"` package,
 * so Node (and vitest) import nothing from the bare name. Its ES module build works everywhere;
 * this gives that path the package's own types.
 */
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
