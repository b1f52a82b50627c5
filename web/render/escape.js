// HTML escaping for text and double-quoted attribute values. Every value that
// comes from a content file (front matter, directive arguments) passes through
// here before it reaches a page, because content is treated as untrusted.

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}
