// Loads the normalisation core: the SIMD build where the engine validates SIMD, else the scalar
// one. Each build is instantiated at most once per page or process, behind a memoised promise.
import { createApi } from './api.js';
import { simdSupported } from './simd-support.js';

const GLUE = {
  simd: () => import('./wasm/core-simd.mjs'),
  scalar: () => import('./wasm/core-scalar.mjs'),
};

const loading = new Map();

const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// Node has no fetch of file: URLs for the glue to use, so we hand it the bytes ourselves.
async function nodeWasmBinary(variant) {
  const fsModule = 'node:fs/promises';
  const { readFile } = await import(/* @vite-ignore */ fsModule);
  return readFile(new URL('wasm/' + `core-${variant}.wasm`, import.meta.url));
}

async function instantiate(variant) {
  const { default: createNormCore } = await GLUE[variant]();
  const options = inNode ? { wasmBinary: await nodeWasmBinary(variant) } : {};
  const module = await createNormCore(options);
  return createApi(module, variant);
}

/**
 * @param {{ variant?: 'auto' | 'simd' | 'scalar' }} [options]
 */
export function loadNormCore(options = {}) {
  const requested = options.variant ?? 'auto';
  if (!['auto', 'simd', 'scalar'].includes(requested)) {
    return Promise.reject(
      new RangeError(`loadNormCore: variant is ${JSON.stringify(requested)}, expected "auto", "simd" or "scalar"`),
    );
  }
  const variant = requested === 'auto' ? (simdSupported() ? 'simd' : 'scalar') : requested;
  if (!loading.has(variant)) {
    const promise = instantiate(variant);
    promise.catch(() => loading.delete(variant)); // a failed load may be retried
    loading.set(variant, promise);
  }
  return loading.get(variant);
}

export { simdSupported };
