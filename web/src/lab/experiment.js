// The lab's experiment, pure JavaScript on top of the core (no DOM: it runs in a Worker and in
// Node). Two to four networks start from the same Linear weights and see the same stream of
// batches, so they differ only in their norm; this module steps them and measures what the lab
// shows: loss and accuracy, per-layer pre-activation statistics, decision regions, Santurkar et
// al.'s loss-landscape measures, and accuracy with batch against running statistics.

export const DEFAULT_SETTINGS = Object.freeze({
  dataset: 'spirals',
  seed: 1,
  lr: 0.1,
  momentum: 0,
  initScale: 1,
  depth: 3,
  width: 32,
  batchSize: 32,
  norms: Object.freeze(['none', 'batch']),
  groups: 8,
  noise: 0.1,
  unnormalised: false,
  trainSize: 2048,
  testSize: 1024,
});

export const EVAL_EVERY = 20;
export const MEASURE_EVERY = 50;
export const GRID = 48;
const QUANTILES = [0.1, 0.5, 0.9];
const HISTOGRAM_BINS = 24;

// mulberry32: picks which examples go into each batch (the data themselves come from the core).
function batchRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Positions of the Linear layers' W and b in parameters() order, for a network with `norm`. */
export function linearSlots(depth, norm) {
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

function networkOptions(s, classes, norm) {
  return {
    inputs: 2,
    hidden: Array.from({ length: s.depth }, () => s.width),
    classes,
    norm,
    groups: s.groups,
    initScale: s.initScale,
    seed: s.seed,
  };
}

/** Mean, standard deviation, 10/50/90th percentiles and a histogram over [lo, hi] of `values`. */
export function summarise(values, lo = -6, hi = 6) {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  const sorted = Float32Array.from(values).sort();
  const counts = new Uint32Array(HISTOGRAM_BINS);
  for (const v of values) {
    const bin = Math.floor(((v - lo) / (hi - lo)) * HISTOGRAM_BINS);
    counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, bin))] += 1; // outliers in the end bins
  }
  return {
    mean,
    std: Math.sqrt(sq / n),
    quantiles: QUANTILES.map((q) => sorted[Math.min(n - 1, Math.floor(q * n))]),
    histogram: { lo, hi, counts },
  };
}

export class Experiment {
  /** @param core the loaded norm core; @param settings see DEFAULT_SETTINGS */
  constructor(core, settings) {
    const s = { ...DEFAULT_SETTINGS, ...settings };
    this.core = core;
    this.settings = s;
    const data = (seed, n) =>
      core.toyData({ dataset: s.dataset, n, seed, noise: s.noise, unnormalised: s.unnormalised });
    this.train = data(s.seed, s.trainSize);
    this.test = data(s.seed + 1, s.testSize); // held out: another seed
    this.classes = this.train.classes;
    this.extent = extentOf(this.train.x);
    this.grid = gridPoints(this.extent);
    // The same Linear weights in every network, copied from one network without a norm, so the
    // networks differ in nothing but their norm.
    const source = core.createNetwork(networkOptions(s, this.classes, 'none'));
    const start = source.parameters();
    source.free();
    const sourceSlots = linearSlots(s.depth, 'none');
    this.nets = s.norms.map((norm) => {
      const net = core.createNetwork(networkOptions(s, this.classes, norm));
      const params = net.parameters();
      linearSlots(s.depth, norm).forEach((slot, i) => params[slot].set(start[sourceSlots[i]]));
      net.setParameters(params);
      return { norm, net, diverged: false, trainLoss: NaN, loss: NaN, accuracy: NaN };
    });
    this.random = batchRandom(s.seed * 7919 + 17);
    this.batchX = new Float32Array(s.batchSize * 2);
    this.batchY = new Int32Array(s.batchSize);
    this.step = 0;
  }

  #nextBatch() {
    const { batchX, batchY, train } = this;
    const n = train.labels.length;
    for (let i = 0; i < batchY.length; i++) {
      const j = Math.floor(this.random() * n);
      batchX[2 * i] = train.x[2 * j];
      batchX[2 * i + 1] = train.x[2 * j + 1];
      batchY[i] = train.labels[j];
    }
  }

  /** One SGD step of every network on the same batch; a diverged network stops. */
  #stepAll() {
    this.#nextBatch();
    const { lr, momentum } = this.settings;
    for (const n of this.nets) {
      if (n.diverged) continue;
      n.trainLoss = n.net.step(this.batchX, this.batchY, { lr, momentum });
      if (!Number.isFinite(n.trainLoss)) n.diverged = true;
    }
    this.step += 1;
  }

  /** `steps` steps with no measurements in between (tests, fast-forward). */
  run(steps) {
    for (let i = 0; i < steps; i++) this.#stepAll();
  }

  /** One step; returns what the lab measures at this step, as advance() of lab/trainer.js. */
  advance() {
    this.#stepAll();
    const out = {};
    if (this.step % EVAL_EVERY === 0) out.curve = this.evaluate();
    if (this.step % MEASURE_EVERY === 0) {
      out.landscape = this.measureLandscape();
      out.layers = this.layerQuantiles();
    }
    return out;
  }

  /** Held-out loss and accuracy of each network in inference mode (NaN once diverged). */
  evaluate() {
    for (const n of this.nets) {
      const r = n.diverged
        ? { loss: NaN, accuracy: NaN }
        : n.net.evaluate(this.test.x, this.test.labels);
      n.loss = r.loss;
      n.accuracy = r.accuracy;
    }
    return {
      step: this.step,
      nets: this.nets.map(({ loss, accuracy, diverged }) => ({ loss, accuracy, diverged })),
    };
  }

  /** Accuracy on the training set, inference mode. */
  trainAccuracy() {
    return this.nets.map((n) =>
      n.diverged ? NaN : n.net.evaluate(this.train.x, this.train.labels).accuracy,
    );
  }

  /**
   * "Forgot eval mode": held-out accuracy with the running statistics (inference mode) against
   * the batch statistics a network left in training mode uses, on held-out data arriving in
   * batches of `batchSize` sorted by class (as a stream of similar inputs does).
   */
  evalModes(batchSize = 16) {
    const order = Array.from(this.test.labels.keys()).sort(
      (a, b) => this.test.labels[a] - this.test.labels[b] || a - b,
    );
    const x = new Float32Array(batchSize * 2),
      y = new Int32Array(batchSize);
    return this.nets.map((n) => {
      if (n.diverged) return { running: NaN, batch: NaN };
      const running = n.net.evaluate(this.test.x, this.test.labels).accuracy;
      let right = 0,
        seen = 0;
      for (let start = 0; start + batchSize <= order.length; start += batchSize) {
        for (let i = 0; i < batchSize; i++) {
          const j = order[start + i];
          x[2 * i] = this.test.x[2 * j];
          x[2 * i + 1] = this.test.x[2 * j + 1];
          y[i] = this.test.labels[j];
        }
        right += n.net.evaluate(x, y, { batchStatistics: true }).accuracy * batchSize;
        seen += batchSize;
      }
      return { running, batch: right / seen };
    });
  }

  /**
   * Santurkar et al.'s measures along the gradient g of the last batch, from the core's probe
   * (which updates nothing): the spread of the loss over steps lr/4 … 4·lr, and the effective
   * β-smoothness, the largest |∇L(w − ηg) − ∇L(w)| / |ηg| over the same steps.
   */
  measureLandscape() {
    const { lr } = this.settings;
    return {
      step: this.step,
      nets: this.nets.map((n) => {
        if (n.diverged) return { spread: NaN, gradientChange: NaN };
        const p = n.net.probe(this.batchX, this.batchY, { lr });
        let lo = p.loss,
          hi = p.loss,
          beta = 0;
        p.losses.forEach((loss, k) => {
          lo = Math.min(lo, loss);
          hi = Math.max(hi, loss);
          beta = Math.max(beta, p.gradientChanges[k] / (p.scales[k] * lr * p.gradientNorm));
        });
        return { spread: hi - lo, gradientChange: beta };
      }),
    };
  }

  /** 10th, 50th and 90th percentiles of each hidden layer's pre-activations (before the norm). */
  layerQuantiles() {
    return {
      step: this.step,
      nets: this.nets.map((n) =>
        n.diverged ? null : n.net.activations().map((layer) => summarise(layer.preNorm).quantiles),
      ),
    };
  }

  /** Per network, per hidden layer: summaries of the values before and after the norm. */
  layerSummaries() {
    return this.nets.map((n) =>
      n.diverged
        ? null
        : n.net.activations().map((layer) => ({
            preNorm: summarise(layer.preNorm),
            postNorm: summarise(layer.postNorm),
          })),
    );
  }

  /** Class probabilities of each network on the GRID × GRID points of the plane (inference). */
  regions() {
    return this.nets.map((n) =>
      n.diverged ? null : n.net.predict(this.grid, new Float32Array(GRID * GRID * this.classes)),
    );
  }

  /** Up to `count` held-out points to draw over the regions: [x, y, label] triples. */
  points(count = 300) {
    const m = Math.min(count, this.test.labels.length);
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
  const lo = [Infinity, Infinity],
    hi = [-Infinity, -Infinity];
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
