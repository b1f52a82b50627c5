// Writes the fuzzer's seed corpus (fuzz/corpus/): one small input per operation and a few edge
// cases, in the layout described at the top of normcore_fuzzer.cpp. Run: node fuzz/make-corpus.mjs
// (the regress-* files beside them are inputs the fuzzer found, kept as regression seeds).
import { mkdirSync, writeFileSync } from 'node:fs';

const OP = {
  bnTrain: 0,
  bnInfer: 1,
  layer: 2,
  instance: 3,
  group: 4,
  rms: 5,
  sample: 6,
  format: 7,
};
const dim = (v) => v - 1; // dimension codes below 0xC0 decode as 1 + code % 32
const S1 = 0; // s code < 0x80: s = 1
const RIGHT = 3; // size code of an optional array: given, the right size (required arrays: 0)
const OMIT = 0;
// Value codes: [base index, spread index, mode]; see decode_value_code.
const NORMAL = [1, 0, 0]; // base 1, spread 1, ordinary values
const SPECIALS = [0, 0, 5]; // base 0, spread 1, one value in eight special (NaN, Inf, subnormal, huge)
const CONSTANT = [4, 1, 0]; // base 1000, spread 0
const LARGE_MEAN = [6, 2, 0]; // base 1e4, spread 1e-3
const EPS = {
  default: 0,
  tiny: 0x80 + 7,
  subnormal: 0x80 + 11,
  negative: 0x80 + 16,
  nan: 0x80 + 20,
};

function input({
  op,
  n = 1,
  c = 1,
  s = S1,
  groups = 0,
  eps = EPS.default,
  momentum = 0,
  flags = 0,
  sizes = [0, RIGHT, RIGHT, RIGHT, RIGHT, 0, RIGHT, RIGHT, RIGHT, RIGHT],
  values = [NORMAL, NORMAL, NORMAL, NORMAL, NORMAL],
  pre = [],
}) {
  const bytes = [op, n, c, s, groups, eps, momentum, flags, ...sizes, ...values.flat(), ...pre];
  // Element bytes: a spread of values around the base (128 decodes to the base itself).
  for (let i = 0; i < 64; i++) bytes.push((i * 73 + 17) & 0xff);
  return Uint8Array.from(bytes);
}

const f64 = (v) => [...new Uint8Array(new Float64Array([v]).buffer)];

const SEEDS = {
  'batch-train': input({ op: OP.bnTrain, n: dim(8), c: dim(3) }),
  'batch-train-spatial': input({ op: OP.bnTrain, n: dim(3), c: dim(2), s: 0xc0 + 6, flags: 1 }), // s = 257, in place
  'batch-infer': input({ op: OP.bnInfer, n: dim(1), c: dim(5) }),
  'batch-constant-tiny-eps': input({
    op: OP.bnTrain,
    n: dim(9),
    c: dim(2),
    eps: EPS.tiny,
    values: [CONSTANT, NORMAL, NORMAL, NORMAL, NORMAL],
  }),
  'batch-specials': input({
    op: OP.bnTrain,
    n: dim(16),
    c: dim(5),
    values: [SPECIALS, NORMAL, NORMAL, NORMAL, NORMAL],
  }),
  layer: input({ op: OP.layer, n: dim(2), c: dim(4), s: 0x80 + 4 }),
  'layer-large-mean': input({
    op: OP.layer,
    n: dim(2),
    c: 0xc0 + 6,
    values: [LARGE_MEAN, NORMAL, NORMAL],
  }),
  instance: input({
    op: OP.instance,
    n: dim(2),
    c: dim(3),
    s: 0x80 + 6,
    values: [SPECIALS, NORMAL, NORMAL],
  }),
  group: input({ op: OP.group, n: dim(2), c: dim(6), s: 0x80 + 3, groups: 1 }),
  rms: input({ op: OP.rms, n: dim(3), c: dim(5), s: 0x80 + 1, eps: EPS.subnormal }),
  // sample: groups byte 1 = uniform; 8 parameter codes (< 0x40: default), then an 8-byte seed.
  'sample-uniform': input({
    op: OP.sample,
    n: dim(4),
    c: dim(3),
    groups: 1,
    sizes: [0, RIGHT, OMIT, 0, 0, 0, 0, 0, 0, 0],
    pre: [0, 0, 0, 0, 0, 0, 0, 0, ...f64(0).map((_, i) => i + 1)],
  }),
  'sample-student-t': input({
    op: OP.sample,
    n: dim(8),
    c: dim(2),
    s: 0x80 + 2,
    groups: 4,
    pre: [0, 0, 0, 0, 0, 0, 0, 0x40 + 10, 7, 0, 0, 0, 0, 0, 0, 0],
  }), // df = 1e-3
  'error-zero-n': input({ op: OP.bnTrain, n: 0xd0, c: dim(3) }),
  'error-negative-eps': input({ op: OP.layer, n: dim(2), c: dim(3), eps: EPS.negative }),
  'error-huge-shape': input({ op: OP.instance, n: 0xe0 + 1, c: 0xe0 + 2, s: 0xe0 + 6 }),
  'format-subnormal': Uint8Array.from([OP.format, ...f64(-5e-324)]),
  'format-fraction': Uint8Array.from([OP.format, ...f64(123.456789123)]),
};

const dir = new URL('./corpus/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, bytes] of Object.entries(SEEDS)) writeFileSync(new URL(name, dir), bytes);
console.log(`wrote ${Object.keys(SEEDS).length} seeds to ${dir.pathname}`);
