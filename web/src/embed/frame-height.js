// Inside an <iframe>, tells the parent how tall the page's content is, so the host can size the
// frame to fit. Message (to any origin: a height is not a secret):
//   { type: 'norm-glossary:height', height: <whole CSS pixels>, page: <location.pathname> }
// posted once on load and again whenever the height changes.
export const HEIGHT_MESSAGE_TYPE = 'norm-glossary:height';

export function postHeightToParent(win = window) {
  if (win.parent === win) return;
  const doc = win.document;
  let last = -1;
  const send = () => {
    const height = Math.ceil(doc.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    win.parent.postMessage({ type: HEIGHT_MESSAGE_TYPE, height, page: win.location.pathname }, '*');
  };
  new win.ResizeObserver(send).observe(doc.documentElement);
  send();
}
