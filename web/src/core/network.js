// The core's small trainable networks and toy data sets (DESIGN.md, "Training a small network"),
// on top of the Embind module: argument checks, copies in and out of the heap, one Embind call per
// training step. The network's weights stay in the core's memory between calls.
import {
  booleanOption,
  floatArray,
  lengthOf,
  numberOption,
  optionsObject,
  outputArray,
  rangeError,
  typeError,
  wholeNumber,
} from './arguments.js';

const NORMS = ['none', 'batch', 'layer', 'group', 'rms'];
const DATASETS = ['spirals', 'rings', 'moons', 'xor'];
const PROBE_SCALES = Object.freeze([0.25, 0.5, 1, 2, 4]);

function oneOf(fn, name, value, choices, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value)) {
    const expected = `one of ${choices.map((c) => `"${c}"`).join(', ')}`;
    throw (typeof value === 'string' ? rangeError : typeError)(
      fn,
      name,
      JSON.stringify(value),
      expected,
    );
  }
  return value;
}

function seedOption(fn, value, fallback) {
  const seed = wholeNumber(fn, 'seed', value, fallback);
  if (seed < 0) throw rangeError(fn, 'seed', seed, 'a whole number >= 0');
  return seed;
}

function requiredNumber(fn, name, value) {
  if (typeof value !== 'number') throw typeError(fn, name, value, 'a number');
  return value;
}

export function networkApi(module, frame, defaults) {
  const resultsWord = module.resultsTable() >>> 3;
  const result = (i) => module.HEAPF64[resultsWord + i];
  const fail = () => {
    throw new RangeError(module.lastError());
  };

  class Network {
    #id;
    #inputs;
    #classes;
    #layout; // [address, length, gradient address] per parameter array
    constructor(id, inputs, classes) {
      this.#id = id;
      this.#inputs = inputs;
      this.#classes = classes;
      this.#layout = module.networkLayout(id);
      this.inputs = inputs;
      this.classes = classes;
    }

    #live(fn) {
      if (this.#id === 0) throw new TypeError(`${fn}: the network has been freed`);
    }

    // x and labels into slots 0 and 1; returns n (the number of labels).
    #batch(fn, x, labels, extraFloats = 0) {
      this.#live(fn);
      const xs = floatArray(fn, 'x', x, true);
      const ls = floatArray(fn, 'labels', labels, true);
      const n = lengthOf(ls);
      frame.begin(fn, lengthOf(xs) + n + extraFloats);
      frame.input(0, xs);
      frame.input(1, ls);
      return n;
    }

    step(x, labels, options) {
      const fn = 'network.step';
      const o = optionsObject(fn, 'options', options);
      const lr = requiredNumber(fn, 'lr', o.lr);
      const momentum = numberOption(fn, 'momentum', o.momentum, 0);
      const n = this.#batch(fn, x, labels);
      if (!module.networkStep(this.#id, n, lr, momentum)) fail();
      return result(0);
    }

    // Inference mode; { batchStatistics: true } evaluates as a network left in training mode
    // would (batch norm uses this batch's statistics; nothing is updated).
    evaluate(x, labels, options) {
      const fn = 'network.evaluate';
      const o = optionsObject(fn, 'options', options);
      const batchStatistics = booleanOption(fn, 'batchStatistics', o.batchStatistics, false);
      const n = this.#batch(fn, x, labels);
      if (!module.networkEvaluate(this.#id, n, batchStatistics)) fail();
      return { loss: result(0), accuracy: result(1) };
    }

    predict(x, out) {
      const fn = 'network.predict';
      this.#live(fn);
      const xs = floatArray(fn, 'x', x, true);
      const length = lengthOf(xs);
      if (length === 0 || length % this.#inputs !== 0) {
        throw new RangeError(
          `${fn}: x has ${length} values, expected a positive multiple of inputs = ${this.#inputs}`,
        );
      }
      const n = length / this.#inputs;
      const size = n * this.#classes;
      const target = outputArray(fn, 'out', out, size, 'n*classes');
      frame.begin(fn, length + size);
      frame.input(0, xs);
      const address = frame.output(2, size);
      if (!module.networkPredict(this.#id, n)) fail();
      return frame.read(address, size, target);
    }

    // Santurkar et al.'s measures on one batch, nothing updated: the loss and the gradient's
    // change |grad(w - s*lr*g) - g| at each step size s*lr along the gradient g.
    probe(x, labels, options) {
      const fn = 'network.probe';
      const o = optionsObject(fn, 'options', options);
      const lr = requiredNumber(fn, 'lr', o.lr);
      const scales = floatArray(fn, 'scales', o.scales ?? PROBE_SCALES, true);
      const k = lengthOf(scales);
      const n = this.#batch(fn, x, labels, 3 * k);
      frame.input(2, scales);
      const losses = frame.output(3, k),
        changes = frame.output(4, k);
      if (!module.networkProbe(this.#id, n, lr)) fail();
      return {
        loss: result(0),
        gradientNorm: result(1),
        scales: Float32Array.from(scales),
        losses: frame.read(losses, k, null),
        gradientChanges: frame.read(changes, k, null),
      };
    }

    #copies(offset) {
      const heap = module.HEAPF32,
        list = [];
      for (let i = 0; i < this.#layout.length; i += 3) {
        const start = this.#layout[i + offset] >>> 2;
        list.push(heap.slice(start, start + this.#layout[i + 1]));
      }
      return list;
    }

    parameters() {
      this.#live('network.parameters');
      return this.#copies(0);
    }

    // The gradient of the last step or probe, in parameters() order.
    gradients() {
      this.#live('network.gradients');
      return this.#copies(2);
    }

    setParameters(arrays) {
      const fn = 'network.setParameters';
      this.#live(fn);
      const count = this.#layout.length / 3;
      if (!Array.isArray(arrays) || arrays.length !== count) {
        throw typeError(fn, 'arrays', arrays, `an array of ${count} arrays, in parameters() order`);
      }
      const checked = arrays.map((a, k) => {
        const values = floatArray(fn, `arrays[${k}]`, a, true);
        const expected = this.#layout[3 * k + 1];
        if (lengthOf(values) !== expected) {
          throw new RangeError(
            `${fn}: arrays[${k}] has ${lengthOf(values)} values, expected ${expected}`,
          );
        }
        return values;
      });
      const heap = module.HEAPF32;
      checked.forEach((values, k) => heap.set(values, this.#layout[3 * k] >>> 2));
      module.networkParametersChanged(this.#id);
    }

    #hiddenLayers(fn) {
      this.#live(fn);
      const list = module.networkActivations(this.#id);
      const batch = list[list.length - 1],
        heap = module.HEAPF32,
        layers = [];
      const copy = (address, length) => heap.slice(address >>> 2, (address >>> 2) + length);
      for (let i = 0; i + 1 < list.length; i += 5) {
        const width = list[i + 4];
        layers.push({ list: list.slice(i, i + 4), width, batch, copy });
      }
      return layers;
    }

    // Per hidden layer, of the last step: pre-activations before and after the norm, [n, width].
    activations() {
      return this.#hiddenLayers('network.activations').map(({ list, width, batch, copy }) => ({
        width,
        preNorm: copy(list[0], batch * width),
        postNorm: copy(list[1], batch * width),
      }));
    }

    // Batch norm's running statistics per hidden layer (0 and 1 for the other norms).
    runningStatistics() {
      return this.#hiddenLayers('network.runningStatistics').map(({ list, width, copy }) => ({
        mean: copy(list[2], width),
        var: copy(list[3], width),
      }));
    }

    free() {
      if (this.#id === 0) return;
      module.networkFree(this.#id);
      this.#id = 0;
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  return {
    createNetwork(options) {
      const fn = 'createNetwork';
      const o = optionsObject(fn, 'options', options);
      const inputs = wholeNumber(fn, 'inputs', o.inputs, 2);
      if (!Array.isArray(o.hidden))
        throw typeError(fn, 'hidden', o.hidden, 'an array of layer widths, e.g. [32, 32]');
      const hidden = o.hidden.map((w, i) => wholeNumber(fn, `hidden[${i}]`, w));
      if (o.classes === undefined) throw typeError(fn, 'classes', o.classes, 'a whole number >= 2');
      const classes = wholeNumber(fn, 'classes', o.classes);
      const norm = oneOf(fn, 'norm', o.norm, NORMS, 'none');
      const groups = wholeNumber(fn, 'groups', o.groups, 8);
      const eps = numberOption(fn, 'eps', o.eps, -1); // < 0: the norm's own default
      if (o.eps !== undefined && !(eps >= 0))
        throw rangeError(fn, 'eps', eps, 'a finite number >= 0');
      const momentum = numberOption(fn, 'momentum', o.momentum, defaults.momentum);
      const initScale = numberOption(fn, 'initScale', o.initScale, 1);
      const seed = seedOption(fn, o.seed, 1);
      frame.begin(fn, hidden.length);
      frame.input(0, Float32Array.from(hidden));
      const id = module.networkCreate(
        inputs,
        classes,
        norm,
        groups,
        eps,
        momentum,
        initScale,
        seed,
      );
      if (!id) fail();
      return new Network(id, inputs, classes);
    },

    toyData(options) {
      const fn = 'toyData';
      const o = optionsObject(fn, 'options', options);
      const dataset = oneOf(fn, 'dataset', o.dataset, DATASETS, undefined);
      if (dataset === undefined)
        throw typeError(fn, 'dataset', undefined, `one of ${DATASETS.join(', ')}`);
      const n = wholeNumber(fn, 'n', o.n);
      const seed = seedOption(fn, o.seed, 0);
      const noise = numberOption(fn, 'noise', o.noise, 0.1);
      const unnormalised = o.unnormalised ?? false;
      if (typeof unnormalised !== 'boolean')
        throw typeError(fn, 'unnormalised', unnormalised, 'true or false');
      const size = n >= 1 && n <= 2 ** 22 ? n : 0; // otherwise the core names the problem
      frame.begin(fn, 3 * size);
      const xAddress = frame.output(0, 2 * size),
        labelAddress = frame.output(1, size);
      const classes = module.toyData(dataset, n, seed, noise, unnormalised);
      if (!classes) fail();
      const x = frame.read(xAddress, 2 * n, null);
      const labels = Int32Array.from(frame.read(labelAddress, n, null));
      return { x, labels, classes };
    },
  };
}
