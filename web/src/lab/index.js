// Defines <norm-lab> (once, however many times this module is imported).
import { NormLab } from './element.js';

if (!customElements.get('norm-lab')) customElements.define('norm-lab', NormLab);
