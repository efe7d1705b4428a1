// An operator's log-in and log-out of single queues (the operator API's
// /api/operator/queues), without a change to the engine: every routed agent
// carries the ids of the queues they are logged out of in one attribute, and
// every queue handed to the router requires `!(<attribute> == '<its id>')` on
// top of its own expression (and of each overflow step's). The engine drops a
// comparison with a missing attribute and matches a list attribute when any
// element matches, so an operator logged out of nothing passes every queue.
//
// A queue's pool is then its own: the router shares a pool between queues of
// identical expressions, and the clause makes each expression unique. That
// costs one pool per queue, fine for the few queues of a center.
//
// Logouts live in the runtime's memory only: they are cleared when the
// operator goes offline (a new session starts logged in everywhere) and at a
// restart (operators come back offline anyway).
import type { RoutingAgentSpec, RoutingQueueSpec } from '@centralino/engine';

/** The agent attribute listing the queues the operator is logged out of (prefixed like centralino_operator). */
export const QUEUES_LOGGED_OUT_ATTRIBUTE = 'centralino_queues_logged_out';

const loggedInClause = (queueId: string) => `!(${QUEUES_LOGGED_OUT_ATTRIBUTE} == '${queueId}')`;
const both = (expression: string | undefined, clause: string) =>
  expression === undefined || expression.trim() === '' ? clause : `(${expression}) && ${clause}`;

/**
 * `spec` served only by operators logged in to it. An overflow step's added
 * queues become their expressions (what the router would copy), so that the
 * operators they add must be logged in to this queue too; an added queue
 * `skillsOf` does not know stays as it is.
 */
export function servedByLoggedIn(
  spec: RoutingQueueSpec,
  skillsOf: (queueId: string) => string | undefined | null,
): RoutingQueueSpec {
  const clause = loggedInClause(spec.id);
  return {
    ...spec,
    skills: both(spec.skills, clause),
    ...(spec.overflow
      ? {
          overflow: spec.overflow.map((step) => {
            const unknown = (step.addQueues ?? []).filter((id) => skillsOf(id) === null);
            const widening = [
              ...(step.skills === undefined ? [] : [step.skills]),
              ...(step.addQueues ?? [])
                .map((id) => skillsOf(id))
                .filter((skills) => skills !== null)
                .map((skills) => (skills === undefined || skills.trim() === '' ? 'true' : skills)),
            ];
            return {
              afterSeconds: step.afterSeconds,
              ...(widening.length === 0
                ? {}
                : { skills: both(widening.map((w) => `(${w})`).join(' || '), clause) }),
              ...(unknown.length === 0 ? {} : { addQueues: unknown }),
            };
          }),
        }
      : {}),
  };
}

/** An operator's agent spec with the queues they are logged out of. */
export function withQueueLogouts(spec: RoutingAgentSpec, loggedOut: ReadonlySet<string>): RoutingAgentSpec {
  return { ...spec, attributes: { ...spec.attributes, [QUEUES_LOGGED_OUT_ATTRIBUTE]: [...loggedOut] } };
}
