// Defines <norm-widget>. Only the element itself loads with the page; the core, Chart.js and the
// charts follow when a widget comes near the viewport (element.js).
import { NormWidget } from './element.js';

if (!customElements.get('norm-widget')) customElements.define('norm-widget', NormWidget);

export { NormWidget };
