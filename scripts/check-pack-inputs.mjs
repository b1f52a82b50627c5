// Run by `npm pack` (prepack): the tarball ships build output that git ignores (the two .wasm
// files beside the loader, and the embed bundle), so refuse to pack a tree that lacks them.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const required = [
  'web/src/core/wasm/core-simd.wasm',
  'web/src/core/wasm/core-scalar.wasm',
  'web/src/core/wasm/core-simd.mjs',
  'dist/embed/norm-widget.js',
  'custom-elements.json',
];
const missing = required.filter((file) => !existsSync(repo + file));
const embedWasm = existsSync(repo + 'dist/embed')
  ? readdirSync(repo + 'dist/embed').filter((name) => name.endsWith('.wasm'))
  : [];
if (embedWasm.length < 2) missing.push('dist/embed/*.wasm (two binaries)');
if (missing.length > 0) {
  console.error(
    `prepack: cannot pack, build output missing: ${missing.join(', ')}. Run ./build.sh first.`,
  );
  process.exit(1);
}
