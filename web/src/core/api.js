// The public operations of the core (DESIGN.md, "The JavaScript API of the core"), on top of one
// instantiated Embind module.
import {
  booleanOption,
  floatArray,
  lengthOf,
  numberOption,
  optionsObject,
  outputArray,
  typeError,
  wholeNumber,
} from './arguments.js';
import { HeapFrame } from './heap-frame.js';
import { networkApi } from './network.js';

// Per operation: its array inputs and outputs in slot order (cpp/bindings/embind.cpp), and for
// each output its length given the shape, in words (for messages) and as a function.
const SIZE = {
  'n*c*s': (d) => d.n * d.c * d.s,
  c: (d) => d.c,
  n: (d) => d.n,
  'n*c': (d) => d.n * d.c,
  'n*groups': (d) => d.n * d.groups,
  'c*s': (d) => d.c * d.s,
};

function operation(inputs, outputs) {
  return {
    inputs,
    outputs: Object.entries(outputs).map(([name, expr]) => ({ name, expr, size: SIZE[expr] })),
  };
}

const OPERATIONS = {
  batchNorm: operation(['x', 'gamma', 'beta', 'runningMean', 'runningVar'], {
    y: 'n*c*s',
    mean: 'c',
    var: 'c',
    runningMean: 'c',
    runningVar: 'c',
  }),
  layerNorm: operation(['x', 'gamma', 'beta'], { y: 'n*c*s', mean: 'n', var: 'n' }),
  instanceNorm: operation(['x', 'gamma', 'beta'], { y: 'n*c*s', mean: 'n*c', var: 'n*c' }),
  groupNorm: operation(['x', 'gamma', 'beta'], { y: 'n*c*s', mean: 'n*groups', var: 'n*groups' }),
  rmsNorm: operation(['x', 'gamma'], { y: 'n*c*s', rms: 'n' }),
  sample: operation(['offset', 'scale'], { values: 'n*c*s' }),
  // ---- Gradients (x before dy: see cpp/bindings/embind.cpp) ----
  batchNormBackward: operation(['x', 'dy', 'gamma', 'runningMean', 'runningVar'], {
    dx: 'n*c*s',
    dgamma: 'c',
    dbeta: 'c',
  }),
  layerNormBackward: operation(['x', 'dy', 'gamma'], { dx: 'n*c*s', dgamma: 'c*s', dbeta: 'c*s' }),
  instanceNormBackward: operation(['x', 'dy', 'gamma'], { dx: 'n*c*s', dgamma: 'c', dbeta: 'c' }),
  groupNormBackward: operation(['x', 'dy', 'gamma'], { dx: 'n*c*s', dgamma: 'c', dbeta: 'c' }),
  rmsNormBackward: operation(['x', 'dy', 'gamma'], { dx: 'n*c*s', dgamma: 'c*s' }),
  // ---- end of gradients ----
};

const NO_OUT = Object.freeze({});

// The forward option `stage`, as the value of the core's Stage enum (cpp/include/normcore/types.h).
const STAGES = Object.freeze({ centred: 0, scaled: 1, output: 2 });

function stageOption(fn, value) {
  if (value === undefined) return STAGES.output;
  if (typeof value === 'string' && Object.hasOwn(STAGES, value)) return STAGES[value];
  const expected = `one of ${Object.keys(STAGES).join(', ')}`;
  if (typeof value !== 'string') throw typeError(fn, 'stage', value, expected);
  throw new RangeError(`${fn}: stage is ${JSON.stringify(value)}, expected ${expected}`);
}

// Whether the core could accept the shape; otherwise no output space is laid out and the core
// names the problem.
function plausible(dims, maxElements) {
  return (
    dims.n >= 1 &&
    dims.c >= 1 &&
    dims.s >= 1 &&
    (dims.groups ?? 1) >= 1 &&
    dims.c % (dims.groups ?? 1) === 0 &&
    dims.n * dims.c * dims.s <= maxElements
  );
}

function readShape(fn, shape) {
  if (shape === null || typeof shape !== 'object')
    throw typeError(fn, 'shape', shape, 'an object { n, c, s }');
  return {
    n: wholeNumber(fn, 'n', shape.n),
    c: wholeNumber(fn, 'c', shape.c),
    s: wholeNumber(fn, 's', shape.s, 1),
  };
}

export function createApi(module, variant) {
  const frame = new HeapFrame(module);
  const defaults = module.defaults();

  // Lays out inputs and outputs, calls the bound function, copies results out (into `out` arrays
  // where given). Shapes the core will reject, and an x whose length does not match the shape, get
  // no output space: the core names the problem (it checks x before the outputs), and a small x
  // with a huge shape does not grow the module's memory on its way to an error.
  // `arrays` holds the inputs in slot order. Written as plain loops: this is the per-call overhead.
  function run(fn, dims, arrays, outOption, invoke) {
    const { inputs, outputs } = OPERATIONS[fn];
    const valid =
      plausible(dims, defaults.maxElements) &&
      (inputs[0] !== 'x' || lengthOf(arrays[0]) === dims.n * dims.c * dims.s);
    const out = outOption === undefined ? NO_OUT : optionsObject(fn, 'out', outOption);
    const lengths = new Array(outputs.length);
    const targets = new Array(outputs.length); // each out.<name> is read once: getters may change
    let floats = 0;
    for (let i = 0; i < inputs.length; i++) floats += arrays[i] === null ? 0 : lengthOf(arrays[i]);
    for (let i = 0; i < outputs.length; i++) {
      const { name, expr, size } = outputs[i];
      lengths[i] = valid ? size(dims) : 0;
      floats += lengths[i];
      targets[i] = valid ? outputArray(fn, `out.${name}`, out[name], lengths[i], expr) : null;
    }
    // From here on no caller code runs (see arguments.js) until the results are returned.
    frame.begin(fn, floats);
    for (let i = 0; i < inputs.length; i++) frame.input(i, arrays[i]);
    const addresses = new Array(outputs.length);
    for (let i = 0; i < outputs.length; i++)
      addresses[i] = frame.output(inputs.length + i, lengths[i]);
    if (!invoke()) throw new RangeError(module.lastError());
    const result = {};
    for (let i = 0; i < outputs.length; i++) {
      result[outputs[i].name] = frame.read(addresses[i], lengths[i], targets[i]);
    }
    return result;
  }

  // x and the named optional arrays, in slot order.
  function normArrays(fn, x, options, names) {
    const arrays = [floatArray(fn, 'x', x, true)];
    for (const name of names) arrays.push(floatArray(fn, name, options[name], false));
    return arrays;
  }

  // Layer and instance norm take the same arguments.
  function perSampleNorm(fn, x, shape, options) {
    const d = readShape(fn, shape);
    const o = optionsObject(fn, 'options', options);
    const arrays = normArrays(fn, x, o, ['gamma', 'beta']);
    const eps = numberOption(fn, 'eps', o.eps, defaults.eps);
    const stage = stageOption(fn, o.stage);
    return run(fn, d, arrays, o.out, () => module[fn](d.n, d.c, d.s, eps, stage));
  }

  // ---- Gradients: dy and x, then the optional arrays, as the forward operations take them ----
  function backwardArrays(fn, dy, x, options, names) {
    const arrays = [floatArray(fn, 'x', x, true), floatArray(fn, 'dy', dy, true)];
    for (const name of names) arrays.push(floatArray(fn, name, options[name], false));
    return arrays;
  }

  function perSampleBackward(fn, dy, x, shape, options, epsDefault, call) {
    const d = readShape(fn, shape);
    const o = optionsObject(fn, 'options', options);
    if (fn === 'groupNormBackward') {
      if (o.groups === undefined)
        throw typeError(fn, 'groups', o.groups, 'a whole number that divides c');
      d.groups = wholeNumber(fn, 'groups', o.groups);
    }
    const arrays = backwardArrays(fn, dy, x, o, ['gamma']);
    const eps = numberOption(fn, 'eps', o.eps, epsDefault);
    return run(fn, d, arrays, o.out, () => call(d, eps));
  }

  const gradients = {
    batchNormBackward(dy, x, shape, options) {
      const fn = 'batchNormBackward';
      const d = readShape(fn, shape);
      const o = optionsObject(fn, 'options', options);
      const arrays = backwardArrays(fn, dy, x, o, ['gamma', 'runningMean', 'runningVar']);
      const eps = numberOption(fn, 'eps', o.eps, defaults.eps);
      const training = booleanOption(fn, 'training', o.training, true);
      return run(fn, d, arrays, o.out, () =>
        module.batchNormBackward(d.n, d.c, d.s, eps, training),
      );
    },
    layerNormBackward(dy, x, shape, options) {
      return perSampleBackward('layerNormBackward', dy, x, shape, options, defaults.eps, (d, eps) =>
        module.layerNormBackward(d.n, d.c, d.s, eps),
      );
    },
    instanceNormBackward(dy, x, shape, options) {
      return perSampleBackward(
        'instanceNormBackward',
        dy,
        x,
        shape,
        options,
        defaults.eps,
        (d, eps) => module.instanceNormBackward(d.n, d.c, d.s, eps),
      );
    },
    groupNormBackward(dy, x, shape, options) {
      return perSampleBackward('groupNormBackward', dy, x, shape, options, defaults.eps, (d, eps) =>
        module.groupNormBackward(d.n, d.c, d.s, d.groups, eps),
      );
    },
    rmsNormBackward(dy, x, shape, options) {
      return perSampleBackward(
        'rmsNormBackward',
        dy,
        x,
        shape,
        options,
        defaults.rmsEps,
        (d, eps) => module.rmsNormBackward(d.n, d.c, d.s, eps),
      );
    },
  };
  // ---- end of gradients ----

  // ---- Networks and toy data (web/src/core/network.js) ----
  const networks = networkApi(module, frame, defaults);

  return {
    ...gradients,
    ...networks,
    simd: variant === 'simd',
    variant,
    defaults: Object.freeze({ ...defaults }),
    // The module's linear memory in bytes (it only grows), for leak checks and soak tests.
    get memoryBytes() {
      return module.HEAPU8.byteLength;
    },
    // Bytes currently allocated inside the module: flat across repeated calls.
    get heapInUse() {
      return module.heapInUse();
    },

    batchNorm(x, shape, options) {
      const fn = 'batchNorm';
      const d = readShape(fn, shape);
      const o = optionsObject(fn, 'options', options);
      const arrays = normArrays(fn, x, o, ['gamma', 'beta', 'runningMean', 'runningVar']);
      const eps = numberOption(fn, 'eps', o.eps, defaults.eps);
      const training = booleanOption(fn, 'training', o.training, true);
      const momentum = numberOption(fn, 'momentum', o.momentum, defaults.momentum);
      const stage = stageOption(fn, o.stage);
      return run(fn, d, arrays, o.out, () =>
        module.batchNorm(d.n, d.c, d.s, eps, training, momentum, stage),
      );
    },

    layerNorm(x, shape, options) {
      return perSampleNorm('layerNorm', x, shape, options);
    },

    instanceNorm(x, shape, options) {
      return perSampleNorm('instanceNorm', x, shape, options);
    },

    groupNorm(x, shape, options) {
      const fn = 'groupNorm';
      const d = readShape(fn, shape);
      const o = optionsObject(fn, 'options', options);
      if (o.groups === undefined)
        throw typeError(fn, 'groups', o.groups, 'a whole number that divides c');
      d.groups = wholeNumber(fn, 'groups', o.groups);
      const arrays = normArrays(fn, x, o, ['gamma', 'beta']);
      const eps = numberOption(fn, 'eps', o.eps, defaults.eps);
      const stage = stageOption(fn, o.stage);
      return run(fn, d, arrays, o.out, () => module.groupNorm(d.n, d.c, d.s, d.groups, eps, stage));
    },

    rmsNorm(x, shape, options) {
      const fn = 'rmsNorm';
      const d = readShape(fn, shape);
      const o = optionsObject(fn, 'options', options);
      const arrays = normArrays(fn, x, o, ['gamma']);
      const eps = numberOption(fn, 'eps', o.eps, defaults.rmsEps);
      const stage = stageOption(fn, o.stage);
      return run(fn, d, arrays, o.out, () => module.rmsNorm(d.n, d.c, d.s, eps, stage));
    },

    sample(options) {
      const fn = 'sample';
      const o = optionsObject(fn, 'options', options);
      const d = readShape(fn, o);
      const distribution = o.distribution ?? 'normal';
      if (typeof distribution !== 'string') {
        throw typeError(
          fn,
          'distribution',
          distribution,
          'one of normal, uniform, lognormal, bimodal, student-t',
        );
      }
      const seed = wholeNumber(fn, 'seed', o.seed, 0);
      if (seed < 0) throw new RangeError(`${fn}: seed is ${seed}, expected a whole number >= 0`);
      const params = {};
      for (const key of ['mean', 'std', 'low', 'high', 'mu', 'sigma', 'separation', 'df']) {
        params[key] = numberOption(fn, key, o[key], defaults[key]);
      }
      // A number stands for c copies of it; for a shape the core will reject, it is left out.
      const perChannel = (name) => {
        const v = o[name];
        if (typeof v !== 'number') return floatArray(fn, name, v, false);
        if (!plausible(d, defaults.maxElements)) return null;
        frame.check(fn, d.n * d.c * d.s + 2 * d.c);
        return new Float32Array(d.c).fill(v);
      };
      const arrays = [perChannel('offset'), perChannel('scale')];
      const { values } = run('sample', d, arrays, o.out, () =>
        module.sample(distribution, d.n, d.c, d.s, seed, params),
      );
      return values;
    },
  };
}
