// Every preset of the lab, run for seeds 1 to 10: its claim must hold for at least 9, and for the
// default seed (1) the reader sees first. Prints what was measured for each seed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { simd } from './support/cores.mjs';
import { measurePreset, PRESETS } from '../../web/src/lab/presets.js';

const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);

describe('preset claims hold over seeds', () => {
  for (const preset of PRESETS) {
    it(`${preset.title}: ${preset.claim.statement}`, (t) => {
      const results = SEEDS.map((seed) => ({ seed, ...measurePreset(simd, preset, seed) }));
      for (const r of results)
        t.diagnostic(`seed ${r.seed}: ${r.holds ? 'holds' : 'FAILS'} (${r.summary})`);
      const held = results.filter((r) => r.holds).length;
      assert.ok(held >= 9, `the claim held for ${held} of 10 seeds`);
      assert.ok(results[0].holds, 'the claim fails at the default seed (1)');
    });
  }

  it('each preset is complete data', () => {
    const ids = new Set();
    for (const p of PRESETS) {
      assert.ok(!ids.has(p.id), `duplicate id ${p.id}`);
      ids.add(p.id);
      assert.match(p.lookFor, /^[A-Z].*\.$/, `${p.id}: lookFor is one sentence`);
      for (const key of ['dataset', 'lr', 'initScale', 'depth', 'batchSize', 'norms', 'steps'])
        assert.ok(p.settings[key] !== undefined, `${p.id}: settings.${key}`);
      assert.ok(p.settings.norms.length >= 2 && p.settings.norms.length <= 4);
    }
  });
});
