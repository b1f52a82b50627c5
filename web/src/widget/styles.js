// The widget's look: widget.css, imported as text and made into one constructable stylesheet that
// each shadow root adopts, so nothing needs a <style> element or a style attribute (the pages' CSP
// allows neither). web/src/theme.css lists the custom properties a host page may set to restyle it.
import theme from '../theme.css?inline';
import css from './widget.css?inline';

let sheet = null;

/** The shared stylesheet (created on first use, so importing this module costs nothing). */
export function widgetStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(theme + css); // the shared palette first, then the element's own rules
  }
  return sheet;
}
