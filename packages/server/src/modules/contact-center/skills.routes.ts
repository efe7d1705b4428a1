// Skills: the organization's own under /api/organizations/:orgId/skills and the
// center-wide ones under /api/skills.
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import {
  CONFIG_WRITERS,
  CreateSkillBody,
  SKILL_READERS,
  Skill,
  SkillKey,
  UpdateSkillBody,
} from './contact-center.schemas.ts';
import {
  type ContactCenterApp,
  type ContactCenterRouteContext,
  conflict,
  items,
  noContent,
} from './routes-common.ts';
import { createSkill, deleteSkill, listCenterSkills, listSkills, updateSkill } from './skills.service.ts';

const SkillParams = Type.Object(
  { orgId: OrgParams.properties.orgId, skillKey: SkillKey },
  { additionalProperties: false },
);
const CenterSkillParams = Type.Object({ skillKey: SkillKey }, { additionalProperties: false });

export function registerSkillRoutes(app: ContactCenterApp, { org }: ContactCenterRouteContext) {
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
}
