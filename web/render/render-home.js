// The landing page (index.html): the normalisation section of the glossary. Each entry and the
// comparison appear once, in teaching order, with a one-line summary (front matter `tagline`,
// else `summary`) and a small drawing of the values its method normalises together. Plain HTML
// and inline SVG: readable without JavaScript and allowed by the strict CSP.

import { escapeHtml } from './escape.js';
import { NORM_IDS } from '../src/norms.js';
import { cspMeta, fillTemplate } from './render-page.js';
import { comparisonPreview, methodPreview } from './set-preview.js';

const ORDER = NORM_IDS; // batch, layer, instance, group, rms

/** Entries with a norm first, in ORDER; then the comparison; other pages are not listed here. */
function sectionEntries(entries) {
  const byNorm = ORDER.map((norm) => entries.find((e) => e.meta.norm === norm)).filter(Boolean);
  const comparison = entries.filter((e) => e.meta.slug === 'comparison');
  return [...byNorm, ...comparison];
}

function card({ meta }) {
  const preview = meta.norm ? methodPreview(meta.norm) : comparisonPreview();
  const line = meta.tagline || meta.summary;
  return (
    `<li class="home-card">\n` +
    `<a class="home-link" href="${escapeHtml(meta.slug)}.html">${preview}` +
    `<span class="home-title">${escapeHtml(meta.title)}</span></a>\n` +
    `<p>${escapeHtml(line)}</p>\n</li>`
  );
}

export function renderHomePage(template, entries, { csp = '' } = {}) {
  const body =
    `<article class="home">\n<h1>Normalisation</h1>\n` +
    `<p class="lede">Normalisation layers keep the activations inside a neural network on a steady ` +
    `scale: they subtract a mean, divide by a spread, then let learned parameters rescale the result. ` +
    `The methods differ in which values share those statistics. Each drawing below is a batch as a ` +
    `cube, after Wu and He: examples (N) across, spatial positions (H, W) down, channels (C) into ` +
    `depth, one small cube per value; the outlined one is a value, the filled ones are the values ` +
    `normalised with it.</p>\n` +
    `<ul class="home-list">\n${sectionEntries(entries).map(card).join('\n')}\n</ul>\n` +
    `<p><a href="entries.html">All entries in the glossary</a></p>\n</article>`;
  return fillTemplate(template, {
    csp: cspMeta(csp),
    title: 'Normalisation',
    description:
      'Batch, layer, instance, group and RMS normalisation, each explained with live figures, and a side-by-side comparison.',
    canonical: '<link rel="canonical" href="index.html">',
    body,
  });
}
