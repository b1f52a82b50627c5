// @custom-elements-manifest/analyzer: custom-elements.json from the JSDoc of the element classes.
// `npm run manifest` rewrites it; ./build.sh test regenerates it into build-manifest/ and fails
// when the committed file differs.

// The manifest is the elements' public surface: private fields and undocumented helpers (and
// `adoptedStyleSheets`, which the analyzer mistakes for a field) are left out, and each attribute
// names the property that mirrors it (batch-size -> batchSize) where there is one.
function publicSurfaceOnly() {
  return {
    name: 'public-surface-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (!declaration.members) continue;
          declaration.members = declaration.members.filter(
            (member) =>
              member.privacy !== 'private' &&
              !member.name.startsWith('#') &&
              Boolean(member.description),
          );
          const fields = new Set(declaration.members.map((member) => member.name));
          for (const attribute of declaration.attributes ?? []) {
            const camel = attribute.name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
            if (fields.has(camel)) attribute.fieldName = camel;
          }
        }
      }
    },
  };
}

export default {
  globs: ['web/src/widget/element.js', 'web/src/compare/compare-element.js', 'web/src/element.js'],
  outdir: '.',
  // package.json names the manifest itself; the analyzer would rewrite it to any --outdir.
  packagejson: false,
  plugins: [publicSurfaceOnly()],
};
