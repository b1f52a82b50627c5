// The lab's embed bundle: dist/embed/norm-lab.js, its module worker and the .wasm files, next to
// the widget's bundle (built first by embed.vite.config.js, so this build keeps that folder).
// A separate build because the widget's bundle is a single file (codeSplitting: false), and the
// lab's worker is a second file whatever the settings.
import path from 'node:path';
import { defineConfig } from 'vite';
import { paths } from './paths.js';

export default defineConfig({
  root: paths.web,
  base: './',
  publicDir: false,
  worker: { format: 'es' },
  build: {
    outDir: path.join(paths.dist, 'embed'),
    emptyOutDir: false,
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: path.join(paths.web, 'src/embed/norm-lab.js'),
      output: {
        entryFileNames: 'norm-lab.js',
        chunkFileNames: 'lab-[name]-[hash].js',
        assetFileNames: '[name]-[hash][extname]',
        codeSplitting: false,
      },
    },
  },
});
