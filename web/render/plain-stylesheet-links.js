// Vite adds `crossorigin` to the stylesheet links it writes into built pages. For the site's own
// same-origin CSS the attribute buys nothing, and it costs the styling when a page is opened from
// disk: a file:// page has an opaque origin, so Chromium refuses the CORS-mode stylesheet load and
// the text comes out unstyled. This plugin takes the attribute off stylesheet links only; module
// scripts keep theirs (they are fetched in CORS mode whatever the markup says).

const CROSSORIGIN_ON_STYLESHEET =
  /(<link\b[^>]*\brel="stylesheet"[^>]*?)\s+crossorigin(?:="[^"]*")?/g;

export function withoutStylesheetCrossorigin(html) {
  return html.replace(CROSSORIGIN_ON_STYLESHEET, '$1');
}

export function plainStylesheetLinks() {
  return {
    name: 'plain-stylesheet-links',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: withoutStylesheetCrossorigin },
  };
}
