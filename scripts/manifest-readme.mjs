// The README's element reference, made from custom-elements.json: attributes with the properties
// that mirror them, other properties and methods, events with their detail, CSS custom
// properties. `node scripts/manifest-readme.mjs` rewrites the part of README.md between the
// markers; `--check` fails when it is out of date (./build.sh test runs that).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const START = '<!-- element reference: generated from custom-elements.json -->';
const END = '<!-- end of element reference -->';

const cell = (text = '') => String(text).replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
const code = (text) => (text ? `\`${cell(text)}\`` : '');

function table(head, rows) {
  if (rows.length === 0) return [];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
}

export function reference(manifest) {
  const lines = [];
  for (const module of manifest.modules) {
    for (const element of module.declarations ?? []) {
      if (!element.customElement) continue;
      const members = element.members ?? [];
      const mirrored = new Set((element.attributes ?? []).map((a) => a.fieldName).filter(Boolean));
      lines.push(`#### \`<${element.tagName}>\``, '', cell(element.summary), '');
      lines.push(
        ...table(
          ['attribute', 'property', 'type', 'meaning'],
          (element.attributes ?? []).map((a) => [
            code(a.name),
            code(a.fieldName),
            code(a.type?.text),
            cell(a.description),
          ]),
        ),
      );
      lines.push(
        ...table(
          ['property or method', 'type', 'meaning'],
          members
            .filter((m) => !mirrored.has(m.name))
            .map((m) => [
              code(m.kind === 'method' ? `${m.name}()` : m.name),
              code(m.type?.text),
              cell(`${m.readonly ? 'Read-only. ' : ''}${m.description}`),
            ]),
        ),
      );
      lines.push(
        ...table(
          ['event', 'type', 'when'],
          (element.events ?? []).map((e) => [
            code(e.name),
            code(e.type?.text),
            cell(e.description),
          ]),
        ),
      );
      lines.push(
        ...table(
          ['CSS custom property', 'what it colours'],
          (element.cssProperties ?? []).map((p) => [code(p.name), cell(p.description)]),
        ),
      );
      if (!(element.slots ?? []).length)
        lines.push('No slots: the element renders its own content.', '');
    }
  }
  return lines.join('\n');
}

const readmePath = `${repo}README.md`;
const readme = readFileSync(readmePath, 'utf8');
const manifest = JSON.parse(readFileSync(`${repo}custom-elements.json`, 'utf8'));
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) {
  console.error(`manifest-readme: README.md has no "${START}" … "${END}" markers`);
  process.exit(1);
}
const next = `${readme.slice(0, start + START.length)}\n\n${reference(manifest)}${readme.slice(end)}`;
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error(
      'README.md element reference differs from custom-elements.json: run node scripts/manifest-readme.mjs',
    );
    process.exit(1);
  }
  console.log('README.md element reference matches custom-elements.json');
} else {
  writeFileSync(readmePath, next);
}
