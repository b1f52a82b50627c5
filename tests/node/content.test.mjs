// Tests for the content renderer (web/render/) and the entries in web/content/:
// the Batch Normalisation entry has every section the page needs, the four
// related entries (layer, instance, group, RMS) follow the same format and link
// each other, and hostile content renders inert.
// Run: node --test tests/node/content.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEntry } from '../../web/render/render-entry.js';
import { renderSite } from '../../web/render/site.js';
import { STRICT_CSP } from '../../web/render/content-plugin.js';
import { FROM_DISK_NOTE } from '../../web/render/directives.js';

const web = (p) => fileURLToPath(new URL(`../../web/${p}`, import.meta.url));
const bnSource = readFileSync(web('content/batch-normalisation.md'), 'utf8');
const bn = renderEntry(bnSource);

const WIDGET =
  '<norm-widget norm="batch" id="bn-widget">\n' +
  `<p class="widget-fallback">The interactive demonstration needs JavaScript and WebAssembly.${FROM_DISK_NOTE}</p>\n` +
  '</norm-widget>';

const ARXIV = ['1502.03167', '1805.11604', '1607.06450', '1607.08022', '1803.08494', '1910.07467'];

/** Every start tag in the output, as [tagName, attributeText]. */
function startTags(html) {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)].map((m) => [
    m[1].toLowerCase(),
    m[2],
  ]);
}

/** The attributes of a start tag, as [name, value] pairs (values unquoted, entities left as they are). */
function attributes(attrText) {
  return [
    ...attrText.matchAll(/([^\s"'=\/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g),
  ].map((m) => [m[1].toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '']);
}

const headingIndex = (html, text) => html.search(new RegExp(`<h2[^>]*>${text}</h2>`));

test('front matter becomes meta', () => {
  assert.equal(bn.meta.title, 'Batch Normalisation');
  assert.equal(bn.meta.slug, 'batch-normalisation');
  assert.deepEqual(bn.meta.aka, ['batch norm', 'BN']);
  assert.equal(bn.meta.norm, 'batch');
  assert.deepEqual(bn.meta.related, [
    'layer-normalisation',
    'group-normalisation',
    'instance-normalisation',
    'rms-normalisation',
  ]);
  assert.ok(bn.meta.summary.length > 40);
});

test('title and "Also known as" line come first', () => {
  assert.match(
    bn.html,
    /^<h1>Batch Normalisation<\/h1>\n<p class="aka">Also known as: batch norm, BN<\/p>/,
  );
});

test('every section heading is present, in order', () => {
  // The interactive figure comes first, right after the opening definition (issue 11).
  const order = [
    'Interactive',
    'During training',
    'At inference',
    'Why it helps',
    'Limitations',
    'Alternatives',
    'Video',
    'Related terms',
    'Discussed in',
    'References',
  ];
  const positions = order.map((text) => headingIndex(bn.html, text));
  positions.forEach((pos, i) => assert.ok(pos >= 0, `missing heading "${order[i]}"`));
  assert.deepEqual(
    [...positions].sort((a, b) => a - b),
    positions,
    'headings out of order',
  );
  assert.match(bn.html, /<h2 id="related-terms">Related terms<\/h2>/);
});

test('the formula and the statistics are MathML', () => {
  const blocks = bn.html.match(/<math display="block">/g) ?? [];
  assert.ok(blocks.length >= 3, `expected at least 3 display formulas, got ${blocks.length}`);
  for (const element of ['mfrac', 'msqrt', 'msub', 'msubsup', 'munderover']) {
    assert.ok(bn.html.includes(`<${element}>`), `no <${element}>`);
  }
  // y = γ · (x − μ_B) / √(σ²_B + ε) + β
  assert.match(
    bn.html,
    /<mi>γ<\/mi>[\s\S]*<mfrac>[\s\S]*<msqrt>[\s\S]*<mi>ε<\/mi>[\s\S]*<mi>β<\/mi>/,
  );
});

test('the widget sits in the Interactive section with its fallback inside', () => {
  const at = bn.html.indexOf(WIDGET);
  assert.ok(at >= 0, 'widget markup not found');
  assert.ok(at > headingIndex(bn.html, 'Interactive') && at < headingIndex(bn.html, 'Video'));
  assert.equal(bn.html.split('<norm-widget').length - 1, 1, 'exactly one widget');
});

test('related terms, references and the empty slots', () => {
  assert.match(bn.html, /<a href="layer-normalisation.html">Layer Normalisation<\/a>/);
  for (const id of ARXIV)
    assert.ok(bn.html.includes(`<a href="https://arxiv.org/abs/${id}">`), `no link to arXiv:${id}`);
  assert.match(bn.html, /no video for this entry yet/i);
  assert.doesNotMatch(bn.html, /<iframe|youtube/i, 'the video slot embeds nothing');
});

// The five entries: file name -> the norm its widget shows, the sections every entry
// has (in this order), the arXiv paper that introduced it, and the MathML snippets it uses.
const ENTRIES = {
  'batch-normalisation': {
    norm: 'batch',
    id: 'bn-widget',
    arxiv: '1502.03167',
    math: ['bn-batch-mean', 'bn-batch-variance', 'bn-formula'],
  },
  'layer-normalisation': {
    norm: 'layer',
    id: 'ln-widget',
    arxiv: '1607.06450',
    math: ['ln-mean', 'ln-variance', 'ln-formula'],
  },
  'instance-normalisation': {
    norm: 'instance',
    id: 'in-widget',
    arxiv: '1607.08022',
    math: ['in-mean', 'in-variance', 'in-formula'],
  },
  'group-normalisation': {
    norm: 'group',
    id: 'gn-widget',
    arxiv: '1803.08494',
    math: ['gn-set', 'gn-mean', 'gn-variance', 'gn-formula'],
  },
  'rms-normalisation': {
    norm: 'rms',
    id: 'rms-widget',
    arxiv: '1910.07467',
    math: ['rms-rms', 'rms-formula'],
  },
};
const SLUGS = Object.keys(ENTRIES);
// The interactive figure first, right after the opening definition (issue 11).
const COMMON_SECTIONS = ['Interactive', 'Video', 'Related terms', 'Discussed in', 'References'];
const NEW_ENTRY_SECTIONS = [
  'Interactive',
  'How it works',
  'Why and when it is used',
  'How it differs from the others',
  ...COMMON_SECTIONS.slice(1),
];

const entries = Object.fromEntries(
  SLUGS.map((slug) => [slug, renderEntry(readFileSync(web(`content/${slug}.md`), 'utf8'))]),
);
const snippet = (name) => readFileSync(web(`content/math/${name}.html`), 'utf8');

/** The HTML of one h2 section (up to the next h2 or the end). */
function section(html, heading) {
  const start = headingIndex(html, heading);
  assert.ok(start >= 0, `missing heading "${heading}"`);
  const next = html.indexOf('<h2', start + 1);
  return html.slice(start, next === -1 ? undefined : next);
}

const hrefs = (html) => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);

test('every entry: front matter, slug, norm and the summary', () => {
  for (const [slug, { norm }] of Object.entries(ENTRIES)) {
    const { meta } = entries[slug];
    assert.equal(meta.slug, slug);
    assert.equal(meta.norm, norm, `${slug}: norm`);
    assert.ok(meta.title.length > 0 && meta.aka.length > 0, `${slug}: title and aka`);
    assert.ok(meta.summary.length > 40, `${slug}: summary`);
  }
  assert.equal(entries['rms-normalisation'].meta.title, 'RMS Normalisation');
  assert.ok(entries['rms-normalisation'].meta.aka.includes('RMSNorm'));
});

test('every entry has the common sections in order; the new ones all of theirs', () => {
  for (const slug of SLUGS) {
    const { html } = entries[slug];
    const order = slug === 'batch-normalisation' ? COMMON_SECTIONS : NEW_ENTRY_SECTIONS;
    const positions = order.map((text) => headingIndex(html, text));
    positions.forEach((pos, i) => assert.ok(pos >= 0, `${slug}: missing heading "${order[i]}"`));
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      `${slug}: headings out of order`,
    );
    assert.match(section(html, 'Video'), /no video for this entry yet/i, `${slug}: video slot`);
    assert.doesNotMatch(html, /<iframe|youtube/i, `${slug}: the video slot embeds nothing`);
    assert.match(section(html, 'Discussed in'), /<p>.+<\/p>/, `${slug}: "Discussed in" is empty`);
  }
});

test('every entry has one widget, for its own norm, in the Interactive section after a caption', () => {
  for (const [slug, { norm, id }] of Object.entries(ENTRIES)) {
    const { html } = entries[slug];
    assert.equal(html.split('<norm-widget').length - 1, 1, `${slug}: exactly one widget`);
    const interactive = section(html, 'Interactive');
    assert.ok(
      interactive.includes(
        WIDGET.replace('"batch"', `"${norm}"`).replace('"bn-widget"', `"${id}"`),
      ),
      `${slug}: no <norm-widget norm="${norm}" id="${id}"> with its fallback in "Interactive"`,
    );
    const caption = interactive.slice(0, interactive.indexOf('<norm-widget'));
    assert.match(caption, /<p>[^<]{120,}<\/p>/, `${slug}: the widget has no caption before it`);
  }
  // The RMS caption says what is different there: the centring step is skipped, and no shift.
  const rmsCaption = section(entries['rms-normalisation'].html, 'Interactive');
  assert.match(rmsCaption, /centring step is skipped/);
  assert.match(rmsCaption, /mean is not subtracted/);
  assert.match(rmsCaption, /no shift/);
});

test('every entry shows its formulas as MathML from its own snippets', () => {
  for (const [slug, { math }] of Object.entries(ENTRIES)) {
    const { html } = entries[slug];
    for (const name of math) {
      assert.ok(html.includes(snippet(name).trim()), `${slug}: snippet ${name} not on the page`);
    }
    const formula = snippet(math.at(-1));
    assert.match(formula, /<math display="block">/);
    assert.match(formula, /<mfrac>/, `${slug}: the main formula has no fraction`);
  }
  // Layer, instance and group norm: y = γ · (x − μ) / √(σ² + ε) + β.
  for (const name of ['ln-formula', 'in-formula', 'gn-formula']) {
    assert.match(
      snippet(name),
      /<mi>γ<\/mi>[\s\S]*<mo>−<\/mo>[\s\S]*<msqrt>[\s\S]*<mi>σ<\/mi>[\s\S]*<mi>ε<\/mi>[\s\S]*<mi>β<\/mi>/,
      name,
    );
  }
  // Layer norm's statistics run over H values; instance norm's over S positions.
  assert.match(snippet('ln-mean'), /<mfrac><mn>1<\/mn><mi>H<\/mi><\/mfrac>/);
  assert.match(snippet('in-mean'), /<mfrac><mn>1<\/mn><mi>S<\/mi><\/mfrac>/);
  assert.match(
    entries['layer-normalisation'].html,
    /<em>H<\/em>\u00a0=\u00a0<em>C<\/em>·<em>S<\/em>/,
  );
  // Group norm's set S_i: same example, same group of C/G channels.
  assert.match(
    snippet('gn-set'),
    /<msub><mi>S<\/mi><mi>i<\/mi><\/msub>[\s\S]*<mo>⌊<\/mo>[\s\S]*<mi>G<\/mi>[\s\S]*<mo>⌋<\/mo>/,
  );
  // RMS norm: y = x / RMS(x) · γ with RMS(x) = √(1/n Σ x² + ε); no mean is subtracted, no β.
  assert.match(
    snippet('rms-rms'),
    /<mi>RMS<\/mi>[\s\S]*<msqrt>[\s\S]*<msubsup><mi>x<\/mi><mi>i<\/mi><mn>2<\/mn><\/msubsup>[\s\S]*<mi>ε<\/mi>\s*<\/msqrt>/,
  );
  assert.doesNotMatch(snippet('rms-formula'), /<mo>−<\/mo>|<mi>μ<\/mi>|<mi>β<\/mi>/);
  assert.match(snippet('rms-formula'), /<mi>RMS<\/mi>[\s\S]*<mi>γ<\/mi>/);
});

test('every reference links to arXiv, starting with the paper that introduced the method', () => {
  for (const [slug, { arxiv }] of Object.entries(ENTRIES)) {
    const refs = section(entries[slug].html, 'References');
    const items = refs.match(/<li>[\s\S]*?<\/li>/g) ?? [];
    assert.ok(items.length >= 2, `${slug}: too few references`);
    assert.ok(
      items[0].includes(`<a href="https://arxiv.org/abs/${arxiv}">arXiv:${arxiv}</a>`),
      `${slug}: first reference is not arXiv:${arxiv}`,
    );
    for (const item of items) {
      assert.match(
        item,
        /<a href="https:\/\/arxiv\.org\/abs\/(\d{4}\.\d{5})">arXiv:\1<\/a>/,
        `${slug}: reference without an arXiv link: ${item}`,
      );
    }
  }
});

test('related terms: every entry links every other one, and only pages that exist', () => {
  const { pages } = renderSite({
    contentDir: web('content'),
    templateFile: web('templates/entry.html'),
  });
  for (const slug of SLUGS) {
    const { html, meta } = entries[slug];
    const others = SLUGS.filter((s) => s !== slug);
    const linked = hrefs(section(html, 'Related terms'));
    assert.deepEqual(
      [...linked].sort(),
      [...others.map((s) => `${s}.html`), 'comparison.html'].sort(),
      `${slug}: Related terms`,
    );
    assert.deepEqual(
      [...meta.related].sort(),
      [...others].sort(),
      `${slug}: front matter "related"`,
    );
    // standalone.html is written after the site build (web/render/make-standalone.js).
    for (const href of hrefs(html).filter((h) => !/^https:/.test(h) && h !== 'standalone.html')) {
      // A link within the page must name an element the page has.
      if (href.startsWith('#')) {
        assert.ok(html.includes(`id="${href.slice(1)}"`), `${slug}: link to a missing ${href}`);
      } else {
        assert.ok(pages.has(href), `${slug}: link to a page that does not exist: ${href}`);
      }
    }
  }
  // Batch norm's "Alternatives" name each alternative with a link to its entry.
  const alternatives = section(entries['batch-normalisation'].html, 'Alternatives');
  for (const [name, slug] of [
    ['Layer normalisation', 'layer-normalisation'],
    ['Instance normalisation', 'instance-normalisation'],
    ['Group normalisation', 'group-normalisation'],
    ['RMS normalisation', 'rms-normalisation'],
  ]) {
    assert.ok(
      alternatives.includes(`<li><strong><a href="${slug}.html">${name}</a></strong>`),
      `Alternatives: ${name} is not linked`,
    );
  }
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
        assert.doesNotMatch(
          value,
          /^\s*(javascript|vbscript|data):/i,
          `<${tag}> links to a script URL: ${attrText}`,
        );
      }
    }
  }
  // No raw "onerror=" anywhere but inside escaped text (the <img> became &lt;img ...&gt;).
  assert.equal(
    html.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '').includes('onerror='),
    false,
  );
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
  assert.match(
    renderEntry(entry('::: widget norm=rms')).html,
    /<norm-widget norm="rms" id="rms-widget">/,
  );
});

test('the lab directive: a preset from presets.js, norms joined by "-", errors naming the line', () => {
  const entry = (body) => `---\ntitle: T\nslug: t\nnorm: batch\n---\n${body}\n`;
  assert.match(
    renderEntry(entry('::: lab preset=tiny-batches')).html,
    /<norm-lab id="lab" preset="tiny-batches">\n<p class="widget-fallback">/,
  );
  assert.match(
    renderEntry(entry('::: lab norms=none-batch-rms id=lab2')).html,
    /<norm-lab id="lab2" norms="none,batch,rms">/,
  );
  assert.throws(() => renderEntry(entry('::: lab preset=nope')), /line 6: preset must be one of/);
  assert.throws(() => renderEntry(entry('::: lab norms=batch-instance')), /norms must be 2 to 4/);
  assert.throws(() => renderEntry(entry('::: lab norms=batch')), /norms must be 2 to 4/);
  assert.throws(() => renderEntry(entry('::: lab\n\n::: lab')), /already used/);
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
    csp: STRICT_CSP,
  });
  for (const name of ['index.html', 'entries.html', ...SLUGS.map((s) => `${s}.html`)])
    assert.ok(pages.has(name), `no ${name}`);
  // index.html is the landing page: the five entries and the comparison, each linked once with
  // its one-line summary and a drawing, in teaching order.
  const home = pages.get('index.html');
  const cards = [...home.matchAll(/<li class="home-card">[\s\S]*?<\/li>/g)].map((m) => m[0]);
  assert.deepEqual(
    cards.map((card) => card.match(/href="([^"]+)"/)[1]),
    [...SLUGS.map((s) => `${s}.html`), 'comparison.html'],
  );
  for (const card of cards) {
    assert.match(card, /<svg class="set-preview"[^>]* role="img" aria-label="[^"]{40,}"/);
    assert.match(card, /<p>[^<]{30,}<\/p>/, 'a one-line summary');
  }
  // The list names every page once, alphabetically by title (other pages, such as the
  // comparison, may sit among the five entries).
  const listed = [...pages.get('entries.html').matchAll(/<li><a href="([^"]+)">([^<]+)<\/a>/g)].map(
    (m) => [m[1], m[2]],
  );
  const titles = listed.map(([, title]) => title);
  assert.deepEqual(
    titles,
    [...titles].sort((a, b) => a.localeCompare(b, 'en-GB')),
  );
  assert.deepEqual(
    listed.filter(([href]) => SLUGS.includes(href.replace(/\.html$/, ''))),
    [
      ['batch-normalisation.html', 'Batch Normalisation'],
      ['group-normalisation.html', 'Group Normalisation'],
      ['instance-normalisation.html', 'Instance Normalisation'],
      ['layer-normalisation.html', 'Layer Normalisation'],
      ['rms-normalisation.html', 'RMS Normalisation'],
    ],
  );
  for (const [name, html] of pages) {
    assert.match(html, /<header class="site-header">[\s\S]*>Glossary</, `${name}: no site header`);
    assert.match(html, /This site is in beta[\s\S]*chrispaton\.org/, `${name}: no beta notice`);
    assert.match(html, /<meta http-equiv="Content-Security-Policy"/, `${name}: no CSP`);
    for (const [tag, attrs] of startTags(html)) {
      if (tag === 'script')
        assert.match(attrs, /type="module" src="/, `${name}: inline or classic script`);
      assert.notEqual(tag, 'style', `${name}: inline <style>`);
      assert.ok(
        !attributes(attrs).some(([attr]) => attr === 'style'),
        `${name}: style attribute on <${tag}>`,
      );
    }
  }
});

// Corrections checked against the papers (issue 11, item 7): each claim below was once stated
// wrongly or loosely on the site.
const source = (slug) => readFileSync(web(`content/${slug}.md`), 'utf8');
const prose = (slug) =>
  source(slug)
    .replace(/^---[\s\S]*?\n---\n/, '') // front matter (aka lists the other names on purpose)
    .replace(/^\d+\. .*$/gm, '') // references keep the papers' own titles
    .replace(/`[^`]*`/g, ''); // code names such as PyTorch's `RMSNorm`

test('content corrections hold in every entry', () => {
  const bnText = source('batch-normalisation');
  assert.match(bnText, /can represent the identity/);
  assert.doesNotMatch(bnText, /does not limit what the network can represent/);
  assert.match(bnText, /when the layer before it is linear or convolutional it can be folded/);
  assert.match(bnText, /trained about as well as ordinary batch-normalised ones, and still better/);
  assert.match(bnText, /usually then applies a learned scale/);
  assert.match(bnText, /InstanceNorm2d` leaves them out by default/);
  assert.doesNotMatch(bnText, /equally well whatever the batch size/);
  assert.match(bnText, /stable over a wide range of batch sizes \(about 24\.0–24\.2%/);
  assert.match(source('group-normalisation'), /between 24\.0% and 24\.2%/);
  const rms = source('rms-normalisation');
  assert.match(rms, /PyTorch's and LLaMA's choice/);
  assert.match(rms, /authors' own code instead adds ε to the root mean square/);
  const comparison = source('comparison');
  assert.match(comparison, /ignores a positive rescaling/);
  assert.match(comparison, /batch size and the positions both to 1/);
  assert.doesNotMatch(comparison, /to one sample to\s+see it refuse/);
  // The seed's wording that stays.
  assert.match(source('layer-normalisation'), /pre-norm/);
  assert.match(rms, /Adam Roberts and others/);
});

test('one name per method: "X normalisation" in prose, never RMSNorm; counting starts at 1', () => {
  for (const slug of [...SLUGS, 'comparison']) {
    const text = prose(slug);
    assert.doesNotMatch(text, /\bRMSNorm\b/, `${slug}: says RMSNorm in prose`);
    assert.doesNotMatch(text, /RMS norm\b/, `${slug}: says "RMS norm" in prose`);
    assert.doesNotMatch(text, /numbered from 0|channels 0 and 1|#0/, `${slug}: counts from 0`);
  }
});

test('every entry links the comparison from its text and its related terms', () => {
  for (const slug of SLUGS) {
    const { html } = entries[slug];
    const beforeRelated = html.slice(0, headingIndex(html, 'Related terms'));
    assert.ok(beforeRelated.includes('<a href="comparison.html">'), `${slug}: text`);
    assert.ok(section(html, 'Related terms').includes('<a href="comparison.html">'), slug);
  }
});
