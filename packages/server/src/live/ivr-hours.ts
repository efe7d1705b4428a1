// Opening-hours tests of IVR `hours` nodes, compiled once per node with the
// routing engine's own calendar (the same rules as a queue's hours).
import { type CompiledOpenHours, compileOpenHours } from '@centralino/engine';
import type { OpeningHours } from '../db/schema.ts';

const compiled = new WeakMap<OpeningHours, CompiledOpenHours>();

export function isOpenAt(hours: OpeningHours, at: number): boolean {
  let test = compiled.get(hours);
  if (test === undefined) {
    test = compileOpenHours(hours, 'hours');
    compiled.set(hours, test);
  }
  return test.isOpen(at);
}
