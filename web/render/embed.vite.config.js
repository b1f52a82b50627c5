// The embed bundle: dist/embed/norm-widget.js (one ES module) and the .wasm files it loads.
// A normal build with a JavaScript entry, not library mode, which would inline the .wasm as
// data: URLs that a strict Content-Security-Policy (default-src 'self') refuses to fetch.
import path from 'node:path';
import { defineConfig } from 'vite';
import { paths } from './paths.js';

export default defineConfig({
  root: paths.web,
  base: './',
  publicDir: false,
  // The training lab's worker is a module worker: it imports the core loader, which imports the
  // Emscripten glue, so it must be bundled as an ES module (the default, iife, cannot split).
  worker: { format: 'es' },
  build: {
    outDir: path.join(paths.dist, 'embed'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: path.join(paths.web, 'src/embed/norm-widget.js'),
      output: {
        entryFileNames: 'norm-widget.js',
        assetFileNames: '[name]-[hash][extname]',
        codeSplitting: false,
      },
    },
  },
});
