// The one module script every generated page loads: the widget, which defines <norm-widget> and
// hydrates the elements already in the static HTML (everything else works without JavaScript);
// the comparison element and the training lab, each fetched only by pages that have one; and, when the page is framed,
// height reports to the host.
import './widget/index.js';
import { postHeightToParent } from './embed/frame-height.js';

if (document.querySelector('norm-compare')) import('./compare/index.js');
if (document.querySelector('norm-lab')) import('./lab/index.js');
if (document.querySelector('norm-coupling')) import('./figures/coupling.js');
if (document.querySelector('norm-small-batches')) import('./figures/small-batches.js');
if (document.querySelector('norm-sync-batch-norm')) import('./figures/sync-batch-norm.js');
if (document.querySelector('norm-inference')) import('./figures/inference.js');
if (document.querySelector('norm-running-statistics')) import('./figures/running-statistics.js');
if (document.querySelector('norm-batch-of-one')) import('./figures/batch-of-one.js');
if (document.querySelector('norm-contrast')) import('./figures/contrast.js');
if (document.querySelector('norm-groups')) import('./figures/groups.js');
if (document.querySelector('norm-rms-shift')) import('./figures/rms-shift.js');
postHeightToParent();
