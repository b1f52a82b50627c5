// The lab's embed entry: dist/embed/norm-lab.js defines <norm-lab>. A host page needs only
//   <script type="module" src=".../embed/norm-lab.js"></script>
//   <norm-lab preset="tiny-batches"></norm-lab>
// Its worker and the .wasm files sit beside it and load when the lab nears the viewport.
import '../lab/index.js';
