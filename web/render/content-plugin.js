// Vite plugin: turns web/content/*.md into the site's HTML pages.
//
// Usage (see vite.config.js at the repo root):
//   contentPlugin({ contentDir, templateFile })
//
// Content format (web/content/<slug>.md):
//   - a front matter block (title, slug, aka, summary, related, norm), see front-matter.js;
//   - a Markdown body; raw HTML is disabled, so content is inert text whatever it holds;
//   - directive lines, the only route to richer markup (see directives.js):
//       ::: widget          -> <norm-widget norm="<front matter norm>" id="<slug>-widget"> (the
//                              norm's slug in web/src/norms.js: bn, ln, …) with a fallback
//                              paragraph inside; `::: widget norm=layer id=x` overrides
//       ::: math <name>     -> the MathML in web/content/math/<name>.html
//       ::: compare         -> <norm-compare>, the side-by-side comparison of all five norms
//       ::: figure <name>   -> a figure inside the prose, e.g. coupling -> <norm-coupling>
//
// Pages: <slug>.html for every entry, index.html (the landing page) and
// entries.html (the list). They are virtual: nothing is written into web/. In a
// build they are Rolldown inputs served by resolveId/load, so Vite's HTML
// pipeline bundles their <script>/<link> as for files on disk; in dev a
// middleware renders them per request and reloads the browser when content changes.
//
// Built pages carry a Content-Security-Policy <meta> so that anything the
// policy forbids (inline script or style, foreign origins, eval) shows up at
// once in the browser tests. Dev pages do not, because Vite's dev client
// injects <style> elements for CSS imported from JavaScript.

import path from 'node:path';
import { renderSite, pageNames } from './site.js';

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

export function contentPlugin({ contentDir, templateFile, csp = STRICT_CSP }) {
  let root = process.cwd();
  let isBuild = false;
  const render = () => renderSite({ contentDir, templateFile, csp: isBuild ? csp : '' });
  const pageOf = (id) => {
    const rel = path.relative(root, id);
    return !rel.includes(path.sep) && pageNames(contentDir).includes(rel) ? rel : null;
  };

  return {
    name: 'glossary-content',
    enforce: 'pre',

    // One Rolldown input per page, so a new .md file becomes a page with no config change.
    config(userConfig) {
      const pagesRoot = path.resolve(userConfig.root ?? process.cwd());
      const input = Object.fromEntries(
        pageNames(contentDir).map((name) => [
          name.replace(/\.html$/, ''),
          path.join(pagesRoot, name),
        ]),
      );
      return { build: { rolldownOptions: { input } } };
    },

    configResolved(config) {
      root = config.root;
      isBuild = config.command === 'build';
    },

    resolveId(id) {
      return pageOf(id) ? id : null;
    },

    load(id) {
      const name = pageOf(id);
      if (!name) return null;
      const { pages, sources } = render();
      for (const file of sources) this.addWatchFile(file);
      return pages.get(name);
    },

    configureServer(server) {
      const isSource = (file) =>
        file === templateFile || path.relative(contentDir, file).split(path.sep)[0] !== '..';
      server.watcher.add([contentDir, templateFile]);
      server.watcher.on('all', (_event, file) => {
        if (isSource(file)) server.ws.send({ type: 'full-reload' });
      });

      server.middlewares.use(async (req, res, next) => {
        try {
          const { pathname } = new URL(req.url, 'http://dev.invalid');
          const name = pathname === '/' ? 'index.html' : pathname.slice(1);
          if (name.includes('/') || !pageNames(contentDir).includes(name)) return next();
          const html = await server.transformIndexHtml(
            req.url,
            render().pages.get(name),
            req.originalUrl,
          );
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          res.end(html);
        } catch (error) {
          next(error);
        }
      });
    },
  };
}
