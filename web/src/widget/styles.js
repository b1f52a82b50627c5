// The widget's look: widget.css, imported as text and made into one constructable stylesheet that
// each shadow root adopts, so nothing needs a <style> element or a style attribute (the pages' CSP
// allows neither). widget.css lists the custom properties a host page may set to restyle it.
import css from './widget.css?inline';

let sheet = null;

/** The shared stylesheet (created on first use, so importing this module costs nothing). */
export function widgetStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}
