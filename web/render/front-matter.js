// Splits a content file into its front matter and its Markdown body.
//
// The front matter is a deliberately tiny subset of YAML, so that no YAML
// library (and none of its surprises) is needed:
//
//   ---
//   title: Batch Normalisation
//   aka: [batch norm, BN]        <- an inline list: comma-separated, in brackets
//   norm: batch
//   ---
//
// One `key: value` per line; blank lines and lines starting with `#` are
// ignored. Values are plain strings (never evaluated); the renderer escapes
// them wherever they reach HTML, because content is treated as untrusted.

const FENCE = '---';

/** @returns {{ meta: Record<string, string | string[]>, body: string, bodyLine: number }} (bodyLine: 1-based line of the body in the file, for error messages) */
export function parseFrontMatter(source) {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  if (lines[0].trim() !== FENCE) return { meta: {}, body: text, bodyLine: 1 };

  const end = lines.findIndex((line, i) => i > 0 && line.trim() === FENCE);
  if (end === -1) throw new Error('front matter: opening "---" has no closing "---"');

  const meta = {};
  for (let i = 1; i < end; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new Error(`front matter line ${i + 1}: expected "key: value", got "${line}"`);
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    meta[key] = parseValue(value);
  }
  return { meta, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

function parseValue(value) {
  if (value.startsWith('[') && value.endsWith(']')) {
    return value
      .slice(1, -1)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  return value;
}
