// The presets as the lab shows them: id, button label, the one line of what to look for, and the
// settings the button puts into the controls. The presets themselves (and their claims) live in
// presets.js, next to the test that holds each claim.
import { PRESETS } from './presets.js';

/**
 * @returns {{ id: string, label: string, lookFor: string, settings: object }[]} settings include
 *   evalBatch where the preset compares batch norm's two modes (Forgot eval mode)
 */
export function presetList() {
  return PRESETS.map((p) => ({
    id: p.id,
    label: p.label,
    lookFor: p.lookFor,
    settings: p.evalBatch ? { ...p.settings, evalBatch: p.evalBatch } : p.settings,
  }));
}

export function findPreset(id) {
  return presetList().find((p) => p.id === id) ?? null;
}
