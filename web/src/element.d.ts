// Types of the package's `./element` entry (web/src/element.js): the custom elements it defines.

export type NormId = 'batch' | 'layer' | 'instance' | 'group' | 'rms';
export type WidgetDistribution = 'normal' | 'lognormal' | 'bimodal' | 'student-t';
export type WidgetStage = 'raw' | 'centred' | 'scaled' | 'shifted';

/** The whole state of a <norm-widget>: the detail of its change event and its `state` property. */
export interface NormWidgetState {
  norm: NormId;
  distribution: WidgetDistribution;
  batchSize: number;
  channels: number;
  /** Group norm's G (1 for the other norms). */
  groups: number;
  seed: number;
  /** γ of each channel. */
  gamma: number[];
  /** β of each channel. */
  beta: number[];
  eps: number;
  momentum: number;
  mode: 'training' | 'inference';
  stage: WidgetStage;
  playing: boolean;
  /** Training steps since the last reset. */
  step: number;
}

/** <norm-widget>: an interactive figure of one normalisation. Properties mirror attributes. */
export declare class NormWidget extends HTMLElement {
  /** Attribute `norm`. */
  norm: NormId;
  /** Attribute `distribution`. */
  distribution: WidgetDistribution;
  /** Attribute `batch-size`. */
  batchSize: number;
  /** Attribute `channels`. */
  channels: number;
  /** Attribute `seed`. */
  seed: number;
  /** Attribute `autoplay`. */
  autoplay: boolean;
  /** Attribute `keep-url`: leave the page's URL fragment alone. */
  keepUrl: boolean;
  /** The whole state; null until the core has loaded. */
  readonly state: NormWidgetState | null;
  play(): void;
  pause(): void;
}

/** <norm-compare>: the five normalisations side by side on one batch. */
export declare class NormCompare extends HTMLElement {}

declare global {
  interface HTMLElementTagNameMap {
    'norm-widget': NormWidget;
    'norm-compare': NormCompare;
  }
  interface HTMLElementEventMap {
    'norm-widget-change': CustomEvent<NormWidgetState>;
  }
}
