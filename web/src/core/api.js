// The public operations of the core (DESIGN.md, "The JavaScript API of the core"), on top of one
// instantiated Embind module.
import {
  booleanOption,
  floatArray,
  lengthOf,
  namedProperty,
  numberOption,
  optionsObject,
  outputArray,
  typeError,
  wholeNumber,
} from './arguments.js';
import { HandleOwner, ownBlock } from './handles.js';
import { HeapFrame } from './heap-frame.js';
import { checkSlotLayout } from './slot-layout.js';
import { networkApi } from './network.js';

// Per operation: its array inputs and outputs in slot order (checked at load against kSlotLayout
// in cpp/bindings/embind.cpp, see slot-layout.js), and for each output its length given the
// shape, in words (for messages) and as the dimensions it multiplies (a product of n, c, s and
// groups: branches on flags, where a function per expression made a call per output).
function lengthFactors(expr) {
  const factors = expr.split('*');
  return {
    byN: factors.includes('n'),
    byC: factors.includes('c'),
    byS: factors.includes('s'),
    byGroups: factors.includes('groups'),
  };
}

// `result` makes the returned object from the outputs in slot order: an object literal per
// operation is one allocation of a known shape, where filling a copy of a template by computed
// keys cost a fifth of the loader's time per call at [32, 4]. checkResultBuilders holds its keys
// to the outputs' names.
function operation(inputs, outputs, result) {
  const names = Object.keys(outputs);
  return {
    fn: '', // its name in OPERATIONS, set below
    inputs,
    outputs: names.map((name) => ({
      name,
      label: `out.${name}`, // for messages, made once
      expr: outputs[name],
      ...lengthFactors(outputs[name]),
    })),
    result,
  };
}

function outputLength(output, d) {
  return (
    (output.byN ? d.n : 1) *
    (output.byC ? d.c : 1) *
    (output.byS ? d.s : 1) *
    (output.byGroups ? d.groups : 1)
  );
}

const statistics = (v) => ({ y: v[0], mean: v[1], var: v[2] });
const gradients = (v) => ({ dx: v[0], dgamma: v[1], dbeta: v[2] });

const OPERATIONS = {
  batchNorm: operation(
    ['x', 'gamma', 'beta', 'runningMean', 'runningVar'],
    { y: 'n*c*s', mean: 'c', var: 'c', runningMean: 'c', runningVar: 'c' },
    (v) => ({ y: v[0], mean: v[1], var: v[2], runningMean: v[3], runningVar: v[4] }),
  ),
  layerNorm: operation(['x', 'gamma', 'beta'], { y: 'n*c*s', mean: 'n', var: 'n' }, statistics),
  instanceNorm: operation(
    ['x', 'gamma', 'beta'],
    { y: 'n*c*s', mean: 'n*c', var: 'n*c' },
    statistics,
  ),
  groupNorm: operation(
    ['x', 'gamma', 'beta'],
    { y: 'n*c*s', mean: 'n*groups', var: 'n*groups' },
    statistics,
  ),
  rmsNorm: operation(['x', 'gamma'], { y: 'n*c*s', rms: 'n' }, (v) => ({ y: v[0], rms: v[1] })),
  sample: operation(['offset', 'scale'], { values: 'n*c*s' }, (v) => ({ values: v[0] })),
  // ---- Gradients (x before dy: see cpp/bindings/embind.cpp) ----
  batchNormBackward: operation(
    ['x', 'dy', 'gamma', 'runningMean', 'runningVar'],
    { dx: 'n*c*s', dgamma: 'c', dbeta: 'c' },
    gradients,
  ),
  layerNormBackward: operation(
    ['x', 'dy', 'gamma'],
    { dx: 'n*c*s', dgamma: 'c*s', dbeta: 'c*s' },
    gradients,
  ),
  instanceNormBackward: operation(
    ['x', 'dy', 'gamma'],
    { dx: 'n*c*s', dgamma: 'c', dbeta: 'c' },
    gradients,
  ),
  groupNormBackward: operation(
    ['x', 'dy', 'gamma'],
    { dx: 'n*c*s', dgamma: 'c', dbeta: 'c' },
    gradients,
  ),
  rmsNormBackward: operation(['x', 'dy', 'gamma'], { dx: 'n*c*s', dgamma: 'c*s' }, (v) => ({
    dx: v[0],
    dgamma: v[1],
  })),
  // ---- end of gradients ----
};

for (const [fn, op] of Object.entries(OPERATIONS)) op.fn = fn;

// Each operation's result builder must give exactly its outputs, in order: checked at load, so a
// builder that drifts from the table stops the load instead of returning a wrong key.
function checkResultBuilders(operations) {
  for (const [fn, { outputs, result }] of Object.entries(operations)) {
    const built = result(outputs.map((_, i) => i));
    const names = outputs.map((o) => o.name);
    const ok =
      Object.keys(built).join(' ') === names.join(' ') && names.every((n, i) => built[n] === i);
    if (!ok) {
      throw new Error(
        `loadNormCore: the result builder of ${fn} gives ${Object.keys(built).join(' ')}, expected ${names.join(' ')}`,
      );
    }
  }
}

// Every array name of the table must be one that namedProperty reads, or a call would miss it.
function checkNamedProperties(operations) {
  for (const [fn, { inputs, outputs }] of Object.entries(operations)) {
    for (const name of [...inputs, ...outputs.map((o) => o.name)]) {
      if (namedProperty({ [name]: fn }, name) !== fn)
        throw new Error(
          `loadNormCore: ${fn} names an array ${name} that namedProperty does not read`,
        );
    }
  }
}

const NO_OUT = Object.freeze({});

// Where a call's table (see newTable in createApi) holds its call number, the handles' free
// count when the call started, and its inputs: after 4 entries per output of the operation with
// the most outputs and one for the handles' bits.
const CALL_NUMBER = 4 * Math.max(...Object.values(OPERATIONS).map((op) => op.outputs.length)) + 1;
const FREES = CALL_NUMBER + 1;
const FIRST_INPUT = CALL_NUMBER + 2;

function freedError(fn, name) {
  return new TypeError(`${fn}: ${name} is a freed core array, expected a live one`);
}

// A getter among the arguments may have freed a handle read before it: refused like any freed
// handle, the first in slot order. `table` is a call's table after layOut has read the outputs.
function refuseFreed(fn, inputs, outputs, table) {
  const k = outputs.length;
  for (let i = 0; i < inputs.length; i++) {
    const a = table[FIRST_INPUT + i];
    if (isBlock(a) && a.address === 0) throw freedError(fn, inputs[i]);
  }
  for (let i = 0; i < k; i++) {
    const t = table[2 * k + i];
    if (isBlock(t) && t.address === 0) throw freedError(fn, outputs[i].label);
  }
}

// Whether an argument as the call holds it (null, a handle's Block, or a genuine typed array: see
// inputArray and outputTarget) is a Block. ArrayBuffer.isView is a check of the object's type,
// where `instanceof Block` walks a typed array's prototype chain: a tenth of a small call's cost.
function isBlock(value) {
  return value !== null && !ArrayBuffer.isView(value);
}

function lengthOrBlock(array) {
  return isBlock(array) ? array.length : lengthOf(array);
}

// An output handle that is also an input or another output would have the core read values it
// has already overwritten: refused, naming both arguments. The one exception is an output and
// the input of the same name (batch norm's running statistics), which the core reads, per
// channel, before it writes: updating them in place is what a training loop wants.
// `table` is a call's table (see layOut).
function noSharedBlocks(fn, inputs, outputs, table) {
  const k = outputs.length;
  for (let i = 0; i < k; i++) {
    const t = table[2 * k + i];
    if (!isBlock(t)) continue;
    const name = outputs[i].name;
    let other = null;
    for (let j = 0; j < inputs.length && other === null; j++)
      if (table[FIRST_INPUT + j] === t && inputs[j] !== name) other = inputs[j];
    for (let j = 0; j < i && other === null; j++)
      if (table[2 * k + j] === t) other = `out.${outputs[j].name}`;
    if (other !== null) {
      throw new TypeError(
        `${fn}: out.${name} is the core array also given as ${other}, expected a separate one`,
      );
    }
  }
}

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
  const layout = module.slotLayout();
  checkSlotLayout(layout, OPERATIONS);
  checkResultBuilders(OPERATIONS);
  checkNamedProperties(OPERATIONS);
  const frame = new HeapFrame(module, layout.slots);
  const defaults = module.defaults();
  const handles = new HandleOwner(module, defaults.maxElements);
  // The number of the latest call, for Block.call; a double counts calls exactly for centuries.
  let call = 0;

  // A call's table: one array for everything a call works with, made as it starts reading its
  // arrays (one allocation per call; a literal of nulls is quicker to make and fill than an array
  // made empty, whose elements change kind as they are filled). For k outputs: [i] output i's
  // length, then its value as returned; [k + i] out.<name> as given (each is read once: a getter
  // may change its answer); [2k + i] what the frame works with (a Float32Array, a Block or null);
  // [3k + i] its address in the heap; [4k] which arguments are handles (see `blocks` in layOut);
  // [CALL_NUMBER] this call's number; [FREES] handles.frees when it started; from FIRST_INPUT, the
  // inputs in slot order (a Block, a typed array or null). 28 entries hold the largest
  // operation's (5 outputs, 5 inputs); a larger one would only grow the array. Reusing tables was
  // slower: storing new objects into an old array costs the garbage collector's bookkeeping.
  //
  // Each handle read as an argument is numbered with the call's number as it is read (inputArray,
  // layOut): a block that meets the number is given twice. A getter among the arguments that
  // calls the core again renumbers blocks; the call then finds its number no longer the latest
  // and compares every pair instead (noSharedBlocks).
  function newTable() {
    // prettier-ignore
    const table = [
      null, null, null, null, null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null, null, null, null, null,
    ];
    table[CALL_NUMBER] = ++call;
    table[FREES] = handles.frees;
    return table;
  }

  // A handle of this core as its Block (numbered with the latest call's number, see newTable),
  // else a typed array or an array of numbers (see floatArray).
  function inputArray(fn, name, value, required) {
    const block = ownBlock(handles, fn, name, value);
    if (block === undefined) return floatArray(fn, name, value, required);
    block.call = call;
    return block;
  }

  // An out.<name>: a handle of this core of the right length as its Block, else a Float32Array.
  function outputTarget(fn, name, value, length, expr) {
    const block = ownBlock(handles, fn, name, value);
    if (block === undefined) return outputArray(fn, name, value, length, expr);
    if (block.length !== length) {
      throw new RangeError(
        `${fn}: ${name} is a core array of ${block.length}, expected ${expr} = ${length} values`,
      );
    }
    return block;
  }

  // Lays out inputs and outputs for a call of the core's function `fn`, which the caller then
  // calls and hands to results() (no closure per call). Shapes the core will reject, and an x
  // whose length does not match the shape, get no output space: the core names the problem (it
  // checks x before the outputs), and a small x with a huge shape does not grow the module's
  // memory on its way to an error. `table` holds the inputs (see newTable). Written as plain
  // loops: this is the per-call overhead.
  function layOut(op, dims, table, outOption) {
    const { fn, inputs, outputs } = op;
    const valid =
      plausible(dims, defaults.maxElements) &&
      (inputs[0] !== 'x' || lengthOrBlock(table[FIRST_INPUT]) === dims.n * dims.c * dims.s);
    const out = outOption === undefined ? NO_OUT : optionsObject(fn, 'out', outOption);
    const m = inputs.length;
    const k = outputs.length;
    // Bit i: input i is a handle's Block; bit m + i: output i is. Told apart once per argument.
    let blocks = 0;
    let twice = false; // an output's block met this call's number
    let floats = 0; // values to copy into the frame: handles take none
    for (let i = 0; i < m; i++) {
      const a = table[FIRST_INPUT + i];
      if (isBlock(a)) blocks |= 1 << i;
      else if (a !== null) floats += lengthOf(a);
    }
    for (let i = 0; i < k; i++) {
      const output = outputs[i];
      const length = valid ? outputLength(output, dims) : 0;
      const value = valid ? namedProperty(out, output.name) : undefined;
      const target =
        value === undefined ? null : outputTarget(fn, output.label, value, length, output.expr);
      table[i] = length;
      table[k + i] = value;
      table[2 * k + i] = target;
      if (isBlock(target)) {
        blocks |= 1 << (m + i);
        if (target.call === call) twice = true;
        target.call = call;
      } else floats += length;
    }
    table[4 * k] = blocks;
    // From here on no caller code runs (see arguments.js) until the results are returned. A block
    // given twice, or a getter that called the core again (see newTable), costs the pairwise check;
    // a handle freed since the call started (by a getter, after it was read), a pass for it.
    if (twice || call !== table[CALL_NUMBER]) noSharedBlocks(fn, inputs, outputs, table);
    if (handles.frees !== table[FREES]) refuseFreed(fn, inputs, outputs, table);
    frame.reserve(fn, floats);
    for (let i = 0; i < m; i++) {
      if (blocks & (1 << i)) frame.point(i, table[FIRST_INPUT + i]);
      else frame.input(i, table[FIRST_INPUT + i]);
    }
    for (let i = 0; i < k; i++) {
      if (blocks & (1 << (m + i))) frame.point(m + i, table[2 * k + i]);
      else table[3 * k + i] = frame.output(m + i, table[i]);
    }
  }

  // After the core's function: its results as `fn` returns them, from layOut's table, which goes
  // back to the spares. `ok` is what the core's function returned (false: lastError() says why).
  function results(op, table, ok) {
    if (!ok) throw new RangeError(module.lastError());
    const { inputs, outputs, result } = op;
    const m = inputs.length;
    const k = outputs.length;
    const blocks = table[4 * k];
    // The values returned, into [0, k) (the lengths are done with): a handle given as out.<name>
    // is returned as given, its block holds the values already.
    for (let i = 0; i < k; i++) {
      table[i] =
        blocks & (1 << (m + i))
          ? table[k + i]
          : frame.read(table[3 * k + i], table[i], table[2 * k + i]);
    }
    return result(table);
  }

  // x and the optional arrays (the operation's other inputs, by name from `options`), in slot
  // order, in a new call's table.
  function normArrays(op, x, options) {
    const { fn, inputs } = op;
    const table = newTable();
    table[FIRST_INPUT] = inputArray(fn, 'x', x, true);
    for (let i = 1; i < inputs.length; i++)
      table[FIRST_INPUT + i] = inputArray(fn, inputs[i], namedProperty(options, inputs[i]), false);
    return table;
  }

  // Layer and instance norm take the same arguments. `exported` is read at each call: the glue
  // replaces its first, lazy wrapper of an export with the export itself.
  function perSampleNorm(op, exported, x, shape, options) {
    const { fn } = op;
    const d = readShape(fn, shape);
    const o = optionsObject(fn, 'options', options);
    const table = normArrays(op, x, o);
    const eps = numberOption(fn, 'eps', o.eps, defaults.eps);
    const stage = stageOption(fn, o.stage);
    layOut(op, d, table, o.out);
    return results(op, table, module[exported](d.n, d.c, d.s, eps, stage));
  }

  // ---- Gradients: dy and x, then the optional arrays, as the forward operations take them ----
  function backwardArrays(op, dy, x, options) {
    const { fn, inputs } = op;
    const table = newTable();
    table[FIRST_INPUT] = inputArray(fn, 'x', x, true);
    table[FIRST_INPUT + 1] = inputArray(fn, 'dy', dy, true);
    for (let i = 2; i < inputs.length; i++)
      table[FIRST_INPUT + i] = inputArray(fn, inputs[i], namedProperty(options, inputs[i]), false);
    return table;
  }

  function perSampleBackward(op, dy, x, shape, options, epsDefault, call) {
    const { fn } = op;
    const d = readShape(fn, shape);
    const o = optionsObject(fn, 'options', options);
    if (fn === 'groupNormBackward') {
      if (o.groups === undefined)
        throw typeError(fn, 'groups', o.groups, 'a whole number that divides c');
      d.groups = wholeNumber(fn, 'groups', o.groups);
    }
    const table = backwardArrays(op, dy, x, o);
    const eps = numberOption(fn, 'eps', o.eps, epsDefault);
    layOut(op, d, table, o.out);
    return results(op, table, call(d, eps));
  }

  const gradients = {
    batchNormBackward(dy, x, shape, options) {
      const fn = 'batchNormBackward';
      const op = OPERATIONS.batchNormBackward;
      const d = readShape(fn, shape);
      const o = optionsObject(fn, 'options', options);
      const table = backwardArrays(op, dy, x, o);
      const eps = numberOption(fn, 'eps', o.eps, defaults.eps);
      const training = booleanOption(fn, 'training', o.training, true);
      layOut(op, d, table, o.out);
      return results(op, table, module.batchNormBackward(d.n, d.c, d.s, eps, training));
    },
    layerNormBackward(dy, x, shape, options) {
      return perSampleBackward(
        OPERATIONS.layerNormBackward,
        dy,
        x,
        shape,
        options,
        defaults.eps,
        (d, eps) => module.layerNormBackward(d.n, d.c, d.s, eps),
      );
    },
    instanceNormBackward(dy, x, shape, options) {
      return perSampleBackward(
        OPERATIONS.instanceNormBackward,
        dy,
        x,
        shape,
        options,
        defaults.eps,
        (d, eps) => module.instanceNormBackward(d.n, d.c, d.s, eps),
      );
    },
    groupNormBackward(dy, x, shape, options) {
      return perSampleBackward(
        OPERATIONS.groupNormBackward,
        dy,
        x,
        shape,
        options,
        defaults.eps,
        (d, eps) => module.groupNormBackward(d.n, d.c, d.s, d.groups, eps),
      );
    },
    rmsNormBackward(dy, x, shape, options) {
      return perSampleBackward(
        OPERATIONS.rmsNormBackward,
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
    // Handles allocated and not yet freed, for leak checks.
    get liveHandles() {
      return handles.live;
    },

    // `length` float32 values in the core's memory (DESIGN.md, "Arrays in the core's memory").
    alloc(length) {
      return handles.alloc(length);
    },

    batchNorm(x, shape, options) {
      const fn = 'batchNorm';
      const op = OPERATIONS.batchNorm;
      const d = readShape(fn, shape);
      const o = optionsObject(fn, 'options', options);
      const table = normArrays(op, x, o);
      const eps = numberOption(fn, 'eps', o.eps, defaults.eps);
      const training = booleanOption(fn, 'training', o.training, true);
      const momentum = numberOption(fn, 'momentum', o.momentum, defaults.momentum);
      const stage = stageOption(fn, o.stage);
      layOut(op, d, table, o.out);
      const ok = module._nc_batch_norm(d.n, d.c, d.s, eps, training ? 1 : 0, momentum, stage);
      return results(op, table, ok);
    },

    layerNorm(x, shape, options) {
      return perSampleNorm(OPERATIONS.layerNorm, '_nc_layer_norm', x, shape, options);
    },

    instanceNorm(x, shape, options) {
      return perSampleNorm(OPERATIONS.instanceNorm, '_nc_instance_norm', x, shape, options);
    },

    groupNorm(x, shape, options) {
      const fn = 'groupNorm';
      const op = OPERATIONS.groupNorm;
      const d = readShape(fn, shape);
      const o = optionsObject(fn, 'options', options);
      if (o.groups === undefined)
        throw typeError(fn, 'groups', o.groups, 'a whole number that divides c');
      d.groups = wholeNumber(fn, 'groups', o.groups);
      const table = normArrays(op, x, o);
      const eps = numberOption(fn, 'eps', o.eps, defaults.eps);
      const stage = stageOption(fn, o.stage);
      layOut(op, d, table, o.out);
      return results(op, table, module._nc_group_norm(d.n, d.c, d.s, d.groups, eps, stage));
    },

    rmsNorm(x, shape, options) {
      const fn = 'rmsNorm';
      const op = OPERATIONS.rmsNorm;
      const d = readShape(fn, shape);
      const o = optionsObject(fn, 'options', options);
      const table = normArrays(op, x, o);
      const eps = numberOption(fn, 'eps', o.eps, defaults.rmsEps);
      const stage = stageOption(fn, o.stage);
      layOut(op, d, table, o.out);
      return results(op, table, module._nc_rms_norm(d.n, d.c, d.s, eps, stage));
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
        if (typeof v !== 'number') return inputArray(fn, name, v, false);
        if (!plausible(d, defaults.maxElements)) return null;
        frame.check(fn, d.n * d.c * d.s + 2 * d.c);
        return new Float32Array(d.c).fill(v);
      };
      const table = newTable();
      table[FIRST_INPUT] = perChannel('offset');
      table[FIRST_INPUT + 1] = perChannel('scale');
      layOut(OPERATIONS.sample, d, table, o.out);
      const ok = module.sample(distribution, d.n, d.c, d.s, seed, params);
      return results(OPERATIONS.sample, table, ok).values;
    },
  };
}
