// Operators' routing profiles under /api/operators/:userId: skills with levels,
// capacity per channel and attributes.
import { principalOf } from '../../http/access.ts';
import { ProblemResponses } from '../../http/schemas.ts';
import {
  CONFIG_WRITERS,
  OPERATOR_READERS,
  OperatorParams,
  OperatorProfile,
  OperatorProfileBody,
  OperatorSkill,
  OperatorSkillsBody,
} from './contact-center.schemas.ts';
import {
  getOperatorProfile,
  getOperatorSkills,
  setOperatorProfile,
  setOperatorSkills,
} from './operators.service.ts';
import { type ContactCenterApp, type ContactCenterRouteContext, items } from './routes-common.ts';

export function registerOperatorRoutes(
  app: ContactCenterApp,
  { configurationChanged }: ContactCenterRouteContext,
) {
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
}
