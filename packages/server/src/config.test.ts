// CENTRALINO_LIVE: unset means "auto" (the demo runs live, other databases do
// not: main.ts decides), and a typo is refused at start rather than ignored.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('CENTRALINO_LIVE', () => {
  it.each([
    [undefined, 'auto'],
    ['', 'auto'],
    ['auto', 'auto'],
    ['off', 'off'],
    ['simulated', 'simulated'],
  ])('%s → %s', (raw, expected) => {
    expect(loadConfig(raw === undefined ? {} : { CENTRALINO_LIVE: raw }).live).toBe(expected);
  });

  it('refuses another value, naming the accepted ones', () => {
    expect(() => loadConfig({ CENTRALINO_LIVE: 'on' })).toThrow(ConfigError);
    expect(() => loadConfig({ CENTRALINO_LIVE: 'on' })).toThrow(/auto, off or simulated/);
  });

  it('runs the simulated center 10× faster than real time unless told otherwise', () => {
    expect(loadConfig({}).liveSpeed).toBe(10);
    expect(loadConfig({ CENTRALINO_LIVE_SPEED: '60' }).liveSpeed).toBe(60);
  });
});
