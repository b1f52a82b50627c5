// The forward operations' `stage` option: the centred and scaled stages come from the core itself
// (x − mean, and x̂ without γ and β), with the same statistics as the output stage, in both builds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NORMS, affineLength, runForward, setIndex } from '../../web/src/norms.js';
import { builds } from './support/cores.mjs';
import { lcg, randomArray } from './support/reference.mjs';

const SHAPE = { n: 3, c: 4, s: 5 };
const GROUPS = 2;
const EPS = 1e-3;

// x − mean and (x − mean)/√(var + ε) in float64 from the statistics the core reports, per value.
function expected(norm, x, result, shape) {
  const sets = setIndex(norm.id, shape, GROUPS);
  const centred = new Float64Array(x.length);
  const scaled = new Float64Array(x.length);
  for (let n = 0; n < shape.n; n++) {
    for (let c = 0; c < shape.c; c++) {
      const k = sets.of(n, c);
      const mean = norm.centres ? result.mean[k] : 0;
      const spread = norm.centres ? Math.sqrt(result.var[k] + EPS) : result.rms[k];
      for (let p = 0; p < shape.s; p++) {
        const i = (n * shape.c + c) * shape.s + p;
        centred[i] = x[i] - mean;
        scaled[i] = centred[i] / spread;
      }
    }
  }
  return { centred, scaled };
}

function assertClose(actual, want, tolerance, what) {
  for (let i = 0; i < want.length; i++) {
    assert.ok(
      Math.abs(actual[i] - want[i]) <= tolerance,
      `${what}: value ${i} is ${actual[i]}, expected ${want[i]}`,
    );
  }
}

function inputs(norm, seed) {
  const rand = lcg(seed);
  const length = affineLength(norm.id, SHAPE);
  return {
    x: randomArray(SHAPE.n * SHAPE.c * SHAPE.s, rand, { mean: 3, std: 2 }),
    gamma: randomArray(length, rand, { mean: 1.5, std: 0.5 }),
    beta: randomArray(length, rand, { mean: -1, std: 0.5 }),
  };
}

for (const core of builds) {
  describe(`stage option (${core.variant})`, () => {
    for (const norm of NORMS) {
      const { x, gamma, beta } = inputs(norm, 11);
      const run = (stage) =>
        runForward(core, norm, x, SHAPE, { gamma, beta, eps: EPS, stage }, GROUPS);

      it(`${norm.id}: the default stage is the output`, () => {
        assert.deepEqual(run('output'), run(undefined));
      });

      it(`${norm.id}: scaled is x̂, ignoring γ and β, with the output's statistics`, () => {
        const output = run('output');
        const scaled = run('scaled');
        assertClose(scaled.y, expected(norm, x, output, SHAPE).scaled, 1e-5, 'scaled');
        for (const key of Object.keys(output)) {
          if (key !== 'y') assert.deepEqual(scaled[key], output[key], key);
        }
      });

      if (norm.centres) {
        it(`${norm.id}: centred is x − mean, with the output's statistics`, () => {
          const output = run('output');
          const centred = run('centred');
          assertClose(centred.y, expected(norm, x, output, SHAPE).centred, 1e-5, 'centred');
          for (const key of Object.keys(output)) {
            if (key !== 'y') assert.deepEqual(centred[key], output[key], key);
          }
        });
      } else {
        it(`${norm.id}: refuses the centred stage, naming the function and the stage`, () => {
          assert.throws(() => run('centred'), {
            name: 'RangeError',
            message: `${norm.forward}: stage is "centred", expected "scaled" or "output" (RMS norm does not centre)`,
          });
        });
      }
    }

    it('batchNorm in inference mode centres on the running mean given', () => {
      const x = Float32Array.from([1, 10, 3, 20, 5, 30]);
      const shape = { n: 3, c: 2, s: 1 };
      const running = { runningMean: [2, 5], runningVar: [4, 9] };
      const { y } = core.batchNorm(x, shape, { training: false, stage: 'centred', ...running });
      assert.deepEqual(Array.from(y), [-1, 5, 1, 15, 3, 25]);
    });

    it('rejects a stage that is not a known name', () => {
      const x = new Float32Array(4);
      const shape = { n: 2, c: 2, s: 1 };
      assert.throws(() => core.layerNorm(x, shape, { stage: 'shifted' }), {
        name: 'RangeError',
        message: 'layerNorm: stage is "shifted", expected one of centred, scaled, output',
      });
      assert.throws(() => core.batchNorm(x, shape, { stage: 1 }), {
        name: 'TypeError',
        message: /^batchNorm: stage is 1\b.*expected one of centred, scaled, output$/,
      });
      // The core is still usable afterwards.
      assert.equal(core.layerNorm(x, shape).y.length, 4);
    });
  });
}
