// Loads the hand-written MathML snippets in web/content/math/<name>.html.
//
// Raw HTML is disabled in the Markdown (content is untrusted), so MathML
// reaches a page only through the `::: math <name>` directive, which inserts
// one of these files verbatim. They are part of the repository and reviewed
// like code; the checks below are a tripwire against an accidental paste of
// something that is not plain MathML, not a sanitiser.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_MATH_DIR = fileURLToPath(new URL('../content/math/', import.meta.url));

const FORBIDDEN = /<script|<iframe|<style|\son[a-z]+\s*=|href\s*=|src\s*=|javascript:/i;

/** @returns {Map<string, string>} snippet name -> MathML markup */
export function loadMathIncludes(dir = DEFAULT_MATH_DIR) {
  const snippets = new Map();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.html')) continue;
    const name = file.slice(0, -'.html'.length);
    const markup = readFileSync(path.join(dir, file), 'utf8').trim();
    if (!markup.startsWith('<math') || !markup.endsWith('</math>')) {
      throw new Error(`math include ${file}: must be a single <math>…</math> element`);
    }
    if (FORBIDDEN.test(markup)) {
      throw new Error(`math include ${file}: holds markup that is not plain MathML`);
    }
    snippets.set(name, markup);
  }
  return snippets;
}
