// Renders the whole site from web/content/*.md: one <slug>.html per entry,
// index.html (the landing page: the normalisation section) and entries.html (the list).
// Synchronous and cheap, so the plugin simply re-renders on every request.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderEntry } from './render-entry.js';
import { renderEntryPage, renderIndexPage } from './render-page.js';
import { renderHomePage } from './render-home.js';
import { loadMathIncludes } from './math-includes.js';

/**
 * @param {{ contentDir: string, templateFile: string, csp?: string }} options
 * @returns {{ pages: Map<string, string>, sources: string[] }} file name -> HTML, and the files read
 */
export function renderSite({ contentDir, templateFile, csp = '' }) {
  const mathDir = path.join(contentDir, 'math');
  const includes = loadMathIncludes(mathDir);
  const template = readFileSync(templateFile, 'utf8');
  const sources = [templateFile, mathDir];

  const entries = [];
  for (const file of listEntries(contentDir)) {
    const fullPath = path.join(contentDir, file);
    sources.push(fullPath);
    let entry;
    try {
      entry = renderEntry(readFileSync(fullPath, 'utf8'), { includes });
    } catch (error) {
      throw new Error(`${path.relative(process.cwd(), fullPath)}: ${error.message}`, {
        cause: error,
      });
    }
    // The file name and the slug must agree, so links by slug always find the file.
    if (`${entry.meta.slug}.md` !== file) {
      throw new Error(`${file}: slug "${entry.meta.slug}" does not match the file name`);
    }
    entries.push(entry);
  }

  const pages = new Map();
  for (const entry of entries)
    pages.set(`${entry.meta.slug}.html`, renderEntryPage(template, entry, { csp }));
  pages.set('index.html', renderHomePage(template, entries, { csp }));
  pages.set('entries.html', renderIndexPage(template, entries, { csp }));
  return { pages, sources };
}

/** The content files that become pages (names only, sorted). */
export function listEntries(contentDir) {
  return readdirSync(contentDir)
    .filter((file) => file.endsWith('.md'))
    .sort();
}

/** The page file names a build will emit, without rendering anything. */
export function pageNames(contentDir) {
  return [
    'index.html',
    'entries.html',
    ...listEntries(contentDir).map((file) => file.replace(/\.md$/, '.html')),
  ];
}
