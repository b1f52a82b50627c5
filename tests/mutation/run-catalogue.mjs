// Applies each mutant of catalogue.mjs, one at a time, to a scratch copy of the tree
// (build-mutate/tree/), rebuilds what it touches, runs the fast suites and prints which caught
// it. An unmutated run comes first: every suite must pass there, or a "caught" below means
// nothing. Exits non-zero when a mutant escapes a suite that owns it.
//   node tests/mutation/run-catalogue.mjs [--only name,name] [--fuzz-seconds 30] [--reuse-tree]
// --reuse-tree keeps build-mutate/tree and its builds from an earlier run: files that differ from
// the repository are written again (so incremental builds see them) and the unmutated run is
// repeated only with --baseline.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { MUTANTS } from './catalogue.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const WORK = path.join(REPO, 'build-mutate');
const TREE = path.join(WORK, 'tree');
const LOGS = path.join(WORK, 'logs');
const SUITES = ['native', 'node', 'browser', 'fuzz'];
// The browser tests that hold what the figures show against the float64 reference.
const BROWSER_TESTS = [
  'tests/browser/widget.test.mjs',
  'tests/browser/family.test.mjs',
  'tests/browser/compare.test.mjs',
];

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const only = option('only', '').split(',').filter(Boolean);
const fuzzSeconds = Number(option('fuzz-seconds', '30'));
const reuse = args.includes('--reuse-tree') && existsSync(path.join(TREE, 'build-native'));
const baseline = !reuse || args.includes('--baseline');
for (const name of only) {
  if (!MUTANTS.some((m) => m.name === name)) throw new Error(`--only: no mutant named ${name}`);
}

function run(label, command, commandArgs, { env = {}, timeoutMs = 20 * 60_000 } = {}) {
  const started = Date.now();
  const r = spawnSync(command, commandArgs, {
    cwd: TREE,
    env: { ...process.env, NODE_PATH: '/usr/share/nodejs', ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  writeFileSync(path.join(LOGS, `${label}.log`), output);
  return {
    ok: r.status === 0,
    timedOut: r.error?.code === 'ETIMEDOUT',
    output,
    seconds: (Date.now() - started) / 1000,
  };
}

function mustRun(label, command, commandArgs, options) {
  const r = run(label, command, commandArgs, options);
  if (!r.ok) {
    process.stderr.write(r.output.slice(-4000));
    throw new Error(`${label}: ${command} ${commandArgs.join(' ')} failed (log in ${LOGS})`);
  }
  return r;
}

// A fresh copy of the tracked and unignored files (the tree as it stands, edits included).
function makeTree() {
  rmSync(TREE, { recursive: true, force: true });
  mkdirSync(TREE, { recursive: true });
  mkdirSync(LOGS, { recursive: true });
  const files = spawnSync('git', ['ls-files', '-z', '-co', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'buffer',
  }).stdout;
  const tar = spawnSync('tar', ['--null', '-T', '-', '-cf', '-'], {
    cwd: REPO,
    input: files,
    maxBuffer: 1 << 30,
  });
  spawnSync('tar', ['-xf', '-'], { cwd: TREE, input: tar.stdout, maxBuffer: 1 << 30 });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(TREE, 'node_modules'));
  // The fuzzer starts from the committed seeds plus what earlier local runs found.
  mkdirSync(path.join(TREE, 'fuzz/corpus-run'), { recursive: true });
  for (const dir of ['fuzz/corpus', 'fuzz/corpus-run']) {
    if (existsSync(path.join(REPO, dir))) {
      spawnSync('sh', [
        '-c',
        `cp ${path.join(REPO, dir)}/* ${path.join(TREE, 'fuzz/corpus-run')}/`,
      ]);
    }
  }
}

// Brings an existing scratch tree back to the repository's files, rewriting only those that
// differ (an unchanged file keeps its time stamp, so the builds stay incremental).
function syncTree() {
  mkdirSync(LOGS, { recursive: true });
  const files = spawnSync('git', ['ls-files', '-z', '-co', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .stdout.split('\0')
    .filter(Boolean);
  let rewritten = 0;
  for (const file of files) {
    const source = path.join(REPO, file),
      target = path.join(TREE, file);
    if (!existsSync(source)) continue;
    const content = readFileSync(source);
    if (existsSync(target) && content.equals(readFileSync(target))) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    rewritten++;
  }
  console.log(`Reusing the scratch tree: ${rewritten} file(s) brought up to date`);
}

// Rebuilds what the suites need after a change to `file` (null: everything).
function build(label, file, suites = SUITES) {
  const cpp = file === null || file.startsWith('cpp/');
  const wasm = cpp && (suites.includes('node') || suites.includes('browser'));
  if (cpp && suites.includes('native'))
    mustRun(`${label}-build-native`, 'cmake', ['--build', 'build-native', '-j2']);
  if (wasm) mustRun(`${label}-build-wasm`, 'cmake', ['--build', 'build-wasm', '-j2']);
  if (cpp && suites.includes('fuzz'))
    mustRun(`${label}-build-fuzz`, 'cmake', ['--build', 'build-fuzz', '-j2']);
  if (suites.includes('browser'))
    mustRun(`${label}-build-site`, 'npx', ['vite', 'build', '--logLevel', 'warn']);
}

function configure() {
  const cmake = (dir, extra) =>
    mustRun(`configure-${dir}`, 'cmake', ['-S', '.', '-B', dir, ...extra]);
  cmake('build-native', ['-DCMAKE_BUILD_TYPE=RelWithDebInfo']);
  mustRun('configure-build-wasm', 'emcmake', [
    'cmake',
    '-S',
    '.',
    '-B',
    'build-wasm',
    '-DCMAKE_BUILD_TYPE=Release',
  ]);
  cmake('build-fuzz', [
    '-DCMAKE_CXX_COMPILER=clang++-14',
    '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
    '-DNORMCORE_SANITIZE=ON',
    '-DNORMCORE_FUZZ=ON',
    '-DNORMCORE_TESTS=OFF',
  ]);
}

// node:test's summary line "# fail N" (TAP) or "ℹ fail N" (spec).
const failCount = (output) => Number(/^(?:#|ℹ) fail (\d+)$/m.exec(output)?.[1] ?? NaN);
const testCount = (output) => Number(/^(?:#|ℹ) tests (\d+)$/m.exec(output)?.[1] ?? NaN);

function runSuite(label, suite, mutant) {
  switch (suite) {
    case 'native': {
      const r = run(`${label}-native`, 'ctest', [
        '--test-dir',
        'build-native',
        '-j2',
        '--timeout',
        '300',
        '--no-tests=error',
      ]);
      const failed = /(\d+) tests failed out of (\d+)/.exec(r.output);
      return { caught: !r.ok, detail: failed ? `${failed[1]}/${failed[2]}` : '' };
    }
    case 'node':
    case 'browser': {
      const files =
        suite === 'node' ? (mutant?.node ?? ['tests/node/']) : (mutant?.browser ?? BROWSER_TESTS);
      const r = run(`${label}-${suite}`, 'node', [
        '--test',
        '--test-timeout=600000',
        '--test-concurrency=1',
        ...files,
      ]);
      const fails = failCount(r.output),
        tests = testCount(r.output);
      if (!(tests > 0)) return { caught: !r.ok, detail: 'no test summary', broken: true };
      return { caught: !r.ok, detail: `${fails}/${tests}` };
    }
    case 'fuzz': {
      const r = run(`${label}-fuzz`, 'build-fuzz/normcore_fuzzer', [
        `-max_total_time=${fuzzSeconds}`,
        '-timeout=10',
        '-seed=1',
        `-artifact_prefix=${path.join(WORK, `${label}-`)}`,
        'fuzz/corpus-run',
      ]);
      const what = /INVARIANT VIOLATED: .*\n\s+(.*)/.exec(r.output);
      return { caught: !r.ok, detail: what ? what[1].slice(0, 60) : '' };
    }
  }
  throw new Error(suite);
}

function applyMutant(m) {
  const file = path.join(TREE, m.file);
  const original = readFileSync(file, 'utf8');
  const count = original.split(m.find).length - 1;
  if (count !== 1) {
    throw new Error(
      `${m.name}: the text to replace occurs ${count} times in ${m.file}, expected once`,
    );
  }
  writeFileSync(file, original.replace(m.find, m.replace));
  return () => writeFileSync(file, original);
}

// Each mutant runs the suites that own it (a suite that cannot reach the code, such as the fuzzer
// for the loader, has nothing to say), which keeps a whole run within the hour on two cores.
const suitesFor = (m) => SUITES.filter((s) => m.owners.includes(s));

function main() {
  const mutants = only.length ? MUTANTS.filter((m) => only.includes(m.name)) : MUTANTS;
  console.log(`Scratch tree: ${TREE}`);
  if (reuse) {
    syncTree();
  } else {
    makeTree();
    configure();
  }
  build('baseline', null);
  if (baseline) console.log('Unmutated tree: every suite must pass');
  for (const suite of baseline ? SUITES : []) {
    const r = runSuite('baseline', suite);
    console.log(`  ${suite}: ${r.caught || r.broken ? 'FAILED' : 'passes'} ${r.detail}`);
    if (r.caught || r.broken)
      throw new Error(`baseline ${suite} fails: see ${LOGS}/baseline-${suite}.log`);
  }

  const rows = [];
  for (const m of mutants) {
    const started = Date.now();
    const restore = applyMutant(m);
    const results = {};
    try {
      build(m.name, m.file, suitesFor(m));
      for (const suite of suitesFor(m)) results[suite] = runSuite(m.name, suite, m);
    } finally {
      restore();
    }
    const missed = m.owners.filter((s) => !results[s]?.caught);
    rows.push({ m, results, missed });
    const cells = SUITES.map((s) => `${s} ${cell(results[s])}`).join(', ');
    console.log(`${m.name}: ${cells} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  const table = [
    '| mutant | what it breaks | native | Node | browser | fuzzer |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      ({ m, results }) =>
        `| \`${m.name}\` | ${m.what} | ${SUITES.map((s) => mark(results[s], m.owners.includes(s))).join(' | ')} |`,
    ),
  ].join('\n');
  writeFileSync(path.join(WORK, 'catalogue.md'), `${table}\n`);
  console.log(`\n${table}\n`);
  console.log(
    'caught (failed/ran): failing tests of the suite; bold: a suite that owns the mutant.',
  );
  const escaped = rows.filter((r) => r.missed.length);
  for (const { m, missed } of escaped)
    console.log(`ESCAPED ${m.name}: not caught by ${missed.join(', ')}`);
  if (escaped.length) process.exit(1);
  console.log(`All ${rows.length} mutants caught by every suite that owns them.`);
}

const cell = (r) => (r ? (r.caught ? `caught ${r.detail}` : 'missed') : '-');
const mark = (r, owner) => {
  if (!r) return '–';
  const text = r.caught ? `caught${r.detail ? ` (${r.detail})` : ''}` : 'missed';
  return owner ? `**${text}**` : text;
};

main();
