// What a dial attempt's outcome does to a call-list contact (pure; the
// dialing service stores the answer). A campaign's retry policy names, per
// outcome, how long to wait before the next attempt and at most how many
// attempts a contact may have when it ends that way; the campaign's
// maxAttempts caps every contact whatever its outcomes.
import type { RetryPolicy, RetryRule } from './campaigns.service.ts';

export type RetryOutcome = 'no_answer' | 'busy' | 'machine' | 'failed' | 'dropped';
export const RETRY_OUTCOMES: readonly RetryOutcome[] = ['no_answer', 'busy', 'machine', 'failed', 'dropped'];

const RULE_OF: Record<RetryOutcome, keyof RetryPolicy> = {
  no_answer: 'noAnswer',
  busy: 'busy',
  machine: 'machine',
  failed: 'failed',
  dropped: 'dropped',
};

export type RetryDecision =
  | { status: 'pending'; nextAttemptAt: Date; rule: RetryRule }
  | {
      status: 'exhausted';
      nextAttemptAt: null;
      because: 'no_retry_rule' | 'max_attempts' | 'outcome_max_attempts';
    };

/**
 * The rule of an outcome. A dropped call (answered, no operator free in time)
 * takes the `dropped` rule, or else the `noAnswer` one: the supporter never
 * got to speak, and leaving them without a new attempt would turn the
 * dialer's own failure into a lost contact.
 */
export function retryRuleFor(policy: RetryPolicy, outcome: RetryOutcome): RetryRule | undefined {
  const rule = policy[RULE_OF[outcome]];
  if (rule === undefined && outcome === 'dropped') return policy.noAnswer;
  return rule;
}

/**
 * After `attempts` attempts (the one just made included) ended with
 * `outcome` at `at`: pending again `retryAfterMinutes` later, or exhausted
 * when the policy has no rule for the outcome, the contact had
 * `rule.maxAttempts` attempts, or the campaign's `maxAttempts`.
 */
export function decideRetry(options: {
  policy: RetryPolicy;
  campaignMaxAttempts: number;
  attempts: number;
  outcome: RetryOutcome;
  at: Date;
}): RetryDecision {
  const rule = retryRuleFor(options.policy, options.outcome);
  if (rule === undefined) return { status: 'exhausted', nextAttemptAt: null, because: 'no_retry_rule' };
  if (options.attempts >= options.campaignMaxAttempts)
    return { status: 'exhausted', nextAttemptAt: null, because: 'max_attempts' };
  if (rule.maxAttempts !== undefined && options.attempts >= rule.maxAttempts)
    return { status: 'exhausted', nextAttemptAt: null, because: 'outcome_max_attempts' };
  return {
    status: 'pending',
    nextAttemptAt: new Date(options.at.getTime() + rule.retryAfterMinutes * 60_000),
    rule,
  };
}
