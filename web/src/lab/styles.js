// The lab's stylesheet (lab.css), built once and adopted by every lab's shadow root.
import css from './lab.css?inline';

let sheet;
export function labStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}
