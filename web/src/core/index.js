// Loads the normalisation core: the SIMD build where the engine validates SIMD, else the scalar
// one. Each build is instantiated at most once per page or process, behind a memoised promise.
import { createApi } from './api.js';
import { typeError } from './arguments.js';
import { simdSupported } from './simd-support.js';
// The two builds' glue files differ only in the name of their .wasm, so one glue serves both:
// we tell it which binary to load. A static import keeps the embed to one JavaScript module.
import createNormCore from './wasm/core-simd.mjs';

// Written as new URL(literal, import.meta.url) so that Vite emits both binaries as assets.
const WASM_URL = {
  simd: new URL('./wasm/core-simd.wasm', import.meta.url),
  scalar: new URL('./wasm/core-scalar.wasm', import.meta.url),
};

const loading = new Map();

const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// Node's fetch does not read file: URLs, so there we hand the glue the bytes ourselves.
async function readFileBytes(url) {
  const fsModule = 'node:fs/promises';
  const { readFile } = await import(/* @vite-ignore */ fsModule);
  return readFile(url);
}

async function instantiate(variant) {
  const url = WASM_URL[variant];
  const options = inNode
    ? { wasmBinary: await readFileBytes(url) }
    : { locateFile: () => url.href };
  return createApi(await createNormCore(options), variant);
}

/**
 * @param {{ variant?: 'auto' | 'simd' | 'scalar' }} [options]
 */
export function loadNormCore(options) {
  // Always a promise: bad options reject it rather than throw.
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    return Promise.reject(typeError('loadNormCore', 'options', options, 'an object { variant }'));
  }
  let requested;
  try {
    requested = options?.variant ?? 'auto';
  } catch (error) {
    return Promise.reject(error); // a throwing getter
  }
  if (typeof requested !== 'string') {
    return Promise.reject(
      typeError('loadNormCore', 'variant', requested, '"auto", "simd" or "scalar"'),
    );
  }
  if (!['auto', 'simd', 'scalar'].includes(requested)) {
    return Promise.reject(
      new RangeError(
        `loadNormCore: variant is ${JSON.stringify(requested)}, expected "auto", "simd" or "scalar"`,
      ),
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
