// The retry policy as a table: outcome, attempts so far → pending again when, or exhausted.
import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from './campaigns.service.ts';
import { decideRetry, type RetryOutcome } from './retry-policy.ts';

const at = new Date('2026-03-10T10:00:00Z');
const policy: RetryPolicy = {
  noAnswer: { retryAfterMinutes: 120, maxAttempts: 3 },
  busy: { retryAfterMinutes: 15 },
  failed: { retryAfterMinutes: 60, maxAttempts: 1 },
};

describe('decideRetry', () => {
  const cases: [RetryOutcome, number, string | 'exhausted'][] = [
    // no answer: 120 minutes later while fewer than 3 attempts
    ['no_answer', 1, '2026-03-10T12:00:00.000Z'],
    ['no_answer', 2, '2026-03-10T12:00:00.000Z'],
    ['no_answer', 3, 'exhausted'],
    // busy: no per-outcome cap, the campaign's 5 attempts cap it
    ['busy', 4, '2026-03-10T10:15:00.000Z'],
    ['busy', 5, 'exhausted'],
    // no machine rule: no retry after a machine
    ['machine', 1, 'exhausted'],
    // failed: at most 1 attempt in all
    ['failed', 1, 'exhausted'],
    // dropped without its own rule takes the no-answer rule
    ['dropped', 1, '2026-03-10T12:00:00.000Z'],
    ['dropped', 3, 'exhausted'],
  ];
  it.each(cases)('%s after %i attempts → %s', (outcome, attempts, expected) => {
    const decision = decideRetry({ policy, campaignMaxAttempts: 5, attempts, outcome, at });
    if (expected === 'exhausted')
      expect(decision).toMatchObject({ status: 'exhausted', nextAttemptAt: null });
    else expect([decision.status, decision.nextAttemptAt?.toISOString()]).toEqual(['pending', expected]);
  });

  it('uses the dropped rule when the policy has one', () => {
    const decision = decideRetry({
      policy: { ...policy, dropped: { retryAfterMinutes: 1440 } },
      campaignMaxAttempts: 5,
      attempts: 1,
      outcome: 'dropped',
      at,
    });
    expect(decision.nextAttemptAt?.toISOString()).toBe('2026-03-11T10:00:00.000Z');
  });
});
