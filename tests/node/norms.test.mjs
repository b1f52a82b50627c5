// The descriptions of the five normalisations (web/src/norms.js), held against what they describe:
// the content pages they name, the core's operations and results, and the widget's stages and
// formula. The widget, the comparison and the content renderer all read these descriptions, so a
// wrong flag or a blank formula part here is a wrong figure there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import {
  CORE_STAGE,
  NORMS,
  NORM_IDS,
  affineLength,
  defaultEps,
  groupChannels,
  groupChoices,
  groupsDivide,
  normOf,
  runForward,
  setIndex,
  withSymbols,
} from '../../web/src/norms.js';
import { simd as core } from './support/cores.mjs';
import { lcg, randomArray } from './support/reference.mjs';

const SHAPE = { n: 3, c: 4, s: 2 };
const GROUPS = 2;
const x = randomArray(SHAPE.n * SHAPE.c * SHAPE.s, lcg(5), { mean: 2, std: 3 });
const forward = (norm, options = {}) => runForward(core, norm, x, SHAPE, options, GROUPS);

// The front matter of a content page: title and the aka list.
function frontMatter(page) {
  const text = readFileSync(new URL(`../../web/content/${page}.md`, import.meta.url), 'utf8');
  const title = /^title: (.*)$/m.exec(text)[1];
  const aka = /^aka: \[(.*)\]$/m
    .exec(text)[1]
    .split(',')
    .map((s) => s.trim());
  return { title, aka };
}

describe('norm descriptions: names and identifiers', () => {
  it('lists the five norms in the site order, each under its own id', () => {
    assert.deepEqual(NORM_IDS, ['batch', 'layer', 'instance', 'group', 'rms']);
    for (const id of NORM_IDS) assert.equal(normOf(id).id, id);
  });

  // Names show on the site, slugs are element ids (bn-widget) and pages are URLs: a contract.
  it('names each norm, its page and its short forms', () => {
    const table = NORMS.map((n) => [n.id, n.name, n.label, n.abbr, n.slug, n.page, n.over]);
    assert.deepEqual(table, [
      [
        'batch',
        'Batch Normalisation',
        'batch norm',
        'BN',
        'bn',
        'batch-normalisation',
        'N and S, per channel',
      ],
      [
        'layer',
        'Layer Normalisation',
        'layer norm',
        'LN',
        'ln',
        'layer-normalisation',
        'C and S, per sample',
      ],
      [
        'instance',
        'Instance Normalisation',
        'instance norm',
        'IN',
        'in',
        'instance-normalisation',
        'S, per sample and channel',
      ],
      [
        'group',
        'Group Normalisation',
        'group norm',
        'GN',
        'gn',
        'group-normalisation',
        'C/G channels and S, per sample',
      ],
      [
        'rms',
        'RMS Normalisation',
        'RMS norm',
        'RMSNorm',
        'rms',
        'rms-normalisation',
        'C and S, per sample, no centring',
      ],
    ]);
  });

  it("agrees with each content page's title and its list of other names", () => {
    for (const norm of NORMS) {
      const { title, aka } = frontMatter(norm.page);
      assert.equal(title, norm.name, norm.page);
      assert.ok(aka.includes(norm.abbr), `${norm.page}: aka ${aka} lacks ${norm.abbr}`);
    }
  });

  it('names forward and backward operations the core has, for the same norm', () => {
    for (const norm of NORMS) {
      assert.equal(norm.forward, `${norm.backward.replace(/Backward$/, '')}`);
      assert.equal(typeof core[norm.forward], 'function', norm.forward);
      assert.equal(typeof core[norm.backward], 'function', norm.backward);
    }
  });

  it('gives the PyTorch module that computes the same', () => {
    const args = { c: 4, eps: 1e-5, momentum: 0.1, groups: 2, normalized: '[4, 2]' };
    assert.deepEqual(
      NORMS.map((n) => n.pytorch(args)),
      [
        'nn.BatchNorm1d(4, eps=0.00001, momentum=0.1)',
        'nn.LayerNorm([4, 2], eps=0.00001)',
        'nn.InstanceNorm1d(4, eps=0.00001, affine=True)',
        'nn.GroupNorm(2, 4, eps=0.00001)',
        'nn.RMSNorm([4, 2], eps=0.00001)',
      ].map((s) => s.replaceAll('0.00001', String(1e-5))),
    );
    assert.match(normOf('rms').pytorchNote, /PyTorch 2\.4/);
    assert.equal(
      NORMS.filter((n) => n.pytorchNote).length,
      1,
      'only RMS norm needs a note on the version',
    );
  });
});

describe('norm descriptions: flags against what the core computes', () => {
  for (const norm of NORMS) {
    it(`${norm.id}: keeps running statistics exactly when the core returns them`, () => {
      assert.equal(norm.runningStats, 'runningMean' in forward(norm));
    });

    it(`${norm.id}: centres (and reports a mean, spread std) exactly when the core does`, () => {
      const result = forward(norm);
      assert.equal(norm.centres, 'mean' in result);
      assert.equal(norm.spread, norm.centres ? 'std' : 'rms');
      assert.equal(norm.spread === 'rms', 'rms' in result);
    });

    it(`${norm.id}: shifts by β exactly when β changes the output`, () => {
      const length = affineLength(norm, SHAPE);
      const plain = forward(norm, { beta: new Float32Array(length) }).y;
      const shifted = forward(norm, { beta: new Float32Array(length).fill(1) }).y;
      assert.equal(
        norm.shift,
        plain.some((v, i) => v !== shifted[i]),
      );
    });

    it(`${norm.id}: is per example exactly when one example's values leave the others' alone`, () => {
      const other = Float32Array.from(x);
      for (let i = 0; i < SHAPE.c * SHAPE.s; i++) other[i] = 50 + 7 * i; // example 0 only
      const before = forward(norm).y;
      const after = runForward(core, norm, other, SHAPE, {}, GROUPS).y;
      const rest = SHAPE.c * SHAPE.s;
      const untouched = before.subarray(rest).every((v, i) => v === after[rest + i]);
      assert.equal(norm.perExample, untouched);
    });

    it(`${norm.id}: takes groups exactly when the number of sets depends on them`, () => {
      const count = (g) => setIndex(norm, { n: 2, c: 4 }, g).count;
      assert.equal(norm.takesGroups, count(1) !== count(4));
    });

    it(`${norm.id}: its γ has the length the core accepts (affine ${norm.affine})`, () => {
      const length = affineLength(norm, SHAPE);
      assert.ok(['c', 'c*s'].includes(norm.affine), `${norm.id}: affine ${norm.affine}`);
      assert.equal(length, norm.affine === 'c' ? SHAPE.c : SHAPE.c * SHAPE.s);
      forward(norm, { gamma: new Float32Array(length).fill(2) });
      assert.throws(() => forward(norm, { gamma: new Float32Array(length + 1) }), RangeError);
    });

    it(`${norm.id}: its default ε is the core's default for that operation`, () => {
      const eps = defaultEps(norm, core);
      assert.equal(typeof eps, 'number');
      assert.equal(eps, norm.id === 'rms' ? core.defaults.rmsEps : core.defaults.eps);
      assert.deepEqual(forward(norm, { eps }), forward(norm));
    });
  }
});

describe('norm descriptions: stages and formula', () => {
  const formulaText = (norm, mode) =>
    withSymbols(norm, norm.formula.map((part) => part.text).join(''), mode);

  it('writes each formula as the normalisation it is, with the symbols of each mode', () => {
    assert.deepEqual(
      NORMS.map((n) => formulaText(n, 'training')),
      [
        'y = γ · (x − μ<sub>B</sub>) / √(σ²<sub>B</sub> + ε) + β',
        'y = γ · (x − μ) / √(σ² + ε) + β',
        'y = γ · (x − μ) / √(σ² + ε) + β',
        'y = γ · (x − μ) / √(σ² + ε) + β',
        'y = γ · x / √(mean(x²) + ε)',
      ],
    );
    assert.equal(
      formulaText(normOf('batch'), 'inference'),
      'y = γ · (x − μ<sub>run</sub>) / √(σ²<sub>run</sub> + ε) + β',
    );
    // A norm without running statistics uses its training symbols in inference too.
    assert.equal(formulaText(normOf('layer'), 'inference'), formulaText(normOf('layer')));
  });

  it('marks the parts of the formula each stage lights up', () => {
    const lit = (norm) =>
      norm.formula.filter((part) => part.term).map((part) => `${part.term}:${part.text}`);
    assert.deepEqual(lit(normOf('batch')), [
      'affine:γ',
      'mean:− {mean}',
      'spread:/ √({var} + ε)',
      'affine:+ β',
    ]);
    assert.deepEqual(lit(normOf('rms')), ['affine:γ', 'spread:/ √(mean(x²) + ε)']);
  });

  for (const norm of NORMS) {
    it(`${norm.id}: runs from raw to shifted through stages the core can return`, () => {
      const ids = norm.stages.map((stage) => stage.id);
      assert.equal(ids[0], 'raw');
      assert.equal(ids.at(-1), 'shifted');
      for (const id of ids) assert.ok(Object.hasOwn(CORE_STAGE, id), `${norm.id}: stage ${id}`);
      assert.equal(ids.includes('centred'), norm.centres);
      // The stages a norm lacks are the ones it explains skipping.
      const skipped = Object.keys(CORE_STAGE).filter((id) => !ids.includes(id));
      assert.deepEqual(Object.keys(norm.skips), skipped);
      for (const why of Object.values(norm.skips)) assert.match(why, /^RMS norm does not /);
    });

    it(`${norm.id}: each stage lights up a term of the formula, and every term has its stage`, () => {
      const terms = new Set(norm.formula.filter((p) => p.term).map((p) => p.term));
      const lit = norm.stages.filter((stage) => stage.term !== null).map((stage) => stage.term);
      assert.equal(norm.stages[0].term, null, 'raw lights nothing');
      assert.deepEqual(new Set(lit), terms);
      for (const stage of norm.stages) {
        assert.ok(stage.label.length > 0 && stage.formula.length > 0, `${norm.id} ${stage.id}`);
      }
      assert.equal(new Set(norm.stages.map((s) => s.label)).size, norm.stages.length);
    });
  }

  it('writes the stage formulas as the steps of the formula', () => {
    const steps = (norm) => norm.stages.map((s) => withSymbols(norm, s.formula));
    assert.deepEqual(steps(normOf('layer')), ['x', 'x − μ', 'x̂ = (x − μ) / √(σ² + ε)', 'γ·x̂ + β']);
    assert.deepEqual(steps(normOf('rms')), ['x', 'x̂ = x / √(mean(x²) + ε)', 'γ·x̂']);
    assert.deepEqual(
      normOf('batch').stages.map((s) => s.label),
      ['raw', 'centred', 'scaled', 'scaled and shifted'],
    );
    assert.deepEqual(
      normOf('rms').stages.map((s) => [s.label, s.status]),
      [
        ['raw', undefined],
        ['scaled', undefined],
        ['gain, no shift', 'scaled by γ'],
      ],
    );
  });

  it('maps each widget stage to the core option that returns it', () => {
    assert.deepEqual(CORE_STAGE, {
      raw: null,
      centred: 'centred',
      scaled: 'scaled',
      shifted: 'output',
    });
    assert.ok(Object.isFrozen(CORE_STAGE));
  });
});

describe('norm descriptions: sets as the widget labels and colours them', () => {
  const shape = { n: 2, c: 4, s: 3 };
  const describeSets = (norm, groups) => {
    const { count } = setIndex(norm, shape, groups);
    return Array.from({ length: count }, (_, k) => [
      norm.sets.label(k, shape, groups),
      norm.sets.colour(k, shape, groups),
      norm.sets.note?.(k, shape, groups),
    ]);
  };

  it('batch norm: one set per channel', () => {
    assert.equal(normOf('batch').sets.axis, 'channel');
    assert.deepEqual(describeSets(normOf('batch'), 1), [
      ['Channel 1', 0, undefined],
      ['Channel 2', 1, undefined],
      ['Channel 3', 2, undefined],
      ['Channel 4', 3, undefined],
    ]);
  });

  it('layer and RMS norm: one set per example, noted with its size', () => {
    for (const id of ['layer', 'rms']) {
      assert.equal(normOf(id).sets.axis, 'example');
      assert.deepEqual(describeSets(normOf(id), 1), [
        ['Example 1', 0, '4 channels × 3 positions'],
        ['Example 2', 1, '4 channels × 3 positions'],
      ]);
      assert.equal(normOf(id).sets.note(0, { c: 1, s: 5 }), '1 channel × 5 positions');
    }
  });

  it('instance norm: one set per channel of each example, coloured by channel', () => {
    assert.equal(normOf('instance').sets.axis, 'example.channel');
    const sets = describeSets(normOf('instance'), 1);
    assert.equal(sets.length, 8);
    assert.deepEqual(sets[1], ['Example 1, channel 2', 1, undefined]);
    assert.deepEqual(sets[6], ['Example 2, channel 3', 2, undefined]);
  });

  it('group norm: one set per group of each example, coloured by group, noted with its channels', () => {
    assert.equal(normOf('group').sets.axis, 'example.group');
    assert.deepEqual(describeSets(normOf('group'), 2), [
      ['Example 1, group 1', 0, 'channels 1–2'],
      ['Example 1, group 2', 1, 'channels 3–4'],
      ['Example 2, group 1', 0, 'channels 1–2'],
      ['Example 2, group 2', 1, 'channels 3–4'],
    ]);
    assert.equal(normOf('group').sets.note(3, shape, 4), 'channel 4');
  });
});

describe('norm descriptions: the widget wording', () => {
  for (const norm of NORMS) {
    const { widget } = norm;
    it(`${norm.id}: one sentence to try, naming stages the norm has`, () => {
      assert.match(widget.try, /^Try: press Play/);
      assert.match(widget.try, /[.)]$/);
      for (const [, stage] of widget.try.matchAll(/stage (\d)/g))
        assert.ok(Number(stage) <= norm.stages.length, `${norm.id}: stage ${stage}`);
    });

    it(`${norm.id}: a key with both swatches, a caption and a label for the wide chart`, () => {
      assert.match(
        widget.key,
        /^<span class="swatch"><\/span>\S.* <span class="swatch dashed"><\/span>\S.* \(statistics of the values shown\)$/,
      );
      // Words before the note, and each set named: "one column per example and group".
      assert.match(
        widget.wide.caption,
        /^[A-Z][^<]* <span class="note">\(one (column|dot) per \w.*\)<\/span>$/,
      );
      assert.match(
        widget.wide.label,
        /^(Strip chart|Scatter plot) of .* current stage(, one column per \w[^;]*; the statistics are in the status text)?$/,
      );
    });

    it(`${norm.id}: starting settings the widget accepts`, () => {
      const { batchSize = 16, channels = 4, groups = 1 } = widget.defaults;
      assert.ok(Number.isInteger(batchSize) && batchSize >= 1);
      assert.ok(groupsDivide(channels, groups), `${groups} groups of ${channels} channels`);
      if (norm.perExample) assert.ok(batchSize <= 4, 'a per-example figure draws few examples');
      else assert.deepEqual(widget.defaults, {});
    });
  }

  it('words the strip charts per set, with the verb of the last stage', () => {
    assert.equal(
      normOf('layer').widget.wide.caption,
      'Every example <span class="note">(one column per example, one dot per value: each column is normalised on its own)</span>',
    );
    assert.equal(
      normOf('layer').widget.wide.label,
      'Strip chart of the values at the current stage, one column per example; the statistics are in the status text',
    );
    assert.match(normOf('rms').widget.wide.caption, /each column is scaled on its own/);
    assert.deepEqual(normOf('group').widget.defaults, { batchSize: 2, channels: 4, groups: 2 });
  });
});

describe('norm helpers', () => {
  it('normOf takes an id or a description, and names the ids when given neither', () => {
    const batch = normOf('batch');
    assert.equal(normOf(batch), batch);
    assert.throws(() => normOf({ ...batch }), {
      name: 'RangeError',
      message: /^normOf: norm is \{.*\}, expected one of batch, layer, instance, group, rms$/,
    });
    assert.throws(() => normOf('batchnorm'), {
      name: 'RangeError',
      message: 'normOf: norm is "batchnorm", expected one of batch, layer, instance, group, rms',
    });
    assert.throws(() => normOf(null), { message: /^normOf: norm is null/ });
  });

  it('freezes the descriptions all the way down', () => {
    assert.ok(Object.isFrozen(NORMS) && Object.isFrozen(NORMS[0].sets));
    assert.ok(Object.isFrozen(NORMS[4].stages[2]) && Object.isFrozen(NORMS[0].widget.wide));
  });

  it('groupChoices lists the divisors of c, from 1 to c', () => {
    assert.deepEqual(groupChoices(12), [1, 2, 3, 4, 6, 12]);
    assert.deepEqual(groupChoices(1), [1]);
    assert.deepEqual(groupChoices(7), [1, 7]);
  });

  it('groupsDivide accepts only whole numbers from 1 that divide c', () => {
    assert.equal(groupsDivide(8, 4), true);
    assert.equal(groupsDivide(8, 8), true);
    assert.equal(groupsDivide(8, 1), true);
    assert.equal(groupsDivide(8, 3), false);
    assert.equal(groupsDivide(8, 0), false);
    assert.equal(groupsDivide(8, -2), false);
    assert.equal(groupsDivide(8, 2.5), false);
    assert.equal(groupsDivide(8, '2'), false);
  });

  it('groupChannels gives the first and last channel of a group, from 1', () => {
    assert.deepEqual(groupChannels(0, 8, 4), [1, 2]);
    assert.deepEqual(groupChannels(3, 8, 4), [7, 8]);
    assert.deepEqual(groupChannels(0, 6, 1), [1, 6]);
  });

  it('setIndex refuses groups that do not divide c, for group norm only', () => {
    assert.throws(() => setIndex('group', { n: 1, c: 6 }, 4), {
      name: 'RangeError',
      message: 'setIndex: groups is 4, expected a whole number that divides c = 6',
    });
    assert.equal(setIndex('layer', { n: 3, c: 6 }, 4).count, 3);
    assert.equal(setIndex('group', { n: 3, c: 6 }).count, 3, 'one group by default');
    const sets = setIndex('group', { n: 2, c: 6 }, 3);
    assert.deepEqual([sets.of(0, 0), sets.of(0, 2), sets.of(1, 5)], [0, 1, 5]);
  });

  it('affineLength counts positions only for the norms whose γ is per value', () => {
    assert.equal(affineLength('layer', { c: 3, s: 5 }), 15);
    assert.equal(affineLength('layer', { c: 3 }), 3, 's defaults to 1');
    assert.equal(affineLength('batch', { c: 3, s: 5 }), 3);
  });

  it('runForward passes groups to group norm only and β only where the norm shifts', () => {
    const calls = [];
    const spy = new Proxy(core, {
      get: (target, key) =>
        typeof target[key] === 'function'
          ? (...args) => (calls.push([key, args[2]]), target[key](...args))
          : target[key],
    });
    const beta = new Float32Array(SHAPE.c);
    const perValue = new Float32Array(SHAPE.c * SHAPE.s);
    runForward(spy, 'group', x, SHAPE, { beta }, 2);
    runForward(spy, 'layer', x, SHAPE, { beta: perValue }, 2);
    runForward(spy, 'rms', x, SHAPE, { beta: perValue, eps: 0.5 }, 2);
    runForward(spy, 'batch', x, SHAPE);
    assert.deepEqual(calls, [
      ['groupNorm', { beta, groups: 2 }],
      ['layerNorm', { beta: perValue }],
      ['rmsNorm', { eps: 0.5 }],
      ['batchNorm', {}],
    ]);
  });
});
