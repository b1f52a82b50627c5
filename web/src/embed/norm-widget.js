// The embed bundle's entry: one ES module that defines <norm-widget>. A host page needs only
//   <script type="module" src=".../embed/norm-widget.js"></script>
//   <norm-widget norm="batch"></norm-widget>
// The WebAssembly files it loads sit beside it and are fetched when a widget nears the viewport.
import '../widget/index.js';
