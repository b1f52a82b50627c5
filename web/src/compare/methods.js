// The five normalisations as the comparison view sees them: which values share one set of
// statistics (the definition, cell by cell), and how to read that set's statistics from the core.

export const METHODS = [
  { id: 'batch', label: 'Batch norm', over: 'N and S, per channel' },
  { id: 'layer', label: 'Layer norm', over: 'C and S, per sample' },
  { id: 'instance', label: 'Instance norm', over: 'S, per sample and channel' },
  { id: 'group', label: 'Group norm', over: 'C/G channels and S, per sample' },
  { id: 'rms', label: 'RMS norm', over: 'C and S, per sample, no centring' },
];

// The index of the set that cell {n, c} of a [N, C, S] batch belongs to under `method`.
// Every cell with the same index is normalised with the same statistics.
export function setIndex(method, cell, shape, groups) {
  switch (method) {
    case 'batch':
      return cell.c;
    case 'layer':
    case 'rms':
      return cell.n;
    case 'instance':
      return cell.n * shape.c + cell.c;
    case 'group':
      return cell.n * groups + Math.floor(cell.c / (shape.c / groups));
    default:
      throw new RangeError(
        `setIndex: method is ${JSON.stringify(method)}, expected one of batch, layer, instance, group, rms`,
      );
  }
}

// Runs one method through the core. Returns { y, stats(set) -> { mean, std } | { rms } } or
// { error } when the core refuses (batch-norm training with one value per channel).
export function runMethod(core, method, x, shape, groups) {
  try {
    switch (method) {
      case 'batch':
        return withMoments(core.batchNorm(x, shape));
      case 'layer':
        return withMoments(core.layerNorm(x, shape));
      case 'instance':
        return withMoments(core.instanceNorm(x, shape));
      case 'group':
        return withMoments(core.groupNorm(x, shape, { groups }));
      case 'rms': {
        const r = core.rmsNorm(x, shape);
        return { y: r.y, stats: (set) => ({ rms: r.rms[set] }) };
      }
      default:
        throw new RangeError(`runMethod: unknown method ${method}`);
    }
  } catch (error) {
    if (error instanceof RangeError) return { error: error.message };
    throw error;
  }
}

function withMoments(r) {
  return { y: r.y, stats: (set) => ({ mean: r.mean[set], std: Math.sqrt(r.var[set]) }) };
}

export function describeStats(stats) {
  if (stats.rms !== undefined) return `rms ${stats.rms.toFixed(3)}`;
  return `mean ${stats.mean.toFixed(3)}, std ${stats.std.toFixed(3)}`;
}

// Why batch norm gives no training output for this shape, said for a reader rather than a
// programmer (the core's own message names arguments). Batch norm refuses exactly when each
// channel holds one value: one sample with one position.
export function refusalText({ n, s }) {
  if (n * s !== 1) return 'No output: the core could not normalise this batch.';
  return (
    'No output. With one sample and one position, each channel holds a single value, and a ' +
    'single value has no variance, so training cannot normalise it. Two samples, or two ' +
    'positions, are enough.'
  );
}
