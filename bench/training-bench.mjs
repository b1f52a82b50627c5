// Training benchmark: one SGD step (forward, backward, update) of the lab's reference network
// 2 -> 3 x 32 -> 3 classes with batch norm at batch 32, and of 3 x 64 at batch 64, in the core
// against the same network and step in TensorFlow.js (wasm backend, tf.train.momentum), side by
// side in interleaved rounds; then the batch-norm gradient kernel against TF.js's gradient of its
// batch norm and against plain JavaScript. Both sides start from the same weights, and their first
// losses must agree, or the run fails. Targets (issue 12): ratio >= 10, >= 2,000 steps/s.
//   env: BENCH_ROUNDS (default 7), BENCH_STEPS (steps per round, default 300)
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadNormCore } from '../web/src/core/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const STEPS = Number(process.env.BENCH_STEPS ?? 300);
const LR = 0.05,
  MOMENTUM = 0.9,
  EPS = 1e-5;

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
// CPU time of this process in ms: on a shared machine the wall clock also counts other processes'
// turns; both sides here are single-threaded, so CPU time compares their work alone.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const fmt = (v, digits = 3) => Number(v.toPrecision(digits)).toLocaleString('en');

async function loadTf() {
  const tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dist = path.dirname(
    fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')),
  );
  wasm.setWasmPaths(dist + path.sep);
  if (!(await tf.setBackend('wasm')))
    throw new Error('TensorFlow.js: the wasm backend did not start');
  await tf.ready();
  // tfjs-core registers no gradients by itself (the tfjs union package does); bench/run.sh bundles
  // them (bench/tfjs-gradients.vite.config.js).
  await import('../build-bench/tfjs-gradients.mjs');
  return tf;
}

// The same network in TF.js: variables from the core's parameters (W as [out, in], so z = x W^T),
// batch norm from tf.moments and tf.batchNorm, running statistics updated each step as the core
// does, softmax cross-entropy averaged over the batch, tf.train.momentum (torch's SGD rule).
function tfNetwork(tf, params, depth) {
  // Per layer: W, b (then gamma, beta for hidden layers); W is [out, in] with out = b's length.
  const shapeOf = (k) => {
    const isW = k % 4 === 0 || k === 4 * depth;
    if (!isW) return [params[k].length];
    const out = params[k + 1].length;
    return [out, params[k].length / out];
  };
  const vars = params.map((p, k) => tf.variable(tf.tensor(p, shapeOf(k)), true, `p${k}`));
  const running = Array.from({ length: depth }, (_, l) => {
    const width = params[4 * l + 1].length;
    return {
      mean: tf.variable(tf.zeros([width]), false),
      var: tf.variable(tf.ones([width]), false),
    };
  });
  const optimizer = tf.train.momentum(LR, MOMENTUM);
  const step = (x, onehot, n) =>
    tf.tidy(() => {
      const cost = optimizer.minimize(
        () => {
          let h = x;
          for (let l = 0; l < depth; l++) {
            const [W, b, gamma, beta] = vars.slice(4 * l, 4 * l + 4);
            const z = tf.add(tf.matMul(h, W, false, true), b);
            const { mean, variance } = tf.moments(z, [0]);
            // The running statistics, updated as the core does (inside the loss function, where
            // the batch statistics are alive; the running variables are not trainable).
            const r = running[l];
            r.mean.assign(tf.add(tf.mul(r.mean, 0.9), tf.mul(mean, 0.1)));
            r.var.assign(tf.add(tf.mul(r.var, 0.9), tf.mul(variance, (0.1 * n) / (n - 1))));
            h = tf.relu(tf.batchNorm(z, mean, variance, beta, gamma, EPS));
          }
          const [W, b] = vars.slice(4 * depth);
          const logits = tf.add(tf.matMul(h, W, false, true), b);
          return tf.losses.softmaxCrossEntropy(onehot, logits);
        },
        true,
        vars,
      );
      return cost.dataSync()[0];
    });
  return {
    step,
    dispose: () =>
      [...vars, ...running.flatMap((r) => [r.mean, r.var])].forEach((v) => v.dispose()),
  };
}

async function trainingStep(core, tf, width, batch) {
  const depth = 3;
  const data = core.toyData({ dataset: 'spirals', n: batch * 64, seed: 1 });
  const net = core.createNetwork({
    hidden: [width, width, width],
    classes: 3,
    norm: 'batch',
    seed: 1,
  });
  const tfNet = tfNetwork(tf, net.parameters(), depth);
  const batches = Array.from({ length: 64 }, (_, i) => ({
    x: data.x.subarray(2 * batch * i, 2 * batch * (i + 1)),
    labels: data.labels.subarray(batch * i, batch * (i + 1)),
  }));
  const tfBatches = batches.map(({ x, labels }) => ({
    x: tf.keep(tf.tensor2d(x, [batch, 2])),
    onehot: tf.keep(tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), 'float32')),
  }));
  // Same weights, same batch: the first losses must agree.
  const coreLoss = net.step(batches[0].x, batches[0].labels, { lr: LR, momentum: MOMENTUM });
  const tfLoss = tfNet.step(tfBatches[0].x, tfBatches[0].onehot, batch);
  if (!(Math.abs(coreLoss - tfLoss) <= 1e-4 * Math.max(1, tfLoss)))
    throw new Error(`first losses differ: core ${coreLoss}, TF.js ${tfLoss}`);
  const rates = { core: [], tf: [], coreCpu: [], tfCpu: [] };
  let k = 1;
  for (let round = 0; round < ROUNDS + 1; round++) {
    let t = performance.now(),
      c = cpuMs();
    for (let i = 0; i < STEPS; i++, k++) {
      const b = batches[k % 64];
      net.step(b.x, b.labels, { lr: LR, momentum: MOMENTUM });
    }
    const coreMs = performance.now() - t,
      coreCpu = cpuMs() - c;
    const tfSteps = Math.max(20, Math.round(STEPS / 10));
    t = performance.now();
    c = cpuMs();
    for (let i = 0; i < tfSteps; i++, k++) {
      const b = tfBatches[k % 64];
      tfNet.step(b.x, b.onehot, batch);
    }
    const tfMs = performance.now() - t,
      tfCpu = cpuMs() - c;
    if (round === 0) continue; // warm-up
    rates.core.push((1000 * STEPS) / coreMs);
    rates.tf.push((1000 * tfSteps) / tfMs);
    rates.coreCpu.push((1000 * STEPS) / coreCpu);
    rates.tfCpu.push((1000 * tfSteps) / tfCpu);
  }
  net.free();
  tfNet.dispose();
  tfBatches.forEach((b) => (b.x.dispose(), b.onehot.dispose()));
  return {
    core: median(rates.core),
    tf: median(rates.tf),
    coreCpu: median(rates.coreCpu),
    tfCpu: median(rates.tfCpu),
    coreLoss,
    tfLoss,
  };
}

// Plain JavaScript batch-norm backward over [n, c] (training): the same formula as the core, in
// doubles, as a page would write it without the core.
function plainBatchNormBackward(dy, x, n, c, gamma, eps, dx, dgamma, dbeta) {
  for (let j = 0; j < c; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * c + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * c + j] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / n + eps);
    let sg = 0,
      sgx = 0,
      sdy = 0,
      sdyx = 0;
    for (let i = 0; i < n; i++) {
      const d = dy[i * c + j],
        xh = (x[i * c + j] - mean) * inv;
      sdy += d;
      sdyx += d * xh;
    }
    sg = sdy * gamma[j];
    sgx = sdyx * gamma[j];
    for (let i = 0; i < n; i++) {
      const xh = (x[i * c + j] - mean) * inv;
      dx[i * c + j] = inv * (dy[i * c + j] * gamma[j] - sg / n - (xh * sgx) / n);
    }
    dgamma[j] = sdyx;
    dbeta[j] = sdy;
  }
}

// Median CPU ms per call over ROUNDS samples of about 20 ms of CPU each.
function timeIt(fn, sampleMs = 20) {
  fn();
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    let reps = 0;
    const c = cpuMs();
    do {
      fn();
      reps++;
    } while (cpuMs() - c < sampleMs);
    samples.push((cpuMs() - c) / reps);
  }
  return median(samples);
}

function gradientKernels(core, tf, n, c) {
  const total = n * c;
  const x = core.sample({ n, c, seed: 3, mean: 2, std: 3 });
  const dy = core.sample({ n, c, seed: 4 });
  const gamma = core.sample({ n: 1, c, seed: 5, mean: 1, std: 0.2 });
  const out = {
    dx: new Float32Array(total),
    dgamma: new Float32Array(c),
    dbeta: new Float32Array(c),
  };
  const coreMs = timeIt(() => core.batchNormBackward(dy, x, { n, c }, { gamma, out }));
  const p = {
    dx: new Float64Array(total),
    dgamma: new Float64Array(c),
    dbeta: new Float64Array(c),
  };
  const plainMs = timeIt(() =>
    plainBatchNormBackward(dy, x, n, c, gamma, EPS, p.dx, p.dgamma, p.dbeta),
  );
  const tx = tf.keep(tf.tensor2d(x, [n, c])),
    tdy = tf.keep(tf.tensor2d(dy, [n, c])),
    tg = tf.keep(tf.tensor1d(gamma)),
    tb = tf.keep(tf.zeros([c]));
  const grads = tf.grads((xx, gg, bb) => {
    const { mean, variance } = tf.moments(xx, [0]);
    return tf.sum(tf.mul(tf.batchNorm(xx, mean, variance, bb, gg, EPS), tdy));
  });
  let tfDx;
  const tfMs = timeIt(() =>
    tf.tidy(() => {
      const [gx, gg, gb] = grads([tx, tg, tb]);
      tfDx = gx.dataSync();
      gg.dataSync();
      gb.dataSync();
    }),
  );
  // The core must match float64 (DESIGN.md's bound); TF.js's distance is reported.
  let worst = 0,
    tfWorst = 0,
    scale = 1;
  for (let i = 0; i < total; i++) {
    worst = Math.max(worst, Math.abs(out.dx[i] - p.dx[i]));
    tfWorst = Math.max(tfWorst, Math.abs(tfDx[i] - p.dx[i]));
    scale = Math.max(scale, Math.abs(p.dx[i]));
  }
  if (!(worst <= 1e-4 * scale))
    throw new Error(`batchNormBackward ${n}x${c}: core dx off by ${worst}`);
  [tx, tdy, tg, tb].forEach((t) => t.dispose());
  return { coreMs, plainMs, tfMs, error: worst / scale, tfError: tfWorst / scale };
}

const core = await loadNormCore();
const tf = await loadTf();
console.log(
  `Node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, load ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}; core ${core.variant}; TF.js ${tf.version_core} ${tf.getBackend()} (SIMD ${tf
    .env()
    .getBool('WASM_HAS_SIMD_SUPPORT')}); ${ROUNDS} rounds, median`,
);
console.log('\nTraining step (forward, backward, SGD with momentum), batch norm, 3 classes:');
for (const [width, batch] of [
  [32, 32],
  [64, 64],
]) {
  const r = await trainingStep(core, tf, width, batch);
  const ratio = r.core / r.tf,
    cpuRatio = r.coreCpu / r.tfCpu;
  const verdict =
    width === 32
      ? `${ratio >= 10 ? 'PASS' : 'MISS'} ratio >= 10, ${r.core >= 2000 ? 'PASS' : 'MISS'} >= 2,000 steps/s`
      : '(reported)';
  console.log(
    `  2 -> 3 x ${width} -> 3, batch ${batch}: wall clock: core ${fmt(r.core)} steps/s, TF.js ${fmt(r.tf)} steps/s, ` +
      `ratio ${fmt(ratio)}x  ${verdict}\n` +
      `    per CPU second: core ${fmt(r.coreCpu)} steps, TF.js ${fmt(r.tfCpu)} steps, ratio ${fmt(cpuRatio)}x` +
      `  (first loss: core ${r.coreLoss.toFixed(6)}, TF.js ${r.tfLoss.toFixed(6)})`,
  );
}
console.log('\nBatch-norm gradient (dx, dgamma, dbeta), training mode, [n, c]: CPU µs per call');
for (const [n, c] of [
  [32, 32],
  [256, 64],
  [4096, 64],
]) {
  const r = gradientKernels(core, tf, n, c);
  console.log(
    `  ${n} x ${c}: core ${fmt(r.coreMs * 1000)}, TF.js grads ${fmt(r.tfMs * 1000)} (${fmt(
      r.tfMs / r.coreMs,
    )}x), plain JS ${fmt(r.plainMs * 1000)} (${fmt(r.plainMs / r.coreMs)}x); ` +
      `max dx error vs float64 (relative): core ${r.error.toExponential(1)}, TF.js ${r.tfError.toExponential(1)}`,
  );
}
