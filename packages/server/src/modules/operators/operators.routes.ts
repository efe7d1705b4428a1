// The operator API (the signed-in operator's own state, offers, call controls
// and disposition) and the supervisor's live views, over the live runtime
// (live/runtime.ts). Offers and updates reach the operator as user-addressed
// events on GET /api/stream (`interaction.offered`, `interaction.ended`…);
// these routes are how the operator answers. Registered only when the live
// center runs (buildApp's `liveRuntime`).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import type { LiveRuntime } from '../../live/runtime.ts';
import { supporter360 } from '../supporters/supporter-360.service.ts';
import { live, operatorErrors } from './operators.errors.ts';
import {
  CallParams,
  CampaignParams,
  DispositionBody,
  InteractionParams,
  LIVE_QUEUE_READERS,
  LIVE_SUPERVISORS,
  OfferParams,
  OPERATOR_ROLES,
  OperatorQueue,
  OperatorSession,
  OperatorStatus,
  QueueLiveStats,
  QueueLoginBody,
  QueueParams,
  StateBody,
  Supporter360,
  SupporterQuery,
  TransferBody,
  UserParams,
} from './operators.schemas.ts';

const tags = ['live center'];
const userIdOf = (request: Parameters<typeof principalOf>[0]) => {
  const principal = principalOf(request);
  // OPERATOR_ROLES has no integration role: every caller here is a user.
  return principal.kind === 'user' ? principal.userId : '';
};

export function operatorRoutes(runtime: LiveRuntime): FastifyPluginAsyncTypebox {
  return async (app) => {
    const session = { 200: OperatorSession, ...ProblemResponses };

    app.get(
      '/api/operator/session',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary:
            'The signed-in operator: state, the offer ringing, the current contact with its screen pop',
          response: session,
        },
      },
      async (request) => live(() => runtime.session(userIdOf(request))),
    );

    app.post(
      '/api/operator/state',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary: 'Log in (available), pause with a reason (not_ready), log out (offline)',
          description: 'A pause or logout asked for during a contact takes effect when it ends.',
          body: StateBody,
          response: session,
        },
      },
      async (request) => {
        const operatorId = userIdOf(request);
        return live(async () => {
          await runtime.actions.setPresence({
            operatorId,
            presence: request.body.state,
            ...(request.body.reason ? { reason: request.body.reason } : {}),
          });
          return runtime.session(operatorId);
        });
      },
    );

    app.get(
      '/api/operator/queues',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary: 'The queues of your organizations and whether you are logged in to each',
          description:
            'Logged out of a queue, you are offered none of its contacts. Every queue starts logged in ' +
            'when you log in (available from offline); logging out (offline) or a restart logs you back in to all.',
          response: { 200: Type.Object({ items: Type.Array(OperatorQueue) }), ...ProblemResponses },
        },
      },
      async (request) => live(() => ({ items: runtime.operatorQueues(userIdOf(request)) })),
    );

    app.put(
      '/api/operator/queues/:queueId',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary: 'Log in to or out of one queue of your organizations',
          description:
            'A contact ringing or in progress goes on. 404 for a queue not among your organizations’. ' +
            'Also told on GET /api/stream as `agent.queues_changed`.',
          params: QueueParams,
          body: QueueLoginBody,
          response: { 200: OperatorQueue, ...ProblemResponses },
        },
      },
      async (request) =>
        live(() =>
          runtime.setQueueLogin({
            userId: userIdOf(request),
            queueId: request.params.queueId,
            loggedIn: request.body.loggedIn,
          }),
        ),
    );

    app.put(
      '/api/operator/campaigns/:campaignId',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary: 'Log in to or out of an active campaign (its queue)',
          description:
            'A campaign is served through its queue: this logs you in to or out of that queue. ' +
            '409 LIVE_CAMPAIGN_QUEUE_SHARED when the queue also serves another active campaign or inbound ' +
            'numbers: use PUT /api/operator/queues/{queueId} then.',
          params: CampaignParams,
          body: QueueLoginBody,
          response: { 200: OperatorQueue, 409: Type.Ref('Problem'), ...ProblemResponses },
        },
      },
      async (request) =>
        live(() =>
          runtime.setCampaignLogin({
            userId: userIdOf(request),
            campaignId: request.params.campaignId,
            loggedIn: request.body.loggedIn,
          }),
        ),
    );

    for (const action of ['accept', 'reject'] as const)
      app.post(
        `/api/operator/offers/:offerId/${action}`,
        {
          config: { access: { roles: OPERATOR_ROLES } },
          schema: {
            tags,
            summary: action === 'accept' ? 'Accept the offer ringing' : 'Decline the offer ringing',
            params: OfferParams,
            response: session,
          },
        },
        async (request) => {
          const operatorId = userIdOf(request);
          return live(async () => {
            await runtime.actions[action]({ operatorId, offerId: request.params.offerId });
            return runtime.session(operatorId);
          });
        },
      );

    app.post(
      '/api/operator/interactions/:interactionId/disposition',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary: "Record the contact's outcome (and end the wrap-up, unless endWrapUp is false)",
          params: InteractionParams,
          description:
            'Upgrade, conversion, recapture and call-back dispositions need `details` (README, operator API); ' +
            'they are checked now (400 for a missing or invalid field, 422 when the CRM cannot take them) ' +
            'and applied in the transaction that closes the interaction.',
          body: DispositionBody,
          response: { ...session, 422: Type.Ref('Problem') },
        },
      },
      async (request) => {
        const operatorId = userIdOf(request);
        const offerId = request.params.interactionId;
        return live(async () => {
          await runtime.actions.submitDisposition({
            operatorId,
            offerId,
            code: request.body.code,
            ...(request.body.notes !== undefined ? { notes: request.body.notes } : {}),
            ...(request.body.details !== undefined ? { details: request.body.details } : {}),
          });
          const current = runtime.session(operatorId).interaction;
          if (
            request.body.endWrapUp !== false &&
            current?.interactionId === offerId &&
            current.phase === 'wrap_up'
          )
            await runtime.actions.endWrapUp({ operatorId, offerId });
          return runtime.session(operatorId);
        });
      },
    );

    app.post(
      '/api/operator/interactions/:interactionId/end-wrap-up',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary: 'End the wrap-up now: ready for the next contact',
          description:
            'After a disposition recorded with `endWrapUp: false`, or without one (the contact closes with no outcome). ' +
            'An operator who transferred the call ends their own wrap-up the same way. ' +
            '409 LIVE_INVALID_STATE when the contact is not in wrap-up.',
          params: InteractionParams,
          response: session,
        },
      },
      async (request) => {
        const operatorId = userIdOf(request);
        return live(async () => {
          await runtime.actions.endWrapUp({ operatorId, offerId: request.params.interactionId });
          return runtime.session(operatorId);
        });
      },
    );

    app.get(
      '/api/operator/interactions/:interactionId/supporter',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary:
            "The supporter 360 of the operator's current contact: contacts, consents, commitments (IBAN masked), gifts, last interactions, open callbacks",
          description:
            'Only for the contact the operator is on (or wrapping up), and only for a supporter of its screen pop: ' +
            'the one identified, or `supporterId` among several matches.',
          params: InteractionParams,
          querystring: SupporterQuery,
          response: { 200: Supporter360, 409: Type.Ref('Problem'), ...ProblemResponses },
        },
      },
      async (request) => {
        const operatorId = userIdOf(request);
        const current = await live(() => runtime.session(operatorId).interaction);
        if (current?.interactionId !== request.params.interactionId) throw operatorErrors.notYourContact();
        const matches = current.screenPop.map((match) => match.supporterId);
        const wanted = request.query.supporterId;
        if (wanted !== undefined && !matches.includes(wanted)) throw operatorErrors.notOnScreenPop();
        if (wanted === undefined && matches.length !== 1)
          throw matches.length === 0
            ? operatorErrors.callerUnknown()
            : operatorErrors.chooseSupporter(matches.length);
        return supporter360({
          db: app.db,
          secrets: app.secrets,
          orgId: current.orgId,
          supporterId: wanted ?? matches[0]!,
        });
      },
    );

    for (const control of ['hold', 'unhold', 'hangup'] as const)
      app.post(
        `/api/operator/interactions/:interactionId/${control}`,
        {
          config: { access: { roles: OPERATOR_ROLES } },
          schema: {
            tags,
            summary:
              control === 'hold'
                ? 'Put the caller on hold'
                : control === 'unhold'
                  ? 'Take the caller back from hold'
                  : 'End the call',
            params: InteractionParams,
            response: session,
          },
        },
        async (request) => {
          const operatorId = userIdOf(request);
          return live(async () => {
            const current = runtime.session(operatorId).interaction;
            const callId =
              current?.interactionId === request.params.interactionId ? current.callId : 'not-this-operators';
            const options = { operatorId, callId };
            if (control === 'hold') await runtime.actions.hold(options);
            else if (control === 'unhold') await runtime.actions.unhold(options);
            else await runtime.actions.hangUp(options);
            return runtime.session(operatorId);
          });
        },
      );

    app.post(
      '/api/operator/calls/:callId/transfer',
      {
        config: { access: { roles: OPERATOR_ROLES } },
        schema: {
          tags,
          summary: 'Transfer the connected call (blind) to a queue or to an available colleague',
          description:
            'To a queue: the call is routed again there. To a colleague: offered to them only ' +
            '(409 LIVE_OPERATOR_UNAVAILABLE unless available; back to its queue if not taken within 60 s). ' +
            'The caller waits on hold; your wrap-up starts at once and ends by the queue’s wrap-up time; ' +
            'the operator who takes the call records the outcome. The interaction keeps the transfer chain.',
          params: CallParams,
          body: TransferBody,
          response: session,
        },
      },
      async (request) => {
        const operatorId = userIdOf(request);
        return live(async () => {
          await runtime.actions.transfer({ operatorId, callId: request.params.callId, to: request.body.to });
          return runtime.session(operatorId);
        });
      },
    );

    app.get(
      '/api/organizations/:orgId/live/queues',
      {
        config: { access: { roles: LIVE_QUEUE_READERS } },
        schema: {
          tags,
          summary:
            "The organization's queues now: waiting, longest wait, idle operators, service level today",
          description:
            'Service level today = (answered + abandoned within the queue threshold) / (answered + abandoned), ' +
            'DOMAIN.md §3, over the contacts answered or abandoned today (Europe/Rome day), short abandons ' +
            'included; a restart loads the day so far from the stored interactions.',
          params: OrgParams,
          response: { 200: Type.Object({ items: Type.Array(QueueLiveStats) }), ...ProblemResponses },
        },
      },
      async (request) => live(() => ({ items: runtime.queues(request.params.orgId) })),
    );

    app.get(
      '/api/live/operators',
      {
        config: { access: { roles: LIVE_SUPERVISORS } },
        schema: {
          tags,
          summary: 'Every operator now: state, reason, since when',
          response: { 200: Type.Object({ items: Type.Array(OperatorStatus) }), ...ProblemResponses },
        },
      },
      async () => live(() => ({ items: runtime.operators() })),
    );

    app.post(
      '/api/live/operators/:userId/state',
      {
        config: { access: { roles: LIVE_SUPERVISORS } },
        schema: {
          tags,
          summary: "Force an operator's state (e.g. log out someone who left)",
          params: UserParams,
          body: StateBody,
          response: { 200: OperatorStatus, ...ProblemResponses },
        },
      },
      async (request) =>
        live(async () => {
          await runtime.forcePresence({
            userId: request.params.userId,
            presence: request.body.state,
            ...(request.body.reason ? { reason: request.body.reason } : {}),
          });
          return runtime.operators().find((o) => o.userId === request.params.userId)!;
        }),
    );
  };
}
