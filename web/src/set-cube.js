// A batch of shape [N, C, S] drawn as the cube of Wu & He (2018, figure 2), in oblique projection:
// N across the front face, the S spatial positions (H, W) down it, C receding into depth. One voxel
// per value, each a <g class="voxel" data-n data-c data-s> holding its three visible faces, painted
// back to front so that nearer voxels cover farther ones. The drawing holds no colours and no style
// attributes: callers mark voxels with classes and style those (a strict CSP forbids style
// attributes). Used live by <norm-compare> and at build time by the landing page's previews.

// The cube has one size whatever the shape, so panels line up; a voxel is a share of it.
const FRONT = { width: 100, height: 64 }; // the front face: N across, H·W down
const DEPTH = { x: 40, y: -32 }; // the C edge, from the front face back to the rear face
const DEPTH_ANGLE = (Math.atan2(DEPTH.y, DEPTH.x) * 180) / Math.PI;
// Room around the cube for the three axis labels.
const VIEW = { x: -14, y: DEPTH.y - 4, width: 172, height: FRONT.height - DEPTH.y + 20 };

export const AXIS_LABELS = { n: 'N (examples)', c: 'C (channels)', s: 'H, W (positions)' };

const num = (v) => String(Math.round(v * 100) / 100);
const polygon = (points) => `M${points.map(([x, y]) => `${num(x)} ${num(y)}`).join('L')}Z`;

function checkShape(shape) {
  for (const axis of ['n', 'c', 's']) {
    const v = shape?.[axis];
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(
        `cubeSvg: shape.${axis} is ${JSON.stringify(v)}, expected a whole number of at least 1`,
      );
    }
  }
}

/** The three visible faces of the voxel of value (n, c, s), as path data. */
export function voxelFaces(shape, { n, c, s }) {
  const u = FRONT.width / shape.n;
  const v = FRONT.height / shape.s;
  const dx = DEPTH.x / shape.c;
  const dy = DEPTH.y / shape.c;
  const x = n * u + c * dx;
  const y = s * v + c * dy;
  return {
    front: polygon([
      [x, y],
      [x + u, y],
      [x + u, y + v],
      [x, y + v],
    ]),
    top: polygon([
      [x, y],
      [x + dx, y + dy],
      [x + u + dx, y + dy],
      [x + u, y],
    ]),
    side: polygon([
      [x + u, y],
      [x + u + dx, y + dy],
      [x + u + dx, y + v + dy],
      [x + u, y + v],
    ]),
  };
}

/** One path outlining the voxel of `cell`: drawn over the cube, it shows the value even inside a filled set. */
export function voxelOutline(shape, cell) {
  const { front, top, side } = voxelFaces(shape, cell);
  return front + top + side;
}

// Back to front: the rear layers (large c) first; within a layer the lower rows first (a row's top
// face lies under the row above it) and the left columns first (a column's right face lies under
// the column to its right).
function paintingOrder({ n, c, s }) {
  const order = [];
  for (let k = c - 1; k >= 0; k--)
    for (let p = s - 1; p >= 0; p--) for (let i = 0; i < n; i++) order.push({ n: i, c: k, s: p });
  return order;
}

function axisLabels() {
  const c = {
    x: FRONT.width + DEPTH.x / 2,
    y: FRONT.height + DEPTH.y / 2,
  };
  return (
    `<text class="axis-label" x="${FRONT.width / 2}" y="${FRONT.height + 11}" text-anchor="middle">${AXIS_LABELS.n}</text>` +
    `<text class="axis-label" transform="translate(${num(c.x)} ${num(c.y)}) rotate(${num(DEPTH_ANGLE)})" y="9" text-anchor="middle">${AXIS_LABELS.c}</text>` +
    `<text class="axis-label" transform="translate(-4 ${FRONT.height / 2}) rotate(-90)" text-anchor="middle">${AXIS_LABELS.s}</text>`
  );
}

/**
 * The cube of `shape` ({ n, c, s }) as SVG markup to place in an <svg>: its voxels, the focus
 * outline and (unless `labels` is false) the axis labels, in the coordinates of CUBE_BOX.
 * @param {object} options
 *   voxelClass(cell): extra classes of a voxel (e.g. 'in-set'), none by default;
 *   focus: a cell to outline (<g class="cube-focus"> of two paths, whose d a live page may move
 *   with voxelOutline);
 *   labels: whether to write the three axis labels (true).
 */
export function cubeMarkup(shape, { voxelClass = () => '', focus = null, labels = true } = {}) {
  checkShape(shape);
  const voxels = paintingOrder(shape).map((cell) => {
    const { front, top, side } = voxelFaces(shape, cell);
    const extra = voxelClass(cell);
    return (
      `<g class="voxel${extra ? ` ${extra}` : ''}" data-n="${cell.n}" data-c="${cell.c}" data-s="${cell.s}">` +
      `<path class="front" d="${front}"/><path class="top" d="${top}"/><path class="side" d="${side}"/></g>`
    );
  });
  // The outline is drawn twice, a wide halo under a narrow ring, so it stands out on any fill.
  const d = focus ? voxelOutline(shape, focus) : '';
  const outline = focus
    ? `<g class="cube-focus"><path class="halo" d="${d}"/><path class="ring" d="${d}"/></g>`
    : '';
  return voxels.join('') + outline + (labels ? axisLabels() : '');
}

/**
 * The labelled cube of `shape` as a whole <svg> string; options as cubeMarkup's, and
 * `attributes`: more attributes of the <svg> element, written as given (class, role, aria-*).
 */
export function cubeSvg(shape, { attributes = '', ...options } = {}) {
  return (
    `<svg${attributes ? ` ${attributes}` : ''} viewBox="${VIEW.x} ${VIEW.y} ${VIEW.width} ${VIEW.height}">` +
    cubeMarkup(shape, options) +
    `</svg>`
  );
}

/** The labelled drawing's box (cubeSvg's viewBox), and the bare cube's (cubeMarkup without labels). */
export const CUBE_VIEW = Object.freeze({ ...VIEW });
export const CUBE_BOX = Object.freeze({
  x: 0,
  y: DEPTH.y,
  width: FRONT.width + DEPTH.x,
  height: FRONT.height - DEPTH.y,
});
