// Bad scenarios and options are answered with one typed error naming each failing
// field; good ones come back with their defaults filled in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimulationError } from './simulate.errors.ts';
import { parseScenario } from './simulate.scenario.ts';
import { simulate } from './simulate.ts';

// Scenarios are edited freely as JSON in these tests.
// biome-ignore lint/suspicious/noExplicitAny: JSON fixtures
type Json = Record<string, any>;

const EXAMPLE = new URL('../../../../examples/simulate-scenario.json', import.meta.url);

function minimal(): Record<string, unknown> {
  return {
    intervalMinutes: 15,
    intervals: 4,
    organizations: [{ id: 'aurora' }],
    queues: [
      {
        id: 'donors',
        organization: 'aurora',
        callsPerInterval: [10, 20, 30, 40],
        handleTime: { kind: 'exponential', meanSeconds: 180 },
        patience: { kind: 'exponential', meanSeconds: 120 },
      },
    ],
    operators: [{ id: 'team', count: 5, skills: ['donors'] }],
  };
}

function issuesOf(input: unknown): { code: string; fields: string[]; message: string } {
  try {
    parseScenario(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SimulationError);
    const e = error as SimulationError;
    return { code: e.code, fields: e.issues.map((i) => i.field), message: e.message };
  }
  throw new Error('expected a SimulationError');
}

function edit(change: (s: Json) => void): Record<string, unknown> {
  const s = minimal();
  change(s as Json);
  return s;
}

describe('parseScenario', () => {
  it('fills in the defaults', () => {
    const s = parseScenario(minimal());
    expect(s.kpi).toEqual({
      thresholdSeconds: 20,
      serviceLevelDefinition: 'answered_or_abandoned_within',
      shortAbandonSeconds: 5,
      excludeShortAbandons: false,
      abandonRateIncludesShort: false,
    });
    expect(s.queues[0]!.wrapUp).toEqual({ kind: 'fixed', seconds: 0 });
    expect(s.queues[0]!.thresholdSeconds).toBe(20);
    expect(s.operators[0]!.shifts).toEqual([{ startMinutes: 0, endMinutes: 60 }]);
    expect(s.warmupIntervals).toBe(0);
    expect(s.campaigns).toEqual([]);
  });

  it('accepts the JSON text, a constant rate and bare skill names', () => {
    const s = parseScenario(JSON.stringify(edit((x) => (x.queues[0].callsPerInterval = 12))));
    expect(s.queues[0]!.callsPerInterval).toEqual([12, 12, 12, 12]);
    expect(s.operators[0]!.skills).toEqual([{ queue: 'donors', priority: 1 }]);
  });

  it('takes the horizon from callsPerInterval when intervals is left out', () => {
    const s = parseScenario(edit((x) => delete x.intervals));
    expect(s.intervals).toBe(4);
  });

  it('parses the example file shipped in examples/', () => {
    const s = parseScenario(readFileSync(EXAMPLE, 'utf8'));
    expect(s.queues.map((q) => q.organization)).toContain('lega-verde');
    expect(s.campaigns[0]!.amd).toEqual({ falsePositiveRate: 0.02 });
  });

  // Each bad input, the field the error must name, and a word of its message.
  const cases: [string, (s: Json) => void, string, string][] = [
    [
      'negative arrival rate',
      (s) => (s.queues[0].callsPerInterval[2] = -3),
      'queues[0].callsPerInterval[2]',
      'at least 0',
    ],
    [
      'NaN rate',
      (s) => (s.queues[0].callsPerInterval[1] = Number.NaN),
      'queues[0].callsPerInterval[1]',
      'finite',
    ],
    [
      'rates of the wrong length',
      (s) => s.queues[0].callsPerInterval.push(5),
      'queues[0].callsPerInterval',
      'one value per interval',
    ],
    ['zero operators', (s) => (s.operators[0].count = 0), 'operators', 'zero operators'],
    ['no operator group', (s) => (s.operators = []), 'operators', 'at least one'],
    ['fractional operators', (s) => (s.operators[0].count = 2.5), 'operators[0].count', 'whole number'],
    [
      'unknown queue in skills',
      (s) => s.operators[0].skills.push('nowhere'),
      'operators[0].skills[1].queue',
      'unknown queue',
    ],
    [
      'queue nobody serves',
      (s) => s.queues.push({ ...s.queues[0], id: 'orphan' }),
      'queues[1]',
      'no operator',
    ],
    [
      'unknown organization',
      (s) => (s.queues[0].organization = 'acme'),
      'queues[0].organization',
      'unknown organization',
    ],
    ['duplicate queue id', (s) => s.queues.push({ ...s.queues[0] }), 'queues[1].id', 'duplicate'],
    ['misspelt field', (s) => (s.queues[0].handleTme = 3), 'queues[0].handleTme', 'unknown field'],
    ['no patience', (s) => delete s.queues[0].patience, 'queues[0].patience', 'required'],
    [
      'zero mean handle time',
      (s) => (s.queues[0].handleTime.meanSeconds = 0),
      'queues[0].handleTime.meanSeconds',
      'greater than 0',
    ],
    [
      'negative lognormal sd',
      (s) => (s.queues[0].handleTime = { kind: 'lognormal', meanSeconds: 100, sdSeconds: -1 }),
      'queues[0].handleTime.sdSeconds',
      'at least 0',
    ],
    [
      'unknown distribution',
      (s) => (s.queues[0].handleTime = { kind: 'gamma', meanSeconds: 100 }),
      'queues[0].handleTime.kind',
      'one of',
    ],
    [
      'empirical weights mismatch',
      (s) => (s.queues[0].wrapUp = { kind: 'empirical', valuesSeconds: [1, 2], weights: [1] }),
      'queues[0].wrapUp.weights',
      'one weight per value',
    ],
    [
      'empty empirical',
      (s) => (s.queues[0].wrapUp = { kind: 'empirical', valuesSeconds: [] }),
      'queues[0].wrapUp.valuesSeconds',
      '1 to',
    ],
    ['interval not dividing a day', (s) => (s.intervalMinutes = 7), 'intervalMinutes', 'divide a day'],
    ['warm-up as long as the horizon', (s) => (s.warmupIntervals = 4), 'warmupIntervals', 'less than'],
    ['negative threshold', (s) => (s.kpi = { thresholdSeconds: -1 }), 'kpi.thresholdSeconds', 'at least 0'],
    [
      'unknown service-level variant',
      (s) => (s.kpi = { serviceLevelDefinition: 'best' }),
      'kpi.serviceLevelDefinition',
      'one of',
    ],
    [
      'overlapping shifts',
      (s) =>
        (s.operators[0].shifts = [
          { startMinutes: 0, endMinutes: 30 },
          { startMinutes: 20, endMinutes: 50 },
        ]),
      'operators[0].shifts',
      'overlap',
    ],
    [
      'shift ending before it starts',
      (s) => (s.operators[0].shifts = [{ startMinutes: 30, endMinutes: 10 }]),
      'operators[0].shifts[0].endMinutes',
      'after',
    ],
    [
      'both count and countPerInterval',
      (s) => (s.operators[0].countPerInterval = [1, 1, 1, 1]),
      'operators[0].countPerInterval',
      'either',
    ],
    ['bad start instant', (s) => (s.start = '3 March 2025'), 'start', 'ISO 8601'],
    [
      'answer and machine rates above 1',
      (s) => {
        s.campaigns = [
          {
            id: 'welcome',
            organization: 'aurora',
            answerRate: 0.7,
            machineRate: 0.5,
            handleTime: { kind: 'fixed', seconds: 60 },
          },
        ];
        s.operators[0].skills.push({ campaign: 'welcome' });
      },
      'campaigns[0].machineRate',
      'at most 1',
    ],
  ];
  for (const [name, change, field, words] of cases) {
    it(`rejects ${name}, naming ${field}`, () => {
      const { code, fields, message } = issuesOf(edit(change));
      expect(code).toBe('SIMULATION_INVALID_INPUT');
      expect(fields).toContain(field);
      const issue = fields.indexOf(field);
      expect(issue).toBeGreaterThanOrEqual(0);
      expect(message.length).toBeGreaterThan(0);
      // The message of the issue itself says what is wrong.
      try {
        parseScenario(edit(change));
      } catch (error) {
        expect((error as SimulationError).issues[issue]!.message).toContain(words);
      }
    });
  }

  it('reports every failing field at once, the first in the message', () => {
    const input = edit((s) => {
      s.intervalMinutes = 0;
      s.queues[0].handleTime.meanSeconds = -5;
    });
    const { fields, message } = issuesOf(input);
    expect(fields).toEqual(expect.arrayContaining(['intervalMinutes', 'queues[0].handleTime.meanSeconds']));
    expect(message).toMatch(/^intervalMinutes: .* \(and \d+ more\)$/);
  });

  it('rejects text that is not JSON and values that are not objects', () => {
    expect(issuesOf('{ "queues": [').fields).toEqual(['(scenario)']);
    expect(issuesOf([1, 2]).fields).toEqual(['(scenario)']);
    expect(issuesOf(null).fields).toEqual(['(scenario)']);
  });
});

describe('simulate options', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['zero replications', { replications: 0 }, 'replications'],
    ['fractional seed', { seed: 1.5 }, 'seed'],
    ['confidence level of 1', { confidenceLevel: 1 }, 'confidenceLevel'],
    ['unknown router', { router: 'round-robin' }, 'router'],
  ];
  for (const [name, options, field] of bad) {
    it(`rejects ${name}`, () => {
      try {
        simulate({ scenario: minimal(), ...options });
        expect.unreachable();
      } catch (error) {
        expect((error as SimulationError).code).toBe('SIMULATION_INVALID_INPUT');
        expect((error as SimulationError).issues[0]!.field).toBe(field);
      }
    });
  }

  it('validates the scenario too', () => {
    expect(() => simulate({ scenario: edit((s) => (s.intervals = -1)) })).toThrow(/^intervals: /);
  });
});
