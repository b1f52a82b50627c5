// The code of dist/standalone.html: the page script as one chunk with the .wasm inlined as data:
// URLs, so the page works opened from disk (file:// can neither fetch files nor load module files).
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
    outDir: paths.standaloneBuild,
    emptyOutDir: true,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    rolldownOptions: {
      input: path.join(paths.web, 'src/page.js'),
      output: { entryFileNames: 'page.js', codeSplitting: false },
    },
  },
});
