// The lab's stylesheet (lab.css), built once and adopted by every lab's shadow root.
import theme from '../theme.css?inline';
import css from './lab.css?inline';

let sheet;
export function labStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(theme + css); // the shared palette first, then the element's own rules
  }
  return sheet;
}
