// The package as a consumer gets it, offline: `npm pack` the repository (after ./build.sh), install
// the tarball into a scratch project, then (1) build a page that imports `<package>/element` with
// the repository's own Vite, serve the result and watch <norm-widget> become ready in Chromium with
// its .wasm fetched from the consumer's output, and (2) import `<package>/core` from Node there and
// compute a batch norm.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import { REPO, launchBrowser, openPage, serveStatic, waitForWidget } from '../browser/harness.mjs';

const run = promisify(execFile);
const NAME = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')).name;
const VITE = path.join(REPO, 'node_modules/vite/bin/vite.js');
// TypeScript comes with @custom-elements-manifest/analyzer (it parses the sources with it).
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');

let scratch, app, tarball;
before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'norm-consumer-'));
  // prepack refuses a tree without the built .wasm files and embed bundle.
  const { stdout } = await run('npm', ['pack', '--pack-destination', scratch], { cwd: REPO });
  tarball = path.join(scratch, stdout.trim().split('\n').at(-1));
  app = path.join(scratch, 'app');
  await mkdir(app);
  await writeFile(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'consumer-app',
      private: true,
      type: 'module',
      // The package's one dependency, linked from the repository's node_modules: no network.
      dependencies: { 'chart.js': `file:${path.join(REPO, 'node_modules/chart.js')}` },
    }),
  );
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: app });
});
after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the loader, the elements, both .wasm files, types, manifest and licence, and no tests', async () => {
    const installed = path.join(app, 'node_modules', NAME);
    for (const file of [
      'web/src/core/index.js',
      'web/src/core/index.d.ts',
      'web/src/core/wasm/core-simd.wasm',
      'web/src/core/wasm/core-scalar.wasm',
      'web/src/element.js',
      'web/src/element.d.ts',
      'dist/embed/norm-widget.js',
      'custom-elements.json',
      'LICENSE',
    ]) {
      assert.ok(existsSync(path.join(installed, file)), `${file} missing from the tarball`);
    }
    const top = await readdir(installed);
    for (const unwanted of [
      'tests',
      'cpp',
      'build-native',
      'build-wasm',
      'node_modules',
      'bench',
    ]) {
      assert.ok(!top.includes(unwanted), `${unwanted}/ should not be in the tarball`);
    }
  });

  it('computes a batch norm from Node through `<package>/core`', async () => {
    const script = path.join(app, 'batch-norm.mjs');
    await writeFile(
      script,
      `import { loadNormCore } from '${NAME}/core';
const core = await loadNormCore();
const r = core.batchNorm([1, 10, 3, 20], { n: 2, c: 2, s: 1 }, { eps: 0 });
console.log(JSON.stringify({ y: Array.from(r.y), mean: Array.from(r.mean), simd: core.simd }));
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: app });
    const { y, mean } = JSON.parse(stdout);
    // Channel 0 holds 1 and 3 (mean 2, std 1), channel 1 holds 10 and 20 (mean 15, std 5).
    assert.deepEqual(mean, [2, 15]);
    y.forEach((v, i) => assert.ok(Math.abs(v - [-1, -1, 1, 1][i]) < 1e-6, `y[${i}] = ${v}`));
  });

  it('types the core and the elements for a TypeScript consumer, through the exports map', async () => {
    await writeFile(
      path.join(app, 'use.ts'),
      `import { loadNormCore } from '${NAME}/core';
import type { NormWidgetState } from '${NAME}/element';
const widget = document.querySelector('norm-widget'); // NormWidget, from HTMLElementTagNameMap
if (widget) widget.batchSize = 12;
const state: NormWidgetState | null = widget ? widget.state : null;
widget?.addEventListener('norm-widget-change', (e) => e.detail.groups + (state?.seed ?? 0));
loadNormCore().then((core) => core.batchNorm([1, 2], { n: 2, c: 1 }).y.length);
// @ts-expect-error: an unknown norm is not a NormWidget['norm']
if (widget) widget.norm = 'weight';
`,
    );
    const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext'];
    args.push('--moduleResolution', 'bundler', '--lib', 'esnext,dom', 'use.ts');
    await run(process.execPath, [TSC, ...args], { cwd: app });
  });

  it('gives a Vite build whose <norm-widget> becomes ready in Chromium, .wasm from its own output', async (t) => {
    await writeFile(
      path.join(app, 'index.html'),
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Consumer</title></head>
<body><norm-widget norm="layer" batch-size="3"></norm-widget>
<script type="module" src="./main.js"></script></body></html>
`,
    );
    await writeFile(path.join(app, 'main.js'), `import '${NAME}/element';\n`);
    const start = Date.now();
    await run(process.execPath, [VITE, 'build', '--logLevel', 'warn'], { cwd: app });
    t.diagnostic(`vite build of the consumer: ${Date.now() - start} ms`);
    const out = path.join(app, 'dist');
    const emitted = (await readdir(path.join(out, 'assets'))).filter((f) => f.endsWith('.wasm'));
    assert.equal(emitted.length, 2, `expected both .wasm files emitted, got ${emitted}`);

    const server = await serveStatic(out);
    const browser = await launchBrowser();
    try {
      const p = await openPage(browser, server.origin, '/');
      const widget = await waitForWidget(p.page);
      assert.equal(await widget.getAttribute('norm'), 'layer');
      const wasm = p.requests.filter((url) => url.endsWith('.wasm'));
      assert.equal(wasm.length, 1, `one .wasm fetched, got ${wasm}`);
      assert.ok(wasm[0].startsWith(`${server.origin}/assets/`), wasm[0]);
      assert.ok(emitted.includes(path.basename(new URL(wasm[0]).pathname)));
      assert.deepEqual(p.foreign(), []);
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
