// A campaign script reaches the operator's screen as written, its merge fields
// filled: an unknown field or a broken placeholder would show as `[name]` or
// raw braces in front of a supporter. The API refuses them, with the same
// parser the admin form and the operator desktop use (engine/crm/merge-fields).
import { MERGE_FIELDS, parseScript } from '@centralino/engine';
import { campaignErrors } from './campaigns.errors.ts';

const REASONS = {
  unclosed: 'has no closing }}',
  name: 'holds no field name',
  unopened: 'closes no {{',
} as const;

/** Throws 400 CAMPAIGN_SCRIPT_INVALID naming each unknown field and each malformed placeholder. */
export function checkCampaignScript(script: string): void {
  const { unknown, malformed } = parseScript(script);
  const problems = [
    ...unknown.map((name) => `unknown merge field {{${name}}}; known fields: ${MERGE_FIELDS.join(', ')}`),
    ...malformed.map(
      (placeholder) =>
        `malformed placeholder "${placeholder.text}" at character ${placeholder.index}: ${REASONS[placeholder.reason]}`,
    ),
  ];
  if (problems.length > 0) throw campaignErrors.scriptInvalid(problems);
}
