// The one module script every generated page loads. It only pulls in the
// widget, which defines <norm-widget> and hydrates the elements already in
// the static HTML; everything else on the page works without JavaScript.
import './widget/index.js';
