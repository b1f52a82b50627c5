// Block directives: the only way content can ask for markup that plain
// Markdown cannot express (raw HTML is disabled because content is untrusted).
//
// A directive is a single line of its own, starting with three colons:
//
//   ::: widget                 -> the interactive element for the entry's norm
//   ::: widget norm=layer      -> ... or for a named norm (id defaults to ln-widget)
//   ::: widget norm=batch id=bn-widget
//   ::: math bn-formula        -> web/content/math/bn-formula.html, verbatim
//   ::: compare                -> the side-by-side comparison of all five norms
//   ::: lab preset=tiny-batches -> the training lab (<norm-lab>), optionally starting from a
//                                 preset; norms=batch,group is written norms=batch-group
//   ::: figure coupling        -> a small figure inside the prose (FIGURES below; id defaults to
//                                 coupling-figure)
//
// Arguments are bare words or key=value pairs; values are restricted to
// [A-Za-z0-9_-] so nothing a content author writes can break out of an
// attribute. Unknown directives, unknown keys and bad values fail the build
// with the line number, rather than rendering something surprising.

import { NORM_IDS, normOf } from '../src/norms.js';
import { escapeHtml } from './escape.js';
import { findPreset, presetList } from '../src/lab/preset-view.js';
import { NORM_LABELS } from '../src/lab/settings.js';

export const WIDGET_FALLBACK = 'The interactive demonstration needs JavaScript and WebAssembly.';

const COMPARE_FALLBACK = 'The side-by-side comparison needs JavaScript and WebAssembly.';

export const LAB_FALLBACK =
  'The training lab needs JavaScript, WebAssembly and Web Workers: it trains small networks in your browser.';
// Shown with either fallback: a page opened from disk (file://) cannot load its module script or
// the WebAssembly, so it says where the same thing works without a server.
export const FROM_DISK_NOTE =
  ' Opened as a file from disk, this page also needs a web server (<code>./build.sh serve</code>); ' +
  '<a href="standalone.html">standalone.html</a> holds the Batch Normalisation entry with its ' +
  'demonstration in one file that works from disk.';

const FIGURE_FALLBACK = 'This figure needs JavaScript and WebAssembly.';

// The figures a content page may place in its prose: name -> custom element (web/src/figures/).
export const FIGURES = {
  coupling: 'norm-coupling',
  'small-batches': 'norm-small-batches',
  'running-statistics': 'norm-running-statistics',
  inference: 'norm-inference',
  'sync-batch-norm': 'norm-sync-batch-norm',
  'batch-of-one': 'norm-batch-of-one',
  contrast: 'norm-contrast',
  groups: 'norm-groups',
  'rms-shift': 'norm-rms-shift',
};

const LINE = /^:::[ \t]+([a-z][a-z0-9-]*)(?:[ \t]+(.*?))?[ \t]*$/;
const WORD = /^[A-Za-z0-9_-]+$/;

/** markdown-it plugin: parses directive lines into `directive` tokens and renders them. */
export function directivesPlugin(md) {
  md.block.ruler.before('paragraph', 'directive', parseDirective, { alt: ['paragraph'] });
  md.renderer.rules.directive = (tokens, idx, _options, env) => {
    const { name, argText, line } = tokens[idx].meta;
    const where = `directive "::: ${name}" on line ${line + (env.lineOffset ?? 0)}`;
    const handler = HANDLERS[name];
    if (!handler)
      throw new Error(`${where}: unknown directive (known: ${Object.keys(HANDLERS).join(', ')})`);
    return handler(parseArgs(argText, where), env, where);
  };
}

function parseDirective(state, startLine, _endLine, silent) {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // indented code, not a directive
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const match = LINE.exec(state.src.slice(start, state.eMarks[startLine]));
  if (!match) return false;
  if (silent) return true;
  const token = state.push('directive', '', 0);
  token.block = true;
  token.map = [startLine, startLine + 1];
  token.meta = { name: match[1], argText: match[2] ?? '', line: startLine + 1 };
  state.line = startLine + 1;
  return true;
}

function parseArgs(text, where) {
  const named = {};
  const positional = [];
  for (const part of text.split(/[ \t]+/).filter(Boolean)) {
    const eq = part.indexOf('=');
    const [key, value] = eq === -1 ? [null, part] : [part.slice(0, eq), part.slice(eq + 1)];
    if (!WORD.test(value) || (key !== null && !WORD.test(key))) {
      throw new Error(`${where}: argument "${part}" may only use letters, digits, "-" and "_"`);
    }
    if (key === null) positional.push(value);
    else named[key] = value;
  }
  return { named, positional };
}

function onlyKeys(args, keys, where) {
  for (const key of Object.keys(args.named)) {
    if (!keys.includes(key))
      throw new Error(
        `${where}: unknown argument "${key}" (allowed: ${keys.join(', ') || 'none'})`,
      );
  }
}

const HANDLERS = {
  // The custom element hydrates in place; until then (or without JavaScript)
  // its light-DOM child, the fallback paragraph, is what the reader sees.
  widget(args, env, where) {
    onlyKeys(args, ['norm', 'id'], where);
    if (args.positional.length) throw new Error(`${where}: takes only norm= and id=`);
    const norm = args.named.norm ?? env.meta?.norm;
    if (!NORM_IDS.includes(norm)) {
      throw new Error(`${where}: norm must be one of ${NORM_IDS.join(', ')}, got "${norm}"`);
    }
    // The default id uses the norm's short name (norms.js `slug`: bn, ln, in, gn, rms).
    const id = args.named.id ?? `${normOf(norm).slug}-widget`;
    env.ids ??= new Set();
    if (env.ids.has(id)) throw new Error(`${where}: id "${id}" is already used on this page`);
    env.ids.add(id);
    return (
      `<norm-widget norm="${escapeHtml(norm)}" id="${escapeHtml(id)}">\n` +
      `<p class="widget-fallback">${escapeHtml(WIDGET_FALLBACK)}${FROM_DISK_NOTE}</p>\n` +
      `</norm-widget>\n`
    );
  },

  compare(args, env, where) {
    onlyKeys(args, [], where);
    if (args.positional.length) throw new Error(`${where}: takes no arguments`);
    const fallback = `<p class="widget-fallback">${escapeHtml(COMPARE_FALLBACK)}${FROM_DISK_NOTE}</p>`;
    return `<norm-compare id="compare">\n${fallback}\n</norm-compare>\n`;
  },

  // Values are restricted to [A-Za-z0-9_-], so a list of norms is joined with "-" here and
  // written with commas, as the element reads it.
  lab(args, env, where) {
    onlyKeys(args, ['preset', 'norms', 'id'], where);
    if (args.positional.length) throw new Error(`${where}: takes only preset=, norms= and id=`);
    const id = args.named.id ?? 'lab';
    env.ids ??= new Set();
    if (env.ids.has(id)) throw new Error(`${where}: id "${id}" is already used on this page`);
    env.ids.add(id);
    let attrs = ` id="${escapeHtml(id)}"`;
    if (args.named.preset) {
      if (!findPreset(args.named.preset)) {
        const known = presetList().map((p) => p.id);
        throw new Error(
          `${where}: preset must be one of ${known.join(', ')}, got "${args.named.preset}"`,
        );
      }
      attrs += ` preset="${escapeHtml(args.named.preset)}"`;
    }
    if (args.named.norms) {
      const norms = args.named.norms.split('-');
      const known = Object.keys(NORM_LABELS); // the norms the lab's networks can use
      if (norms.length < 2 || norms.length > 4 || !norms.every((n) => known.includes(n))) {
        throw new Error(
          `${where}: norms must be 2 to 4 of ${known.join(', ')} joined by "-", got "${args.named.norms}"`,
        );
      }
      attrs += ` norms="${escapeHtml(norms.join(','))}"`;
    }
    return `<norm-lab${attrs}>\n<p class="widget-fallback">${escapeHtml(LAB_FALLBACK)}</p>\n</norm-lab>\n`;
  },

  figure(args, env, where) {
    onlyKeys(args, ['id'], where);
    if (args.positional.length !== 1) throw new Error(`${where}: expects one figure name`);
    const [name] = args.positional;
    if (!Object.hasOwn(FIGURES, name)) {
      throw new Error(
        `${where}: unknown figure "${name}" (known: ${Object.keys(FIGURES).join(', ')})`,
      );
    }
    const id = args.named.id ?? `${name}-figure`;
    env.ids ??= new Set();
    if (env.ids.has(id)) throw new Error(`${where}: id "${id}" is already used on this page`);
    env.ids.add(id);
    const tag = FIGURES[name];
    const fallback = `<p class="widget-fallback">${escapeHtml(FIGURE_FALLBACK)}</p>`;
    return `<${tag} id="${escapeHtml(id)}">\n${fallback}\n</${tag}>\n`;
  },

  // Wrapped so that a wide formula scrolls sideways on a narrow screen
  // instead of widening the page.
  math(args, env, where) {
    onlyKeys(args, [], where);
    if (args.positional.length !== 1) throw new Error(`${where}: expects one snippet name`);
    const [name] = args.positional;
    const snippet = env.includes?.get(name);
    if (snippet === undefined)
      throw new Error(`${where}: no math snippet "${name}" in web/content/math/`);
    return `<div class="equation">\n${snippet}\n</div>\n`;
  },
};
