// The contact center's configuration API: per organization under
// /api/organizations/:orgId (skills, queues, numbers, IVR flows, calling
// windows, dispositions), center-wide skills under /api/skills and operators'
// routing profiles under /api/operators/:userId. Every write is audited; a
// write the live center routes by is handed to it at once (onConfigurationChanged).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import {
  createCallingWindow,
  deleteCallingWindow,
  getCallingWindow,
  listCallingWindows,
  updateCallingWindow,
} from './calling-windows.service.ts';
import {
  CALLING_WINDOW_READERS,
  CallingWindow,
  CallingWindowParams,
  CenterNumber,
  CONFIG_WRITERS,
  CreateCallingWindowBody,
  CreateDispositionBody,
  CreateIvrFlowBody,
  CreateNumberBody,
  CreateQueueBody,
  CreateSkillBody,
  DISPOSITION_READERS,
  Disposition,
  DispositionCycle,
  DispositionParams,
  IvrFlow,
  IvrFlowParams,
  LINE_READERS,
  NumberParams,
  OPERATOR_READERS,
  OperatorParams,
  OperatorProfile,
  OperatorProfileBody,
  OperatorSkill,
  OperatorSkillsBody,
  QUEUE_READERS,
  QUEUE_WRITERS,
  Queue,
  QueueParams,
  SKILL_READERS,
  Skill,
  SkillKey,
  UpdateCallingWindowBody,
  UpdateDispositionBody,
  UpdateIvrFlowBody,
  UpdateNumberBody,
  UpdateQueueBody,
  UpdateSkillBody,
} from './contact-center.schemas.ts';
import {
  createDisposition,
  deleteDisposition,
  listDispositions,
  updateDisposition,
} from './dispositions.service.ts';
import {
  createIvrFlow,
  deleteIvrFlow,
  getIvrFlow,
  listIvrFlows,
  updateIvrFlow,
} from './ivr-flows.service.ts';
import { createNumber, deleteNumber, getNumber, listNumbers, updateNumber } from './numbers.service.ts';
import {
  getOperatorProfile,
  getOperatorSkills,
  setOperatorProfile,
  setOperatorSkills,
} from './operators.service.ts';
import { createQueue, deleteQueue, getQueue, listQueues, updateQueue } from './queues.service.ts';
import { createSkill, deleteSkill, listCenterSkills, listSkills, updateSkill } from './skills.service.ts';

const items = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item) });
const conflict = { 409: Type.Ref('Problem') };
const noContent = { 204: Type.Null() };
const SkillParams = Type.Object(
  { orgId: OrgParams.properties.orgId, skillKey: SkillKey },
  { additionalProperties: false },
);
const CenterSkillParams = Type.Object({ skillKey: SkillKey }, { additionalProperties: false });

export type ContactCenterRoutesOptions = {
  /** Called after a disposition is created, changed or deleted: the live runtime reads them again. */
  onDispositionsChanged?: () => Promise<void>;
  /**
   * Called after a queue, number, IVR flow or an operator's skills or profile is
   * created, changed or deleted: the live runtime reads its configuration again.
   * Never rejects (the change is committed; a failed reload is the runtime's to log).
   */
  onConfigurationChanged?: () => Promise<void>;
};

export const contactCenterRoutes: FastifyPluginAsyncTypebox<ContactCenterRoutesOptions> = async (
  app,
  options,
) => {
  const dispositionsChanged = async () => {
    await options.onDispositionsChanged?.();
  };
  const configurationChanged = async () => {
    await options.onConfigurationChanged?.();
  };
  app.addSchema(Queue);
  const queueRef = Type.Ref('Queue');
  const org = '/api/organizations/:orgId';

  // ---- skills ----
  app.get(
    `${org}/skills`,
    {
      config: { access: { roles: SKILL_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's skills and the center-wide ones (both usable in its queues)",
        params: OrgParams,
        response: { 200: items(Skill), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listSkills({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/skills`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Define a skill of the organization (keys are unique across the center)',
        params: OrgParams,
        body: CreateSkillBody,
        response: { 201: Skill, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createSkill({
          db: app.db,
          principal: principalOf(request),
          owner: { orgId: request.params.orgId },
          ...request.body,
        }),
      ),
  );
  app.patch(
    `${org}/skills/:skillKey`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: "Rename one of the organization's skills (the key stays)",
        params: SkillParams,
        body: UpdateSkillBody,
        response: { 200: Skill, ...ProblemResponses },
      },
    },
    async (request) =>
      updateSkill({
        db: app.db,
        principal: principalOf(request),
        owner: { orgId: request.params.orgId },
        key: request.params.skillKey,
        label: request.body.label,
      }),
  );
  app.delete(
    `${org}/skills/:skillKey`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: "Delete one of the organization's skills (409 while operators have it)",
        params: SkillParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteSkill({
        db: app.db,
        principal: principalOf(request),
        owner: { orgId: request.params.orgId },
        key: request.params.skillKey,
      });
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/skills',
    {
      config: { access: { roles: SKILL_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Center-wide skills (languages, general care), usable by every organization',
        response: { 200: items(Skill), ...ProblemResponses },
      },
    },
    async () => ({ items: await listCenterSkills({ db: app.db }) }),
  );
  app.post(
    '/api/skills',
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Define a center-wide skill',
        body: CreateSkillBody,
        response: { 201: Skill, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createSkill({
          db: app.db,
          principal: principalOf(request),
          owner: { center: true },
          ...request.body,
        }),
      ),
  );
  app.patch(
    '/api/skills/:skillKey',
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Rename a center-wide skill',
        params: CenterSkillParams,
        body: UpdateSkillBody,
        response: { 200: Skill, ...ProblemResponses },
      },
    },
    async (request) =>
      updateSkill({
        db: app.db,
        principal: principalOf(request),
        owner: { center: true },
        key: request.params.skillKey,
        label: request.body.label,
      }),
  );
  app.delete(
    '/api/skills/:skillKey',
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Delete a center-wide skill (409 while operators have it)',
        params: CenterSkillParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteSkill({
        db: app.db,
        principal: principalOf(request),
        owner: { center: true },
        key: request.params.skillKey,
      });
      return reply.code(204).send(null);
    },
  );

  // ---- operators ----
  app.get(
    '/api/operators/:userId/skills',
    {
      config: { access: { roles: OPERATOR_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "An operator's skills with their levels (1–10)",
        params: OperatorParams,
        response: { 200: items(OperatorSkill), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await getOperatorSkills({ db: app.db, userId: request.params.userId }) }),
  );
  app.put(
    '/api/operators/:userId/skills',
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: "Replace an operator's skills",
        params: OperatorParams,
        body: OperatorSkillsBody,
        response: { 200: items(OperatorSkill), ...ProblemResponses },
      },
    },
    async (request) => {
      const items = await setOperatorSkills({
        db: app.db,
        principal: principalOf(request),
        userId: request.params.userId,
        skills: request.body.skills,
      });
      await configurationChanged();
      return { items };
    },
  );
  app.get(
    '/api/operators/:userId/profile',
    {
      config: { access: { roles: OPERATOR_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "An operator's capacity per channel and attributes (default: one voice call)",
        params: OperatorParams,
        response: { 200: OperatorProfile, ...ProblemResponses },
      },
    },
    async (request) => getOperatorProfile({ db: app.db, userId: request.params.userId }),
  );
  app.put(
    '/api/operators/:userId/profile',
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: "Set an operator's capacity per channel, task cap and attributes",
        params: OperatorParams,
        body: OperatorProfileBody,
        response: { 200: OperatorProfile, ...ProblemResponses },
      },
    },
    async (request) => {
      const profile = await setOperatorProfile({
        db: app.db,
        principal: principalOf(request),
        userId: request.params.userId,
        capacity: request.body.capacity,
        maxTasks: request.body.maxTasks ?? null,
        attributes: request.body.attributes ?? {},
      });
      await configurationChanged();
      return profile;
    },
  );

  // ---- queues ----
  app.get(
    `${org}/queues`,
    {
      config: { access: { roles: QUEUE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's queues by key",
        params: OrgParams,
        response: { 200: items(queueRef), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listQueues({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/queues`,
    {
      config: { access: { roles: QUEUE_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Create a queue, validated by the routing engine (a bad skill expression names its column)',
        params: OrgParams,
        body: CreateQueueBody,
        response: { 201: queueRef, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { key, ...input } = request.body;
      const queue = await createQueue({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        key,
        input,
      });
      await configurationChanged();
      return reply.code(201).send(queue);
    },
  );
  app.get(
    `${org}/queues/:queueId`,
    {
      config: { access: { roles: QUEUE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'One queue',
        params: QueueParams,
        response: { 200: queueRef, ...ProblemResponses },
      },
    },
    async (request) => getQueue({ db: app.db, ...request.params }),
  );
  app.patch(
    `${org}/queues/:queueId`,
    {
      config: { access: { roles: QUEUE_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Change a queue (not its key), validated by the routing engine with the other queues',
        params: QueueParams,
        body: UpdateQueueBody,
        response: { 200: queueRef, ...ProblemResponses },
      },
    },
    async (request) => {
      const queue = await updateQueue({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      });
      await configurationChanged();
      return queue;
    },
  );
  app.delete(
    `${org}/queues/:queueId`,
    {
      config: { access: { roles: QUEUE_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary:
          'Delete a queue (409 while a queue, IVR flow, campaign, callback or interaction refers to it)',
        params: QueueParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteQueue({ db: app.db, principal: principalOf(request), ...request.params });
      await configurationChanged();
      return reply.code(204).send(null);
    },
  );

  // ---- numbers ----
  app.get(
    `${org}/numbers`,
    {
      config: { access: { roles: LINE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's numbers (toll-free, DRTV, geographic) and their IVR flows",
        params: OrgParams,
        response: { 200: items(CenterNumber), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listNumbers({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/numbers`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Add a number (stored as E.164; 409 if the center already has it)',
        params: OrgParams,
        body: CreateNumberBody,
        response: { 201: CenterNumber, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const number = await createNumber({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        number: request.body.e164,
        kind: request.body.kind,
        label: request.body.label,
        ivrFlowId: request.body.ivrFlowId,
      });
      await configurationChanged();
      return reply.code(201).send(number);
    },
  );
  app.get(
    `${org}/numbers/:e164`,
    {
      config: { access: { roles: LINE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'One number',
        params: NumberParams,
        response: { 200: CenterNumber, ...ProblemResponses },
      },
    },
    async (request) => getNumber({ db: app.db, ...request.params }),
  );
  app.patch(
    `${org}/numbers/:e164`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Change a number: kind, label, IVR flow (null: none)',
        params: NumberParams,
        body: UpdateNumberBody,
        response: { 200: CenterNumber, ...ProblemResponses },
      },
    },
    async (request) => {
      const number = await updateNumber({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      });
      await configurationChanged();
      return number;
    },
  );
  app.delete(
    `${org}/numbers/:e164`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Remove a number',
        params: NumberParams,
        response: { ...noContent, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteNumber({ db: app.db, principal: principalOf(request), ...request.params });
      await configurationChanged();
      return reply.code(204).send(null);
    },
  );

  // ---- IVR flows ----
  app.get(
    `${org}/ivr-flows`,
    {
      config: { access: { roles: LINE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's IVR flows",
        params: OrgParams,
        response: { 200: items(IvrFlow), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listIvrFlows({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/ivr-flows`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary:
          'Create an IVR flow, validated as a graph (targets exist, every node reached and reaching an end)',
        params: OrgParams,
        body: CreateIvrFlowBody,
        response: { 201: IvrFlow, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const flow = await createIvrFlow({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        ...request.body,
      });
      await configurationChanged();
      return reply.code(201).send(flow);
    },
  );
  app.get(
    `${org}/ivr-flows/:ivrFlowId`,
    {
      config: { access: { roles: LINE_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'One IVR flow',
        params: IvrFlowParams,
        response: { 200: IvrFlow, ...ProblemResponses },
      },
    },
    async (request) => getIvrFlow({ db: app.db, ...request.params }),
  );
  app.patch(
    `${org}/ivr-flows/:ivrFlowId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Rename an IVR flow or replace its definition (validated again)',
        params: IvrFlowParams,
        body: UpdateIvrFlowBody,
        response: { 200: IvrFlow, ...ProblemResponses },
      },
    },
    async (request) => {
      const flow = await updateIvrFlow({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      });
      await configurationChanged();
      return flow;
    },
  );
  app.delete(
    `${org}/ivr-flows/:ivrFlowId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Delete an IVR flow (409 while a number uses it)',
        params: IvrFlowParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteIvrFlow({ db: app.db, principal: principalOf(request), ...request.params });
      await configurationChanged();
      return reply.code(204).send(null);
    },
  );

  // ---- calling windows ----
  app.get(
    `${org}/calling-windows`,
    {
      config: { access: { roles: CALLING_WINDOW_READERS } },
      schema: {
        tags: ['contact center'],
        summary: "The organization's calling windows (when outbound calls may be placed)",
        params: OrgParams,
        response: { 200: items(CallingWindow), ...ProblemResponses },
      },
    },
    async (request) => ({ items: await listCallingWindows({ db: app.db, orgId: request.params.orgId }) }),
  );
  app.post(
    `${org}/calling-windows`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Create a calling window: weekly periods HH:MM, holidays YYYY-MM-DD, IANA time zone',
        params: OrgParams,
        body: CreateCallingWindowBody,
        response: { 201: CallingWindow, ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createCallingWindow({
          db: app.db,
          principal: principalOf(request),
          orgId: request.params.orgId,
          input: {
            name: request.body.name,
            timeZone: request.body.timeZone ?? 'Europe/Rome',
            weekly: request.body.weekly,
            holidays: request.body.holidays ?? [],
          },
        }),
      ),
  );
  app.get(
    `${org}/calling-windows/:callingWindowId`,
    {
      config: { access: { roles: CALLING_WINDOW_READERS } },
      schema: {
        tags: ['contact center'],
        summary: 'One calling window',
        params: CallingWindowParams,
        response: { 200: CallingWindow, ...ProblemResponses },
      },
    },
    async (request) => getCallingWindow({ db: app.db, ...request.params }),
  );
  app.patch(
    `${org}/calling-windows/:callingWindowId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Change a calling window',
        params: CallingWindowParams,
        body: UpdateCallingWindowBody,
        response: { 200: CallingWindow, ...ProblemResponses },
      },
    },
    async (request) =>
      updateCallingWindow({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      }),
  );
  app.delete(
    `${org}/calling-windows/:callingWindowId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Delete a calling window (409 while a campaign uses it)',
        params: CallingWindowParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteCallingWindow({ db: app.db, principal: principalOf(request), ...request.params });
      return reply.code(204).send(null);
    },
  );

  // ---- dispositions ----
  app.get(
    `${org}/dispositions`,
    {
      config: { access: { roles: DISPOSITION_READERS } },
      schema: {
        tags: ['contact center'],
        summary:
          'Built-in dispositions (read-only) and the organization’s own; cycleType keeps those offered in it',
        params: OrgParams,
        querystring: Type.Object(
          { cycleType: Type.Optional(DispositionCycle) },
          { additionalProperties: false },
        ),
        response: { 200: items(Disposition), ...ProblemResponses },
      },
    },
    async (request) => ({
      items: await listDispositions({
        db: app.db,
        orgId: request.params.orgId,
        cycleType: request.query.cycleType,
      }),
    }),
  );
  app.post(
    `${org}/dispositions`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Create a custom disposition with one of the built-in effects (or none)',
        params: OrgParams,
        body: CreateDispositionBody,
        response: { 201: Disposition, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const created = await createDisposition({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        input: {
          ...request.body,
          cycleType: request.body.cycleType ?? null,
          successful: request.body.successful ?? false,
        },
      });
      await dispositionsChanged();
      return reply.code(201).send(created);
    },
  );
  app.patch(
    `${org}/dispositions/:dispositionId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Change a custom disposition (built-in ones answer 409)',
        params: DispositionParams,
        body: UpdateDispositionBody,
        response: { 200: Disposition, ...conflict, ...ProblemResponses },
      },
    },
    async (request) => {
      const updated = await updateDisposition({
        db: app.db,
        principal: principalOf(request),
        ...request.params,
        changes: request.body,
      });
      await dispositionsChanged();
      return updated;
    },
  );
  app.delete(
    `${org}/dispositions/:dispositionId`,
    {
      config: { access: { roles: CONFIG_WRITERS } },
      schema: {
        tags: ['contact center'],
        summary: 'Delete a custom disposition (built-in ones answer 409)',
        params: DispositionParams,
        response: { ...noContent, ...conflict, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteDisposition({ db: app.db, principal: principalOf(request), ...request.params });
      await dispositionsChanged();
      return reply.code(204).send(null);
    },
  );
};
