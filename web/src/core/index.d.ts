// Types of the normalisation core's JavaScript API (web/src/core/index.js).

/** `length` float32 values inside the core's memory, from `core.alloc(length)`; never copied by a call. */
export interface CoreArray {
  readonly length: number;
  /** True after free(). */
  readonly freed: boolean;
  /** A live view of the values; take it again after any call (memory growth replaces the buffer). Throws once freed. */
  readonly array: Float32Array;
  /** Returns the memory to the core; freeing twice does nothing. A freed handle passed to a call is a TypeError. */
  free(): void;
  [Symbol.dispose](): void;
}

export type FloatArrayLike = Float32Array | ArrayLike<number> | CoreArray;

export interface Shape {
  /** Samples. */
  n: number;
  /** Channels (features). */
  c: number;
  /** Spatial positions, flattened; default 1. */
  s?: number;
}

export interface BatchNormResult {
  y: Float32Array;
  /** Batch mean per channel (training) or the running mean used (inference). */
  mean: Float32Array;
  /** Biased batch variance per channel (training) or the running variance used (inference). */
  var: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

export interface NormResult {
  y: Float32Array;
  mean: Float32Array;
  var: Float32Array;
}

export interface RmsNormResult {
  y: Float32Array;
  rms: Float32Array;
}

/**
 * Caller-owned arrays to fill instead of allocating new ones (any subset of the result's keys).
 * A key given a CoreArray (of this core, not shared with another argument) is returned as that CoreArray.
 */
export type Out<R> = { [K in keyof R]?: Float32Array | CoreArray };

export interface AffineOptions<R> {
  gamma?: FloatArrayLike;
  beta?: FloatArrayLike;
  /** Added to the variance; default 1e-5. */
  eps?: number;
  /**
   * What y holds; default 'output' (γ·x̂ + β). 'centred': x − mean; 'scaled': x̂, without γ and β.
   * The statistics are the same at every stage.
   */
  stage?: Stage;
  out?: Out<R>;
}

export type Stage = 'centred' | 'scaled' | 'output';

export interface BatchNormOptions extends AffineOptions<BatchNormResult> {
  /** Default true: batch statistics and a running-statistics update; false: use the running statistics. */
  training?: boolean;
  /** Weight of the new batch in the running statistics; default 0.1. */
  momentum?: number;
  /** Default zeros. */
  runningMean?: FloatArrayLike;
  /** Default ones. */
  runningVar?: FloatArrayLike;
}

export interface GroupNormOptions extends AffineOptions<NormResult> {
  /** Number of groups; must divide c. */
  groups: number;
}

export interface RmsNormOptions {
  gamma?: FloatArrayLike;
  /** Default 1e-6. */
  eps?: number;
  /** Default 'output' (γ·x̂); 'scaled': x / rms without γ. RMS norm has no centred stage. */
  stage?: Exclude<Stage, 'centred'>;
  out?: Out<RmsNormResult>;
}

export type Distribution = 'normal' | 'uniform' | 'lognormal' | 'bimodal' | 'student-t';

export interface SampleOptions extends Shape {
  distribution?: Distribution;
  /** A whole number >= 0; the same seed gives the same values everywhere. Default 0. */
  seed?: number;
  /** normal: mean (default 0) and std (default 1); bimodal: std is each mode's spread. */
  mean?: number;
  std?: number;
  /** uniform: [low, high), default [0, 1). */
  low?: number;
  high?: number;
  /** lognormal: exp(mu + sigma * z), defaults 0 and 1. */
  mu?: number;
  sigma?: number;
  /** bimodal: modes at +-separation/2, default 4. */
  separation?: number;
  /** student-t degrees of freedom, default 3. */
  df?: number;
  /** Per-channel affine after the draw: value = offset[c] + scale[c] * draw. */
  offset?: number | FloatArrayLike;
  scale?: number | FloatArrayLike;
  out?: { values?: Float32Array | CoreArray };
}

// ---- Gradients (DESIGN.md "Gradients") ----

export interface NormGradients {
  dx: Float32Array;
  /** Same length as gamma. */
  dgamma: Float32Array;
  dbeta: Float32Array;
}

export interface RmsNormGradients {
  dx: Float32Array;
  dgamma: Float32Array;
}

export interface BackwardOptions<R> {
  gamma?: FloatArrayLike;
  /** As in the forward operation: 1e-5 (RMS norm 1e-6). */
  eps?: number;
  out?: Out<R>;
}

export interface BatchNormBackwardOptions extends BackwardOptions<NormGradients> {
  /** Default true: gradients through the batch statistics of x; false: the running statistics are constants. */
  training?: boolean;
  runningMean?: FloatArrayLike;
  runningVar?: FloatArrayLike;
}

export interface GroupNormBackwardOptions extends BackwardOptions<NormGradients> {
  groups: number;
}
// ---- end of gradients ----

// ---- Networks and toy data (DESIGN.md "Training a small network") ----

export type NormName = 'none' | 'batch' | 'layer' | 'group' | 'rms';

export interface NetworkOptions {
  /** Input features; default 2. */
  inputs?: number;
  /** Hidden layer widths, each Linear -> Norm -> ReLU (1 to 64 layers of 1 to 4096). */
  hidden: number[];
  /** Output classes (>= 2). */
  classes: number;
  /** Default 'none'. */
  norm?: NormName;
  /** Group norm's groups; must divide every hidden width. Default 8. */
  groups?: number;
  /** Default: the norm's own (1e-5; RMS 1e-6). */
  eps?: number;
  /** Batch norm's running-statistics momentum; default 0.1. */
  momentum?: number;
  /** Multiplies every Linear W at initialisation (PyTorch's nn.Linear default); default 1. */
  initScale?: number;
  /** Default 1; one seed gives the same network everywhere. */
  seed?: number;
}

export type Labels = Int32Array | Float32Array | ArrayLike<number>;

export interface ProbeResult {
  /** Loss at the current weights (training mode, on the batch given). */
  loss: number;
  /** |g|, the gradient's Euclidean norm. */
  gradientNorm: number;
  /** Step sizes as multiples of lr; default [0.25, 0.5, 1, 2, 4]. */
  scales: Float32Array;
  /** Loss at w - scale * lr * g, per scale. */
  losses: Float32Array;
  /** |grad(w - scale * lr * g) - g|, per scale. */
  gradientChanges: Float32Array;
}

export interface Network {
  readonly inputs: number;
  readonly classes: number;
  /** One SGD step (torch.optim.SGD); returns the batch's mean cross-entropy before the update (may be NaN/Inf). */
  step(x: FloatArrayLike, labels: Labels, options: { lr: number; momentum?: number }): number;
  /** Inference mode (running statistics); accuracy in [0, 1]. batchStatistics: as if left in training mode (nothing updated). */
  evaluate(
    x: FloatArrayLike,
    labels: Labels,
    options?: { batchStatistics?: boolean },
  ): { loss: number; accuracy: number };
  /** Class probabilities [n * classes], inference mode. */
  predict(x: FloatArrayLike, out?: Float32Array): Float32Array;
  /** Santurkar et al.'s measures along the current gradient; changes nothing. */
  probe(
    x: FloatArrayLike,
    labels: Labels,
    options: { lr: number; scales?: FloatArrayLike },
  ): ProbeResult;
  /** Copies: per hidden layer W [out*in], b, then gamma, beta where the norm has them; then the output W, b. */
  parameters(): Float32Array[];
  /** The gradient of the last step or probe, in parameters() order. */
  gradients(): Float32Array[];
  /** Same order and lengths; resets running statistics (0 / 1) and momentum buffers (0). */
  setParameters(arrays: FloatArrayLike[]): void;
  /** Per hidden layer, of the last step or probe: pre-activations before and after the norm, [n * width]. */
  activations(): { width: number; preNorm: Float32Array; postNorm: Float32Array }[];
  /** Batch norm's running statistics per hidden layer. */
  runningStatistics(): { mean: Float32Array; var: Float32Array }[];
  free(): void;
  [Symbol.dispose](): void;
}

export type ToyDatasetName = 'spirals' | 'rings' | 'moons' | 'xor';

export interface ToyDataOptions {
  dataset: ToyDatasetName;
  /** Points, 1 to 4,194,304; point i has class i % classes. */
  n: number;
  /** Default 0. A held-out set is the same call with another seed. */
  seed?: number;
  /** Std of Gaussian jitter on both coordinates; default 0.1. */
  noise?: number;
  /** Second feature becomes 20 * x + 30; default false. */
  unnormalised?: boolean;
}

export interface ToyData {
  /** [n * 2], row-major (x0, x1) pairs, roughly within [-1.5, 1.5]. */
  x: Float32Array;
  labels: Int32Array;
  /** spirals 3; rings, moons, xor 2. */
  classes: number;
}
// ---- end of networks and toy data ----

export interface NormCore {
  /** True when the SIMD build was loaded. */
  readonly simd: boolean;
  readonly variant: 'simd' | 'scalar';
  readonly defaults: Readonly<Record<string, number>>;
  /** The module's linear memory in bytes. */
  readonly memoryBytes: number;
  /** Bytes currently allocated inside the module. */
  readonly heapInUse: number;
  /** Handles from alloc() not yet freed. */
  readonly liveHandles: number;
  /** A handle to `length` float32 values in the core's memory (1 <= length <= defaults.maxElements). */
  alloc(length: number): CoreArray;
  batchNorm(x: FloatArrayLike, shape: Shape, options?: BatchNormOptions): BatchNormResult;
  layerNorm(x: FloatArrayLike, shape: Shape, options?: AffineOptions<NormResult>): NormResult;
  instanceNorm(x: FloatArrayLike, shape: Shape, options?: AffineOptions<NormResult>): NormResult;
  groupNorm(x: FloatArrayLike, shape: Shape, options: GroupNormOptions): NormResult;
  rmsNorm(x: FloatArrayLike, shape: Shape, options?: RmsNormOptions): RmsNormResult;
  sample(options: SampleOptions): Float32Array;
  // Gradients: dy has x's length; statistics are recomputed from x.
  batchNormBackward(
    dy: FloatArrayLike,
    x: FloatArrayLike,
    shape: Shape,
    options?: BatchNormBackwardOptions,
  ): NormGradients;
  layerNormBackward(
    dy: FloatArrayLike,
    x: FloatArrayLike,
    shape: Shape,
    options?: BackwardOptions<NormGradients>,
  ): NormGradients;
  instanceNormBackward(
    dy: FloatArrayLike,
    x: FloatArrayLike,
    shape: Shape,
    options?: BackwardOptions<NormGradients>,
  ): NormGradients;
  groupNormBackward(
    dy: FloatArrayLike,
    x: FloatArrayLike,
    shape: Shape,
    options: GroupNormBackwardOptions,
  ): NormGradients;
  createNetwork(options: NetworkOptions): Network;
  toyData(options: ToyDataOptions): ToyData;
  rmsNormBackward(
    dy: FloatArrayLike,
    x: FloatArrayLike,
    shape: Shape,
    options?: BackwardOptions<RmsNormGradients>,
  ): RmsNormGradients;
}

/** Loads (once) and returns the core; `variant` forces the SIMD or the scalar build. */
export function loadNormCore(options?: { variant?: 'auto' | 'simd' | 'scalar' }): Promise<NormCore>;

/** Whether this engine validates WebAssembly SIMD. */
export function simdSupported(): boolean;
