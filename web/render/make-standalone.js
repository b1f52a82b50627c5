// Writes dist/standalone.html: the built Batch Normalisation page with its script and stylesheet
// inlined, so one file holds the entry, the widget and the WebAssembly. It drops the page's CSP <meta>, which
// exists to forbid exactly the inline script this file is made of.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { paths } from './paths.js';

const page = readFileSync(path.join(paths.dist, 'batch-normalisation.html'), 'utf8');
const script = readFileSync(path.join(paths.standaloneBuild, 'page.js'), 'utf8');
const STYLESHEET = /<link rel="stylesheet"[^>]*href="([^"]+\.css)"[^>]*>/;
const stylesheet = page.match(STYLESHEET);
if (!stylesheet)
  throw new Error('make-standalone: dist/batch-normalisation.html links no stylesheet');
const css = readFileSync(path.join(paths.dist, stylesheet[1]), 'utf8');

// "</script" inside the code would end the inline element early.
const safeScript = script.replace(/<\/script/gi, '<\\/script');

// The built page may load more than one module script (Vite gives a chunk shared with the
// comparison's lazily loaded code a script tag of its own); the standalone bundle is one chunk
// holding all of them, so the first tag becomes that bundle and the others go.
const MODULE_SCRIPT = /<script type="module"[^>]*src="[^"]*"[^>]*><\/script>\n?/g;
let inlined = false;
let html = page
  .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, '')
  .replace(MODULE_SCRIPT, () => {
    if (inlined) return '';
    inlined = true;
    return `<script type="module">${safeScript}</script>\n`;
  })
  .replace(STYLESHEET, () => `<style>${css}</style>`)
  .replace(/<link rel="modulepreload"[^>]*>\n?/g, '');

for (const [what, leftover] of [
  ['script', /<script[^>]*src=/],
  ['stylesheet', /<link rel="stylesheet"/],
]) {
  if (leftover.test(html))
    throw new Error(`make-standalone: a ${what} is still linked, not inlined`);
}
html = html.replace(/<link rel="icon"[^>]*>\n?/, '');
writeFileSync(path.join(paths.dist, 'standalone.html'), html);
console.log(`dist/standalone.html: ${(html.length / 1024).toFixed(0)} KB`);
