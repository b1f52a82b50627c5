// Vite configuration for the static site. Pages come from web/content/*.md
// through the content plugin (web/render/content-plugin.js), which also sets
// build.rolldownOptions.input to one entry per page.

import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { contentPlugin } from './web/render/content-plugin.js';
import { plainStylesheetLinks } from './web/render/plain-stylesheet-links.js';

const fromHere = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: fromHere('./web'),
  // Relative asset URLs, so dist/ works wherever the site is mounted.
  base: './',
  // web/public/ is not used; keep Vite from copying anything by accident.
  publicDir: false,
  // The training lab's worker is a module worker: it imports the core loader, which imports the
  // Emscripten glue, so it must be bundled as an ES module (the default, iife, cannot split).
  worker: { format: 'es' },
  plugins: [
    contentPlugin({
      contentDir: fromHere('./web/content'),
      templateFile: fromHere('./web/templates/entry.html'),
    }),
    // Keeps the pages' text styled when they are opened from disk (file://).
    plainStylesheetLinks(),
  ],
  build: {
    outDir: fromHere('./dist'),
    emptyOutDir: true,
    // Every asset (the .wasm included) stays a file of its own: data: URLs
    // would fall foul of the pages' CSP (default-src 'self').
    assetsInlineLimit: 0,
  },
  server: {
    // The repo root: the dev server serves modules from node_modules/ (outside web/, the Vite root).
    fs: { allow: [fromHere('.')] },
  },
});
