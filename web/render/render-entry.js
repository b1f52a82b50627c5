// renderEntry(markdownSource) -> { html, meta }: one content file to the HTML
// of its <article> (title, "Also known as" line, then the Markdown body).
// Pure apart from reading the MathML snippets once from web/content/math/;
// pass { includes } to supply them yourself.

import { parseFrontMatter } from './front-matter.js';
import { createMarkdown } from './markdown.js';
import { loadMathIncludes } from './math-includes.js';
import { escapeHtml } from './escape.js';
import { NORM_IDS } from '../src/norms.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// File names the site generator uses for its own pages.
const RESERVED_SLUGS = new Set(['index', 'entries']);

let defaultIncludes;
const md = createMarkdown();

export function renderEntry(source, { includes } = {}) {
  const { meta: raw, body, bodyLine } = parseFrontMatter(source);
  const meta = checkMeta(raw);
  includes ??= defaultIncludes ??= loadMathIncludes();
  const env = { meta, includes, lineOffset: bodyLine - 1 };
  const html = renderHeader(meta) + md.render(body, env);
  return { html, meta };
}

function renderHeader(meta) {
  let out = `<h1>${escapeHtml(meta.title)}</h1>\n`;
  if (meta.aka.length)
    out += `<p class="aka">Also known as: ${meta.aka.map(escapeHtml).join(', ')}</p>\n`;
  return out;
}

function checkMeta(raw) {
  const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  const meta = {
    ...raw,
    title: raw.title,
    slug: raw.slug,
    aka: list(raw.aka),
    summary: raw.summary ?? '',
    related: list(raw.related),
    norm: raw.norm,
  };
  if (typeof meta.title !== 'string' || meta.title === '')
    throw new Error('front matter: "title" is required');
  if (typeof meta.slug !== 'string' || !SLUG.test(meta.slug) || RESERVED_SLUGS.has(meta.slug)) {
    throw new Error(
      `front matter: "slug" must be lower-case words joined by "-" and not index/entries, got "${meta.slug}"`,
    );
  }
  if (meta.norm !== undefined && !NORM_IDS.includes(meta.norm)) {
    throw new Error(
      `front matter: "norm" must be one of ${NORM_IDS.join(', ')}, got "${meta.norm}"`,
    );
  }
  for (const slug of meta.related) {
    if (!SLUG.test(slug)) throw new Error(`front matter: related entry "${slug}" is not a slug`);
  }
  return meta;
}
