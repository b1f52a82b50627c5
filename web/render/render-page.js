// Wraps rendered content in the page template (web/templates/entry.html).
// {{name}} takes escaped text, {{{name}}} takes HTML built by this renderer;
// a placeholder with no value is an error, so a template typo fails the build.
// The template has no comments of its own: they would be shipped to readers.
// It must hold no inline scripts or style attributes (the pages' CSP forbids them).

import { escapeHtml } from './escape.js';

export function fillTemplate(template, fields) {
  return template.replace(/\{\{(\{?)\s*([a-z]+)\s*\}?\}\}/g, (_match, raw, name) => {
    if (!Object.hasOwn(fields, name)) throw new Error(`template: no value for {{${name}}}`);
    return raw ? String(fields[name]) : escapeHtml(fields[name]);
  });
}

/** A full page for one entry, as returned by renderEntry(). */
export function renderEntryPage(template, entry, { csp = '' } = {}) {
  return fillTemplate(template, {
    csp: cspMeta(csp),
    title: entry.meta.title,
    description: entry.meta.summary,
    // index.html repeats the home entry; both name the entry's own page as canonical.
    canonical: `<link rel="canonical" href="${escapeHtml(entry.meta.slug)}.html">`,
    body: `<article class="entry">\n${entry.html}</article>`,
  });
}

/** The "All entries" page: every entry's title, linked, with its summary. */
export function renderIndexPage(template, entries, { csp = '' } = {}) {
  const items = [...entries]
    .sort((a, b) => a.meta.title.localeCompare(b.meta.title, 'en-GB'))
    .map(
      ({ meta }) =>
        `<li><a href="${escapeHtml(meta.slug)}.html">${escapeHtml(meta.title)}</a>` +
        (meta.summary ? `<p>${escapeHtml(meta.summary)}</p>` : '') +
        `</li>`,
    )
    .join('\n');
  return fillTemplate(template, {
    csp: cspMeta(csp),
    title: 'All entries',
    description: 'Every entry in the glossary.',
    canonical: '<link rel="canonical" href="entries.html">',
    body: `<article class="entries">\n<h1>All entries</h1>\n<ul class="entry-list">\n${items}\n</ul>\n</article>`,
  });
}

export function cspMeta(policy) {
  return policy
    ? `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">`
    : '';
}
