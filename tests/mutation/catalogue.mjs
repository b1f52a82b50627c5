// The named mutants of ./build.sh mutate: deliberate bugs, each a one-place text change to one
// file, that a reviewer could plant. `owners` are the suites that must catch it: the native suite
// for a kernel, the Node suite for the loader, the browser suite where a figure shows the value,
// and the differential fuzzer wherever a kernel's value changes. `find` must occur exactly once in
// `file` (a catalogue that no longer matches the code fails loudly instead of testing nothing).
// `browser` names the browser tests whose figures show the value (the whole browser suite per
// mutant would take longer than the rest of the run).

export const MUTANTS = [
  {
    name: 'bn-scales-by-unbiased-variance',
    what: 'batch norm divides by the unbiased variance (the reported var stays biased)',
    file: 'cpp/src/batch_norm.cpp',
    find: 'std::sqrt(stats[ch].var + a.eps) : 1.0',
    replace:
      'std::sqrt(stats[ch].var * (a.training ? double(n * s) / (n * s - 1) : 1.0) + a.eps) : 1.0',
    owners: ['native', 'node', 'browser', 'fuzz'],
    browser: ['tests/browser/widget.test.mjs'],
  },
  {
    name: 'bn-unbiased-variance-everywhere',
    what: 'batch variance unbiased everywhere (reported, used for y and for the running update)',
    file: 'cpp/src/batch_norm.cpp',
    find: '    batch_moments(a, &stats);\n',
    replace:
      '    batch_moments(a, &stats);\n    for (Moments& st : stats)\n      st.var *= double(n * s) / (n * s - 1);\n',
    owners: ['native', 'node', 'browser', 'fuzz'],
    browser: ['tests/browser/widget.test.mjs'],
  },
  {
    name: 'bn-momentum-swapped',
    what: 'running statistics keep momentum of the old value and 1 - momentum of the batch',
    file: 'cpp/src/batch_norm.cpp',
    find: `    put(out.running_mean, ch, a.training ? (1 - m) * rm + m * stats[ch].mean : rm);
    put(out.running_var, ch, a.training ? (1 - m) * rv + m * stats[ch].var * unbias : rv);`,
    replace: `    put(out.running_mean, ch, a.training ? m * rm + (1 - m) * stats[ch].mean : rm);
    put(out.running_var, ch, a.training ? m * rv + (1 - m) * stats[ch].var * unbias : rv);`,
    owners: ['native', 'node', 'browser', 'fuzz'],
    browser: ['tests/browser/widget.test.mjs'],
  },
  {
    name: 'bn-eps-outside-sqrt',
    what: 'batch norm scales by 1 / (sqrt(var) + eps) instead of 1 / sqrt(var + eps)',
    file: 'cpp/src/batch_norm.cpp',
    find: 'std::sqrt(stats[ch].var + a.eps)',
    replace: '(std::sqrt(stats[ch].var) + a.eps)',
    owners: ['native', 'node', 'browser', 'fuzz'],
    browser: ['tests/browser/widget.test.mjs'],
  },
  {
    name: 'group-affine-from-next-group',
    what: "group and instance norm take gamma and beta from the next group's channels",
    file: 'cpp/src/sample_norms.cpp',
    find: 'const int64_t first_channel = (set % groups) * per_group;',
    replace: 'const int64_t first_channel = ((set + 1) % groups) * per_group;',
    // The widget's figures use gamma = 1 and beta = 0, where this bug changes nothing shown.
    owners: ['native', 'node', 'fuzz'],
  },
  {
    name: 'rms-centres-the-data',
    what: 'RMS norm subtracts the mean before dividing by the root mean square',
    file: 'cpp/src/rms_norm.cpp',
    find: 'len, {0.f, 0.f}, static_cast<float>(1.0 / rms)',
    replace: 'len, split_mean(set_moments({x, 1, len, len}).mean), static_cast<float>(1.0 / rms)',
    owners: ['native', 'node', 'browser', 'fuzz'],
    browser: ['tests/browser/family.test.mjs'],
  },
  {
    name: 'backward-drops-mean-of-g',
    what: 'the backward pass of every centred norm forgets the mean(dy * gamma) term of dx',
    file: 'cpp/src/backward.cpp',
    find: 'const double dx = inv * (g - mean_g - xhat * mean_gx);',
    replace: 'const double dx = inv * (g - xhat * mean_gx);',
    owners: ['native', 'node'],
  },
  {
    name: 'backward-dgamma-not-normalised',
    what: 'dgamma sums dy * (x - mean) instead of dy * xhat',
    file: 'cpp/src/backward.cpp',
    find: 'p.dgamma[gi] += d * xhat;',
    replace: 'p.dgamma[gi] += d * (p.x[base + i] - mean);',
    owners: ['native', 'node'],
  },
  {
    name: 'bn-backward-inference-ignores-gamma',
    what: 'batch norm backward in inference mode leaves gamma out of dx',
    file: 'cpp/src/backward.cpp',
    find: 'const double scale = inv * (a.gamma.data ? a.gamma.data[ch] : 1.0);',
    replace: 'const double scale = inv;',
    owners: ['native', 'node'],
  },
  {
    name: 'group-backward-gamma-from-next-group',
    what: "group and instance norm backward take gamma from the next group's channels",
    file: 'cpp/src/backward.cpp',
    find: '(set % groups) * (sh.c / groups)',
    replace: '((set + 1) % groups) * (sh.c / groups)',
    owners: ['native', 'node'],
  },
  {
    name: 'sgd-momentum-dampened',
    what: 'the trainer dampens SGD momentum: v = mu v + (1 - mu) g instead of mu v + g',
    file: 'cpp/src/network.cpp',
    find: 'velocity_[i] = mu * velocity_[i] + grads_[i];',
    replace: 'velocity_[i] = mu * velocity_[i] + (1 - mu) * grads_[i];',
    owners: ['native', 'node'],
  },
  {
    name: 'loss-gradient-not-averaged',
    what: 'the cross-entropy gradient is summed over the batch, not averaged',
    file: 'cpp/src/network.cpp',
    find: 'static_cast<float>((p - (j == label ? 1.0 : 0.0)) / n)',
    replace: 'static_cast<float>(p - (j == label ? 1.0 : 0.0))',
    owners: ['native', 'node'],
  },
  {
    name: 'network-running-stats-frozen',
    what: "the network's batch norm layers never update their running statistics",
    file: 'cpp/src/network.cpp',
    find: 'if (training && update_running) {',
    replace: 'if (false && update_running) {',
    owners: ['native', 'node'],
  },
  {
    name: 'loader-results-one-short',
    what: 'the loader returns every new array one element short',
    file: 'web/src/core/heap-frame.js',
    find: 'if (!target) return heap.slice(start, start + length);',
    replace: 'if (!target) return heap.slice(start, start + length - 1);',
    owners: ['node'],
  },
  {
    name: 'loader-out-copy-one-short',
    what: 'the loader fills caller-owned out arrays of more than 64 values one element short',
    file: 'web/src/core/heap-frame.js',
    find: 'copyInto(target, heap.subarray(start, start + length));',
    replace: 'copyInto(target, heap.subarray(start, start + length - 1));',
    owners: ['node'],
  },
  {
    name: 'loader-returns-views',
    what: "the loader returns views into the core's memory instead of copies",
    file: 'web/src/core/heap-frame.js',
    find: 'if (!target) return heap.slice(start, start + length);',
    replace: 'if (!target) return heap.subarray(start, start + length);',
    owners: ['node'],
  },
];
