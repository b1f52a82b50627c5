// One training step of the lab's network in float64, written from DESIGN.md ("Training a small
// network") on top of the float64 norm references: forward, softmax cross-entropy, backward,
// torch.optim.SGD. Parameters are arrays in the core's parameters() order.
import { normBackwardRef } from './backward-reference.mjs';
import { batchNormRef, groupNormRef, layerNormRef, rmsNormRef } from './reference.mjs';

const HAS_GAMMA = { none: false, batch: true, layer: true, group: true, rms: true };
const HAS_BETA = { none: false, batch: true, layer: true, group: true, rms: false };

// Splits the flat parameter list into per-layer { W, b, gamma, beta } views.
function layersOf(config, params) {
  const layers = [];
  let k = 0,
    inputs = config.inputs;
  for (let l = 0; l <= config.hidden.length; l++) {
    const hidden = l < config.hidden.length;
    const out = hidden ? config.hidden[l] : config.classes;
    const layer = { in: inputs, out, W: params[k++], b: params[k++] };
    if (hidden && HAS_GAMMA[config.norm]) layer.gamma = params[k++];
    if (hidden && HAS_BETA[config.norm]) layer.beta = params[k++];
    layers.push(layer);
    inputs = out;
  }
  return layers;
}

function dense(h, W, b, n, inputs, out) {
  const z = new Float64Array(n * out);
  for (let r = 0; r < n; r++)
    for (let o = 0; o < out; o++) {
      let s = b[o];
      for (let i = 0; i < inputs; i++) s += h[r * inputs + i] * W[o * inputs + i];
      z[r * out + o] = s;
    }
  return z;
}

function normForward(config, layer, z, n, running) {
  const d = { n, c: layer.out, s: 1 };
  const eps = config.eps ?? (config.norm === 'rms' ? 1e-6 : 1e-5);
  const o = { gamma: layer.gamma, beta: layer.beta, eps };
  switch (config.norm) {
    case 'none':
      return Float64Array.from(z);
    case 'batch': {
      const r = batchNormRef(z, d, {
        ...o,
        momentum: config.momentum ?? 0.1,
        runningMean: running.mean,
        runningVar: running.var,
      });
      running.mean = Float64Array.from(r.runningMean);
      running.var = Float64Array.from(r.runningVar);
      return r.y;
    }
    case 'layer':
      return layerNormRef(z, d, o).y;
    case 'group':
      return groupNormRef(z, d, { ...o, groups: config.groups ?? 8 }).y;
    case 'rms':
      return rmsNormRef(z, d, o).y;
  }
  throw new Error(`unknown norm ${config.norm}`);
}

/**
 * One SGD step. state: { params, velocity, running: [{ mean, var }] } (float64 copies, updated in
 * place and returned). Returns the loss before the update and the gradients.
 */
export function referenceStep(config, state, x, labels, { lr, momentum = 0 }) {
  const n = labels.length;
  const layers = layersOf(config, state.params);
  const hidden = config.hidden.length;
  // Forward.
  const hs = [Float64Array.from(x)],
    zs = [],
    us = [];
  for (let l = 0; l < hidden; l++) {
    const L = layers[l];
    const z = dense(hs[l], L.W, L.b, n, L.in, L.out);
    const u = normForward(config, L, z, n, state.running[l]);
    zs.push(z);
    us.push(u);
    hs.push(u.map((v) => (v > 0 ? v : 0)));
  }
  const out = layers[hidden];
  const logits = dense(hs[hidden], out.W, out.b, n, out.in, out.out);
  const k = config.classes;
  let loss = 0;
  let dz = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const row = logits.subarray(r * k, (r + 1) * k);
    const top = Math.max(...row);
    const lse = top + Math.log(row.reduce((s, v) => s + Math.exp(v - top), 0));
    loss += lse - row[labels[r]];
    for (let j = 0; j < k; j++) dz[r * k + j] = (Math.exp(row[j] - lse) - (j === labels[r])) / n;
  }
  loss /= n;
  // Backward, from the output layer down; grads in parameters() order.
  const grads = new Map();
  for (let l = hidden; l >= 0; l--) {
    const L = layers[l];
    if (l < hidden) {
      const du = dz.map((g, i) => (us[l][i] > 0 ? g : 0));
      if (config.norm === 'none') {
        dz = du;
      } else {
        const op = config.norm;
        const eps = config.eps ?? (op === 'rms' ? 1e-6 : 1e-5);
        const r = normBackwardRef(
          op,
          du,
          zs[l],
          { n, c: L.out, s: 1 },
          {
            gamma: L.gamma,
            eps,
            groups: config.groups ?? 8,
          },
        );
        dz = r.dx;
        grads.set(L.gamma, r.dgamma);
        if (L.beta) grads.set(L.beta, r.dbeta);
      }
    }
    const dW = new Float64Array(L.out * L.in),
      db = new Float64Array(L.out),
      dh = new Float64Array(n * L.in);
    for (let r = 0; r < n; r++)
      for (let o = 0; o < L.out; o++) {
        const g = dz[r * L.out + o];
        db[o] += g;
        for (let i = 0; i < L.in; i++) {
          dW[o * L.in + i] += g * hs[l][r * L.in + i];
          dh[r * L.in + i] += g * L.W[o * L.in + i];
        }
      }
    grads.set(L.W, dW);
    grads.set(L.b, db);
    dz = dh;
  }
  const gradients = state.params.map((p) => grads.get(p));
  // torch.optim.SGD: v = momentum * v + g; p -= lr * v (without momentum, p -= lr * g).
  state.params = state.params.map((p, i) => {
    const g = gradients[i];
    const v = momentum === 0 ? g : state.velocity[i].map((vi, j) => momentum * vi + g[j]);
    state.velocity[i] = v;
    return p.map((pj, j) => pj - lr * v[j]);
  });
  return { loss, gradients };
}

// A fresh state from a network's parameters: zero velocity, running statistics 0 / 1.
export function referenceState(config, params) {
  return {
    params: params.map((p) => Float64Array.from(p)),
    velocity: params.map((p) => new Float64Array(p.length)),
    running: config.hidden.map((w) => ({
      mean: new Float64Array(w),
      var: new Float64Array(w).fill(1),
    })),
  };
}
