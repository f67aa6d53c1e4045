/**
 * Stands in for src/engine/webgpu/dawn.ts in the browser bundle: Dawn is the Node.js WebGPU, and a
 * page passes navigator.gpu instead, so reaching this is a bug.
 */
export function dawnGpu(): Promise<GPU> {
  return Promise.reject(new Error('Dawn is Node-only: in a browser pass navigator.gpu (WebGpuOptions.gpu)'));
}
