// The lab's Web Worker: loads the core, trains the networks in slices of a few milliseconds, and
// posts what the page draws. The page computes nothing; this loop runs only while playing.
//
// Page -> worker: { type: 'start', settings, dark } (new networks, step 0), { type: 'play' },
//   { type: 'pause' }, { type: 'scheme', dark } (recolour the regions).
// Worker -> page: { type: 'reset', … } after start; { type: 'progress', … } about ten times a
//   second while playing; { type: 'regions', … } a few times a second; { type: 'paused', step,
//   finished, evalModes } when the loop has stopped; { type: 'error', message }.
import { loadNormCore } from '../core/index.js';
import { colourRegions } from './region-colours.js';
import { EVAL_EVERY, Experiment, GRID } from './experiment.js';
import { keepsRunningStats } from './settings.js';

const SLICE_MS = 20;
const PROGRESS_MS = 100;
const REGIONS_MS = 250;

let corePromise = null;
let experiment = null;
let playing = false;
let budget = 0;
let pending = { curves: [], landscape: [], layers: [] };
let lastProgress = 0;
let lastRegions = 0;
let dark = false;

// A message to ourselves yields to incoming messages (a pause) without setTimeout's clamping.
// `scheduled` keeps a quick Pause then Play from starting a second loop beside the first.
let scheduled = false;
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  scheduled = false;
  loop();
};
function yieldThen() {
  scheduled = true;
  channel.port2.postMessage(null);
}

function status() {
  return experiment.nets.map(({ norm, loss, accuracy, diverged }) => ({
    norm,
    loss,
    accuracy,
    diverged,
  }));
}

function postProgress() {
  self.postMessage({ type: 'progress', step: experiment.step, status: status(), ...pending });
  pending = { curves: [], landscape: [], layers: [] };
  lastProgress = performance.now();
}

function postRegions() {
  const maps = experiment
    .regions()
    .map((probs) => probs && colourRegions(probs, experiment.classes, GRID * GRID, dark));
  self.postMessage(
    { type: 'regions', step: experiment.step, maps },
    maps.filter(Boolean).map((m) => m.buffer),
  );
  lastRegions = performance.now();
}

function stop() {
  playing = false;
  // Held-out numbers at the very step the loop stopped at, so the status states them exactly.
  if (experiment.step % EVAL_EVERY !== 0) pending.curves.push(experiment.evaluate());
  postProgress();
  postRegions();
  // For a preset that asks (evalBatch): batch norm's accuracy if it were left in training mode at
  // evaluation (batch statistics of class-sorted held-out batches) against inference mode.
  const { evalBatch } = experiment.settings;
  const evalModes =
    evalBatch && experiment.nets.some((n) => keepsRunningStats(n.norm))
      ? experiment.evalModes(evalBatch)
      : null;
  self.postMessage({
    type: 'paused',
    step: experiment.step,
    finished: experiment.step >= budget,
    evalModes,
  });
}

function loop() {
  if (!playing || !experiment) return;
  const start = performance.now();
  while (experiment.step < budget && performance.now() - start < SLICE_MS) {
    const out = experiment.advance();
    if (out.curve) pending.curves.push(out.curve);
    if (out.landscape) pending.landscape.push(out.landscape);
    if (out.layers) pending.layers.push(out.layers);
    if (experiment.nets.every((n) => n.diverged)) break;
  }
  const now = performance.now();
  if (experiment.step >= budget || experiment.nets.every((n) => n.diverged)) return stop();
  if (now - lastProgress >= PROGRESS_MS) postProgress();
  if (now - lastRegions >= REGIONS_MS) postRegions();
  yieldThen();
}

async function start(settings) {
  corePromise ??= loadNormCore();
  const core = await corePromise;
  experiment?.free();
  playing = false;
  experiment = new Experiment(core, settings);
  budget = settings.steps;
  pending = { curves: [], landscape: [], layers: [] };
  const first = experiment.evaluate();
  self.postMessage({
    type: 'reset',
    step: 0,
    classes: experiment.classes,
    extent: experiment.extent,
    grid: GRID,
    points: experiment.points(),
    status: status(),
    curves: [first],
  });
  postRegions();
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'start') {
      dark = Boolean(data.dark);
      await start(data.settings);
    } else if (data.type === 'scheme') {
      dark = Boolean(data.dark);
      if (experiment) postRegions();
    } else if (data.type === 'play' && experiment && !playing) {
      if (experiment.step >= budget) return;
      playing = true;
      lastProgress = performance.now();
      if (!scheduled) loop();
    } else if (data.type === 'pause' && playing) stop();
  } catch (error) {
    playing = false;
    self.postMessage({ type: 'error', message: error?.message ?? String(error) });
  }
};
