// The animation loop: tweens the array on screen from where it is to a new target over a fixed
// time (requestAnimationFrame), and while playing calls a tick function at a fixed interval.
// Interpolation is the only arithmetic on data here; the arrays themselves come from the core.

const ease = (t) => (t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2);

export class Animator {
  /**
   * @param {{ render: (values: Float32Array, frame: boolean) => void, reducedMotion: () => boolean }} hooks
   *   render is called with the values to draw; `frame` is true when called from an animation frame.
   */
  constructor({ render, reducedMotion }) {
    this.render = render;
    this.reducedMotion = reducedMotion;
    this.displayed = null;
    this.from = null;
    this.to = null;
    this.start = 0;
    this.duration = 0;
    this.tick = null;
    this.interval = 0;
    this.lastTick = 0;
    this.raf = 0;
    this.dirty = false;
  }

  get playing() {
    return this.tick !== null;
  }

  get moving() {
    return this.to !== null;
  }

  /** Shows `target` at once. */
  jumpTo(target) {
    this.to = null;
    this.displayed = Float32Array.from(target);
    this.render(this.displayed, false);
  }

  /** Moves the values on screen to `target` over `ms` (at once if the reader prefers reduced motion). */
  tweenTo(target, ms) {
    if (
      !this.displayed ||
      this.displayed.length !== target.length ||
      ms <= 0 ||
      this.reducedMotion()
    ) {
      this.to = null;
      this.displayed = Float32Array.from(target);
      if (this.playing)
        this.dirty = true; // drawn by the next frame of the loop
      else this.render(this.displayed, false);
      return;
    }
    this.from = Float32Array.from(this.displayed);
    this.to = target;
    this.start = performance.now();
    this.duration = ms;
    this.#schedule();
  }

  /** Calls `tick` every `interval` ms until pause(). */
  play(tick, interval) {
    this.tick = tick;
    this.interval = interval;
    this.lastTick = performance.now();
    this.#schedule();
  }

  pause() {
    this.tick = null;
  }

  /** Stops everything (element disconnected). */
  stop() {
    this.tick = null;
    this.to = null;
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  #schedule() {
    if (!this.raf) this.raf = requestAnimationFrame((now) => this.#frame(now));
  }

  #frame(now) {
    this.raf = 0;
    if (this.tick && now - this.lastTick >= this.interval) {
      this.lastTick = now;
      this.tick(); // usually calls tweenTo with the next batch
    }
    if (this.to) {
      const t = Math.min(1, Math.max(0, (now - this.start) / this.duration));
      const k = ease(t);
      const { from, to, displayed } = this;
      for (let i = 0; i < displayed.length; i++) displayed[i] = from[i] + (to[i] - from[i]) * k;
      if (t >= 1) {
        displayed.set(to);
        this.to = null;
      }
      this.render(displayed, true);
    } else if (this.dirty) {
      this.render(this.displayed, true);
    }
    this.dirty = false;
    if (this.to || this.tick) this.#schedule();
  }
}
