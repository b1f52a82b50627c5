// The one markdown-it configuration used for every content file.
//
// Content is treated as untrusted, so:
//  - html: false   -> raw HTML in Markdown is shown as text, never parsed as tags;
//  - validateLink  -> left as markdown-it's default, which refuses javascript:,
//                     vbscript:, file: and most data: URLs in links and images;
//  - linkify: false -> no surprise links from bare text.
// Markup beyond Markdown comes only from the directives in directives.js.

import MarkdownIt from 'markdown-it';
import { directivesPlugin } from './directives.js';

export function createMarkdown() {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: true });
  md.use(directivesPlugin);
  md.core.ruler.push('heading_ids', addHeadingIds);
  return md;
}

// Gives every heading a stable id (e.g. "Related terms" -> "related-terms")
// so sections can be linked to from elsewhere on the site.
function addHeadingIds(state) {
  const used = (state.env.headingIds ??= new Set());
  state.tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = state.tokens[i + 1].content;
    const base = slugify(text) || 'section';
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    token.attrSet('id', id);
  });
}

export function slugify(text) {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
