// The lab's experiment, run inside the worker: 2–4 networks with the same initial weights, trained
// on the same stream of batches, differing only in their norm. Every number comes from the core;
// this module only decides what to call when, and gathers the results for the page.
import { seededRandom } from './random.js';

const WIDTH = 32;
const GROUPS = 8;
const TRAIN_SIZE = 2048;
const TEST_SIZE = 1024;
export const EVAL_EVERY = 20;
export const MEASURE_EVERY = 50;
export const GRID = 48;
const QUANTILES = [0.1, 0.5, 0.9];

function networkOptions(settings, norm) {
  return {
    inputs: 2,
    hidden: Array.from({ length: settings.depth }, () => WIDTH),
    classes: settings.classes,
    norm,
    groups: GROUPS,
    initScale: settings.initScale,
    seed: settings.seed,
  };
}

/** Parameter positions of the Linear layers (W, b) for a network with `norm`, in parameters() order. */
function linearSlots(depth, norm) {
  const extra = { none: 0, batch: 2, layer: 2, group: 2, rms: 1 }[norm];
  const slots = [];
  let k = 0;
  for (let l = 0; l < depth; l++) {
    slots.push(k, k + 1);
    k += 2 + extra;
  }
  slots.push(k, k + 1);
  return slots;
}

function quantiles(values) {
  const sorted = Float32Array.from(values).sort();
  const n = sorted.length;
  return QUANTILES.map((q) => sorted[Math.min(n - 1, Math.floor(q * n))]);
}

export class Experiment {
  /**
   * @param core  the loaded norm core
   * @param {{ dataset: string, lr: number, momentum?: number, initScale: number, depth: number,
   *   batchSize: number, norms: string[], seed: number }} settings
   */
  constructor(core, settings) {
    this.core = core;
    this.settings = settings;
    const train = core.toyData({ dataset: settings.dataset, n: TRAIN_SIZE, seed: settings.seed });
    const test = core.toyData({ dataset: settings.dataset, n: TEST_SIZE, seed: settings.seed + 1 });
    this.train = train;
    this.test = test;
    this.classes = train.classes;
    this.extent = extentOf(train.x);
    const full = { ...settings, classes: this.classes };
    // The same Linear weights in every network: copied from one network without a norm, so the
    // networks differ in nothing but their norm, whatever the core draws for norm parameters.
    const reference = core.createNetwork(networkOptions(full, 'none'));
    const start = reference.parameters();
    reference.free();
    const refSlots = linearSlots(settings.depth, 'none');
    this.nets = settings.norms.map((norm) => {
      const net = core.createNetwork(networkOptions(full, norm));
      const params = net.parameters();
      linearSlots(settings.depth, norm).forEach((slot, i) => params[slot].set(start[refSlots[i]]));
      net.setParameters(params);
      return { norm, net, diverged: false, loss: NaN, accuracy: NaN, trainLoss: NaN };
    });
    this.random = seededRandom(settings.seed * 7919 + 17);
    this.batchX = new Float32Array(settings.batchSize * 2);
    this.batchY = new Int32Array(settings.batchSize);
    this.step = 0;
    this.grid = gridPoints(this.extent);
    this.evaluate();
  }

  #nextBatch() {
    const { batchX, batchY, train } = this;
    for (let i = 0; i < batchY.length; i++) {
      const j = Math.floor(this.random() * TRAIN_SIZE);
      batchX[2 * i] = train.x[2 * j];
      batchX[2 * i + 1] = train.x[2 * j + 1];
      batchY[i] = train.labels[j];
    }
  }

  /** One SGD step of every network on one batch; returns what was measured at this step. */
  advance() {
    this.#nextBatch();
    const { lr, momentum = 0 } = this.settings;
    for (const n of this.nets) {
      if (n.diverged) continue;
      const loss = n.net.step(this.batchX, this.batchY, { lr, momentum });
      n.trainLoss = loss;
      if (!Number.isFinite(loss)) n.diverged = true;
    }
    this.step += 1;
    const out = {};
    if (this.step % EVAL_EVERY === 0) out.curve = this.evaluate();
    if (this.step % MEASURE_EVERY === 0) {
      out.landscape = this.measureLandscape();
      out.layers = this.layerQuantiles();
    }
    return out;
  }

  /** Held-out loss and accuracy of each network (inference mode). */
  evaluate() {
    for (const n of this.nets) {
      if (n.diverged) {
        n.loss = NaN;
        n.accuracy = NaN;
        continue;
      }
      const r = n.net.evaluate(this.test.x, this.test.labels);
      n.loss = r.loss;
      n.accuracy = r.accuracy;
    }
    return {
      step: this.step,
      nets: this.nets.map(({ loss, accuracy, diverged }) => ({ loss, accuracy, diverged })),
    };
  }

  /**
   * Santurkar et al.'s measures along the gradient g of this batch, from the core's probe (which
   * updates nothing): the spread of the loss over steps η = lr/4 … 4·lr, and the effective
   * β-smoothness, the largest ‖∇L(w − ηg) − ∇L(w)‖ / ‖ηg‖ over the same steps.
   */
  measureLandscape() {
    const { lr } = this.settings;
    return {
      step: this.step,
      nets: this.nets.map((n) => {
        if (n.diverged) return { spread: NaN, gradientChange: NaN };
        const p = n.net.probe(this.batchX, this.batchY, { lr });
        let lo = p.loss;
        let hi = p.loss;
        let beta = 0;
        p.losses.forEach((loss, k) => {
          lo = Math.min(lo, loss);
          hi = Math.max(hi, loss);
          beta = Math.max(beta, p.gradientChanges[k] / (p.scales[k] * lr * p.gradientNorm));
        });
        return { spread: hi - lo, gradientChange: beta };
      }),
    };
  }

  /** The 10th, 50th and 90th percentile of each hidden layer's pre-activations at the last step. */
  layerQuantiles() {
    return {
      step: this.step,
      nets: this.nets.map((n) =>
        n.diverged ? null : n.net.activations().map((layer) => quantiles(layer.preNorm)),
      ),
    };
  }

  /** Class probabilities of each network on the GRID × GRID points of the plane. */
  regions() {
    return this.nets.map((n) =>
      n.diverged ? null : n.net.predict(this.grid, new Float32Array(GRID * GRID * this.classes)),
    );
  }

  /** Up to `count` held-out points to draw over the regions: [x, y, label] triples. */
  points(count = 300) {
    const m = Math.min(count, TEST_SIZE);
    const out = new Float32Array(m * 3);
    for (let i = 0; i < m; i++) {
      out[3 * i] = this.test.x[2 * i];
      out[3 * i + 1] = this.test.x[2 * i + 1];
      out[3 * i + 2] = this.test.labels[i];
    }
    return out;
  }

  free() {
    for (const n of this.nets) n.net.free();
    this.nets = [];
  }
}

function extentOf(x) {
  let lo = [Infinity, Infinity];
  let hi = [-Infinity, -Infinity];
  for (let i = 0; i < x.length; i += 2) {
    for (let d = 0; d < 2; d++) {
      lo[d] = Math.min(lo[d], x[i + d]);
      hi[d] = Math.max(hi[d], x[i + d]);
    }
  }
  const pad = [0, 1].map((d) => 0.08 * (hi[d] - lo[d] || 1));
  return { x: [lo[0] - pad[0], hi[0] + pad[0]], y: [lo[1] - pad[1], hi[1] + pad[1]] };
}

/** Cell centres of a GRID × GRID raster over the extent, row 0 at the top (largest y). */
function gridPoints({ x, y }) {
  const out = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    const py = y[1] - ((r + 0.5) / GRID) * (y[1] - y[0]);
    for (let c = 0; c < GRID; c++) {
      out[2 * (r * GRID + c)] = x[0] + ((c + 0.5) / GRID) * (x[1] - x[0]);
      out[2 * (r * GRID + c) + 1] = py;
    }
  }
  return out;
}
