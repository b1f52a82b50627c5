// Tests for the content renderer (web/build/): the Batch Normalisation entry
// has every section the page needs, and hostile content renders inert.
// Run: node --test tests/node/content.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEntry } from '../../web/build/render-entry.js';
import { renderSite } from '../../web/build/site.js';
import { STRICT_CSP } from '../../web/build/content-plugin.js';

const web = (p) => fileURLToPath(new URL(`../../web/${p}`, import.meta.url));
const bnSource = readFileSync(web('content/batch-normalisation.md'), 'utf8');
const bn = renderEntry(bnSource);

const WIDGET =
  '<norm-widget norm="batch" id="bn-widget">\n' +
  '<p class="widget-fallback">The interactive demonstration needs JavaScript and WebAssembly.</p>\n' +
  '</norm-widget>';

const ARXIV = ['1502.03167', '1805.11604', '1607.06450', '1607.08022', '1803.08494', '1910.07467'];

/** Every start tag in the output, as [tagName, attributeText]. */
function startTags(html) {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)].map((m) => [m[1].toLowerCase(), m[2]]);
}

/** The attributes of a start tag, as [name, value] pairs (values unquoted, entities left as they are). */
function attributes(attrText) {
  return [...attrText.matchAll(/([^\s"'=\/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)]
    .map((m) => [m[1].toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '']);
}

const headingIndex = (html, text) => html.search(new RegExp(`<h2[^>]*>${text}</h2>`));

test('front matter becomes meta', () => {
  assert.equal(bn.meta.title, 'Batch Normalisation');
  assert.equal(bn.meta.slug, 'batch-normalisation');
  assert.deepEqual(bn.meta.aka, ['batch norm', 'BN']);
  assert.equal(bn.meta.norm, 'batch');
  assert.deepEqual(bn.meta.related, ['layer-normalisation']);
  assert.ok(bn.meta.summary.length > 40);
});

test('title and "Also known as" line come first', () => {
  assert.match(bn.html, /^<h1>Batch Normalisation<\/h1>\n<p class="aka">Also known as: batch norm, BN<\/p>/);
});

test('every section heading is present, in order', () => {
  const order = ['During training', 'At inference', 'Why it helps', 'Limitations', 'Alternatives',
    'Interactive', 'Video', 'Related terms', 'Discussed in', 'References'];
  const positions = order.map((text) => headingIndex(bn.html, text));
  positions.forEach((pos, i) => assert.ok(pos >= 0, `missing heading "${order[i]}"`));
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'headings out of order');
  assert.match(bn.html, /<h2 id="related-terms">Related terms<\/h2>/);
});

test('the formula and the statistics are MathML', () => {
  const blocks = bn.html.match(/<math display="block">/g) ?? [];
  assert.ok(blocks.length >= 3, `expected at least 3 display formulas, got ${blocks.length}`);
  for (const element of ['mfrac', 'msqrt', 'msub', 'msubsup', 'munderover']) {
    assert.ok(bn.html.includes(`<${element}>`), `no <${element}>`);
  }
  // y = γ · (x − μ_B) / √(σ²_B + ε) + β
  assert.match(bn.html, /<mi>γ<\/mi>[\s\S]*<mfrac>[\s\S]*<msqrt>[\s\S]*<mi>ε<\/mi>[\s\S]*<mi>β<\/mi>/);
});

test('the widget sits in the Interactive section with its fallback inside', () => {
  const at = bn.html.indexOf(WIDGET);
  assert.ok(at >= 0, 'widget markup not found');
  assert.ok(at > headingIndex(bn.html, 'Interactive') && at < headingIndex(bn.html, 'Video'));
  assert.equal(bn.html.split('<norm-widget').length - 1, 1, 'exactly one widget');
});

test('related terms, references and the empty slots', () => {
  assert.match(bn.html, /<a href="layer-normalisation.html">Layer Normalisation<\/a>/);
  for (const id of ARXIV) assert.ok(bn.html.includes(`<a href="https://arxiv.org/abs/${id}">`), `no link to arXiv:${id}`);
  assert.match(bn.html, /no video for this entry yet/i);
  assert.doesNotMatch(bn.html, /<iframe|youtube/i, 'the video slot embeds nothing');
});

const HOSTILE = `---
title: Evil <script>alert(1)</script>
slug: evil
aka: [<img src=x onerror=alert(1)>]
summary: "><script>alert(1)</script>
---

<script>alert(1)</script>

<img src=x onerror=alert(1)>

[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z]( javascript:alert(1) ) [w](vbscript:msgbox(1))

![pic](javascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=)

[t](https://example.org "a\\" onmouseover=alert(1) x=\\"")

<iframe src=//evil></iframe>

<a href="javascript:alert(1)">a</a> <svg onload=alert(1)>

    <script>alert('indented')</script>
`;

test('hostile content renders inert', () => {
  const { html } = renderEntry(HOSTILE);
  assert.doesNotMatch(html, /<script/i, 'a <script> tag got through');
  assert.doesNotMatch(html, /<iframe/i, 'an <iframe> tag got through');
  assert.doesNotMatch(html, /<img|<svg/i, 'an <img>/<svg> tag got through');
  for (const [tag, attrText] of startTags(html)) {
    for (const [name, value] of attributes(attrText)) {
      assert.doesNotMatch(name, /^on/, `<${tag}> carries an event handler: ${attrText}`);
      if (name === 'href' || name === 'src') {
        assert.doesNotMatch(value, /^\s*(javascript|vbscript|data):/i, `<${tag}> links to a script URL: ${attrText}`);
      }
    }
  }
  // No raw "onerror=" anywhere but inside escaped text (the <img> became &lt;img ...&gt;).
  assert.equal(html.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '').includes('onerror='), false);
  // The words stay on the page as visible text: nothing is silently dropped.
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('&lt;iframe src=//evil&gt;'));
});

test('bad directives fail loudly with a line number', () => {
  const entry = (body) => `---\ntitle: T\nslug: t\nnorm: batch\n---\n${body}\n`;
  assert.throws(() => renderEntry(entry('::: embed https://evil')), /line 6: unknown directive/);
  assert.throws(() => renderEntry(entry('::: widget norm=evil')), /norm must be one of/);
  assert.throws(() => renderEntry(entry('::: widget id="x"onclick=1')), /may only use letters/);
  assert.throws(() => renderEntry(entry('::: widget colour=red')), /unknown argument "colour"/);
  assert.throws(() => renderEntry(entry('::: math nope')), /no math snippet "nope"/);
  assert.throws(() => renderEntry(entry('::: widget\n\n::: widget')), /already used/);
  assert.match(renderEntry(entry('::: widget norm=rms')).html, /<norm-widget norm="rms" id="rms-widget">/);
});

test('bad front matter fails loudly', () => {
  assert.throws(() => renderEntry('---\nslug: x\n---\n'), /"title" is required/);
  assert.throws(() => renderEntry('---\ntitle: X\nslug: ../x\n---\n'), /"slug"/);
  assert.throws(() => renderEntry('---\ntitle: X\nslug: index\n---\n'), /"slug"/);
  assert.throws(() => renderEntry('---\ntitle: X\nslug: x\nnorm: weight\n---\n'), /"norm"/);
});

test('the site has index, entry and list pages that a strict CSP allows', () => {
  const { pages } = renderSite({
    contentDir: web('content'),
    templateFile: web('templates/entry.html'),
    homeSlug: 'batch-normalisation',
    csp: STRICT_CSP,
  });
  assert.ok(pages.has('index.html') && pages.has('batch-normalisation.html') && pages.has('entries.html'));
  assert.equal(pages.get('index.html'), pages.get('batch-normalisation.html'));
  assert.match(pages.get('entries.html'), /<a href="batch-normalisation.html">Batch Normalisation<\/a>/);
  for (const [name, html] of pages) {
    assert.match(html, /<header class="site-header">[\s\S]*>Glossary</, `${name}: no site header`);
    assert.match(html, /This site is in beta[\s\S]*chrispaton\.org/, `${name}: no beta notice`);
    assert.match(html, /<meta http-equiv="Content-Security-Policy"/, `${name}: no CSP`);
    for (const [tag, attrs] of startTags(html)) {
      if (tag === 'script') assert.match(attrs, /type="module" src="/, `${name}: inline or classic script`);
      assert.notEqual(tag, 'style', `${name}: inline <style>`);
      assert.ok(!attributes(attrs).some(([attr]) => attr === 'style'), `${name}: style attribute on <${tag}>`);
    }
  }
});
