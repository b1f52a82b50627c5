// The widget's state: its parameters, the current batch with its stages and their statistics, the
// stage on show, and (batch norm only) the running statistics and their history. Controls call
// its methods; it asks the engine for every number and tells listeners what changed ('batch',
// 'stage', 'params', 'sets').
import { initialParams, shapeOf } from './population.js';
import { describeSets } from './sets.js';

const HISTORY_LENGTH = 120;

export class WidgetState extends EventTarget {
  /**
   * @param {ReturnType<import('./engine.js').createEngine>} engine
   * @param {object} initial  parameters from the attributes
   */
  constructor(engine, initial = {}) {
    super();
    this.engine = engine;
    this.norm = engine.norm;
    const params = initialParams(this.norm, initial, engine.coreDefaults);
    // γ and β: a pair per channel, each starting from the default.
    const perChannel = (value) => Array.from({ length: params.channels }, () => value);
    this.params = { ...params, gamma: perChannel(params.gamma), beta: perChannel(params.beta) };
    this.stage = 'raw';
    this.step = 0;
    this.running = this.#freshRunning();
    this.history = [];
    this.x = null;
    this.stages = null; // per stage of the norm (raw, centred, scaled, shifted): Float32Arrays
    this.stats = null; // per stage: { mean, std, rms } per set
    this.example = null;
    this.#sample();
    this.#record();
  }

  get n() {
    return this.params.batchSize;
  }

  get shape() {
    return shapeOf(this.params);
  }

  /** Which values are normalised together (sets.js). */
  get sets() {
    const { shape } = this;
    const key = `${shape.n} ${shape.c} ${shape.s} ${this.params.groups}`;
    if (this.setsKey !== key) {
      this.setsKey = key;
      this.setsCache = describeSets(this.norm, shape, this.params.groups);
    }
    return this.setsCache;
  }

  /** Whether this norm keeps running statistics (norms.js). */
  get hasRunning() {
    return this.engine.description.runningStats;
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
    } else if (changed('groups')) {
      this.#compute();
      this.#emit('sets');
    } else if (changed('gamma') || changed('beta') || changed('eps') || changed('mode')) {
      this.#compute();
      this.#emit('params');
    } else if (changed('momentum')) {
      this.#emit('params');
    }
  }

  /** The next stage of this norm, back to raw after the last. */
  nextStage() {
    const stages = this.engine.stages;
    this.setStage(stages[(stages.indexOf(this.stage) + 1) % stages.length]);
  }

  /**
   * What Play does, one call per beat: the next stage, and after the last one a new batch (a
   * training step for a norm with running statistics) shown from its first stage.
   */
  advance() {
    const stages = this.engine.stages;
    const i = stages.indexOf(this.stage);
    if (i < stages.length - 1) {
      this.setStage(stages[i + 1]);
    } else {
      this.stage = stages[0];
      this.tick();
    }
  }

  setStage(stage) {
    if (!this.engine.stages.includes(stage) || stage === this.stage) return;
    this.stage = stage;
    this.#emit('stage');
  }

  /**
   * One step: the next batch from the same population. Batch norm in training mode also folds
   * its statistics into the running ones (inference mode leaves them alone, as a deployed layer
   * does); the other norms keep nothing from one batch to the next.
   */
  tick() {
    this.step += 1;
    this.x = this.engine.sample(this.params, this.step);
    if (this.hasRunning && this.params.mode === 'training') {
      const r = this.engine.train(this.x, this.params, this.running);
      this.running = { mean: r.runningMean, var: r.runningVar };
    }
    this.#compute();
    this.#record();
    this.#emit('batch');
  }

  /** Back to step 0: running statistics at PyTorch's starting values, history cleared. */
  resetTraining() {
    this.step = 0;
    this.running = this.#freshRunning();
    this.history = [];
    this.#sample();
    this.#record();
    this.#emit('batch');
  }

  #freshRunning() {
    const c = this.shape.c;
    return { mean: new Float32Array(c), var: new Float32Array(c).fill(1) };
  }

  #sample() {
    this.x = this.engine.sample(this.params, this.step);
    this.#compute();
  }

  #compute() {
    const { engine, params } = this;
    this.stages = engine.computeStages(this.x, params, this.running);
    this.stats = {};
    for (const stage of Object.keys(this.stages)) {
      this.stats[stage] = engine.statsInto(this.stages[stage], params, engine.emptyStats(params));
    }
    this.example = engine.example(this.x, params, this.running);
  }

  // One point of the training chart: this batch's statistics against the running ones.
  #record() {
    if (!this.hasRunning) return;
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
