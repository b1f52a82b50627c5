// The widget's state: its parameters, the current mini-batch with its four stages and their
// statistics, the stage on show, and the training history. Controls call its methods; it asks the
// engine for every number and tells listeners what changed ('batch', 'stage', 'params', 'training').
import { STAGES, emptyStats } from './engine.js';
import { CHANNELS, DEFAULTS } from './population.js';

const HISTORY_LENGTH = 120;

export class WidgetState extends EventTarget {
  /**
   * @param {ReturnType<import('./engine.js').createEngine>} engine
   * @param {Partial<typeof DEFAULTS>} initial
   */
  constructor(engine, initial = {}) {
    super();
    this.engine = engine;
    this.params = { ...DEFAULTS, ...initial };
    this.stage = 'raw';
    this.step = 0;
    this.running = { mean: new Float32Array(CHANNELS), var: new Float32Array(CHANNELS).fill(1) };
    this.history = [];
    this.x = null;
    this.stages = null; // { raw, centred, scaled, shifted } Float32Arrays
    this.stats = null; // per stage: { mean, std } per channel
    this.example = null;
    this.#sample();
    this.#record();
  }

  get n() {
    return this.params.batchSize;
  }

  /** The array of the stage on show. */
  get current() {
    return this.stages[this.stage];
  }

  get currentStats() {
    return this.stats[this.stage];
  }

  /** Changes parameters; recomputes only what depends on them. */
  set(changes) {
    const before = this.params;
    this.params = { ...before, ...changes };
    const changed = (key) => key in changes && changes[key] !== before[key];
    if (changed('distribution') || changed('batchSize') || changed('seed')) {
      this.#sample();
      this.#emit('batch');
    } else if (changed('gamma') || changed('beta') || changed('eps') || changed('mode')) {
      this.#compute();
      this.#emit('params');
    } else if (changed('momentum')) {
      this.#emit('params');
    }
  }

  /** Raw → centred → scaled → shifted → raw. */
  nextStage() {
    this.setStage(STAGES[(STAGES.indexOf(this.stage) + 1) % STAGES.length]);
  }

  setStage(stage) {
    if (!STAGES.includes(stage) || stage === this.stage) return;
    this.stage = stage;
    this.#emit('stage');
  }

  /**
   * One training step: the next mini-batch from the same population; in training mode the core
   * also folds its statistics into the running ones (inference mode leaves them alone, as a
   * deployed layer does).
   */
  tick() {
    this.step += 1;
    this.x = this.engine.sample({ ...this.params, step: this.step });
    if (this.params.mode === 'training') {
      const r = this.engine.train(this.x, this.n, {
        eps: this.params.eps,
        momentum: this.params.momentum,
        runningMean: this.running.mean,
        runningVar: this.running.var,
      });
      this.running = { mean: r.runningMean, var: r.runningVar };
    }
    this.#compute();
    this.#record();
    this.#emit('batch');
  }

  /** Back to step 0: running statistics at PyTorch's starting values, history cleared. */
  resetTraining() {
    this.step = 0;
    this.running = { mean: new Float32Array(CHANNELS), var: new Float32Array(CHANNELS).fill(1) };
    this.history = [];
    this.#sample();
    this.#record();
    this.#emit('batch');
  }

  #sample() {
    this.x = this.engine.sample({ ...this.params, step: this.step });
    this.#compute();
  }

  #compute() {
    const p = this.params;
    const { arrays } = this.engine.stages(this.x, this.n, {
      ...p,
      runningMean: this.running.mean,
      runningVar: this.running.var,
    });
    this.stages = arrays;
    this.stats = {};
    for (const stage of STAGES) this.stats[stage] = this.engine.statsInto(arrays[stage], this.n, emptyStats());
    this.example = this.engine.example(this.x, this.n, {
      ...p,
      runningMean: this.running.mean,
      runningVar: this.running.var,
    });
  }

  // One point of the training chart: this batch's statistics against the running ones.
  #record() {
    const raw = this.stats.raw;
    this.history.push({
      step: this.step,
      batchMean: Array.from(raw.mean),
      batchStd: Array.from(raw.std),
      runningMean: Array.from(this.running.mean),
      runningStd: Array.from(this.running.var, Math.sqrt),
    });
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
  }

  #emit(what) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what } }));
  }
}
