/** WGSL kernel sources are imported as text (esbuild `text` loader; vitest plugin in vitest.config.ts). */
declare module '*.wgsl' {
  const source: string;
  export default source;
}
