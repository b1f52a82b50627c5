// The one module script every generated page loads: the widget, which defines <norm-widget> and
// hydrates the elements already in the static HTML (everything else works without JavaScript),
// and, when the page is framed, its height reports to the host.
import './widget/index.js';
import './compare/index.js';
import { postHeightToParent } from './embed/frame-height.js';

postHeightToParent();
