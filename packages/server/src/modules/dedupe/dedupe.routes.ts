// Duplicates and merges under /api/organizations/:orgId: probable duplicate
// pairs with their reasons, "not a duplicate" marks, merging two supporters,
// the list of merges and undoing one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses, Uuid } from '../../http/schemas.ts';
import type { Role } from '../auth/principal.ts';
import { Cursor, Limit } from '../supporters/supporters.schemas.ts';
import { dismissDuplicate, findDuplicates } from './duplicates.service.ts';
import { listMerges, MERGE_FIELDS, mergeSupporters, undoMerge } from './merges.service.ts';

/**
 * Who may review duplicates and merges: the center's admins, supervisors and
 * quality staff, the client organization's viewers (duplicates in their own
 * data) and its API key. Operators work one supporter at a time and do not see
 * the organization-wide list.
 */
export const DEDUPE_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'quality',
  'client_viewer',
  'integration',
];
/** Who may merge, undo and dismiss: a merge rewrites the client's data, so not viewers nor operators. */
export const DEDUPE_WRITERS: readonly Role[] = ['admin', 'supervisor', 'integration'];

const conflict = { 409: Type.Ref('Problem') };
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Side = Type.Object({
  id: Uuid,
  firstName: Type.String(),
  lastName: Type.String(),
  birthDate: Nullable(Type.String()),
  fiscalCode: Nullable(Type.String()),
  version: Type.Integer(),
});
const Reason = Type.Object({
  rule: Type.Enum(['fiscal_code', 'email', 'phone', 'name_birth_date', 'name_place']),
  score: Type.Number(),
  value: Type.String(),
  nameSimilarity: Type.Number({ description: 'Jaro-Winkler similarity of the names behind the score' }),
});
const Pair = Type.Object({ a: Side, b: Side, score: Type.Number(), reasons: Type.Array(Reason) });

const Counts = Type.Record(Type.String(), Type.Integer());
const Merge = Type.Object({
  id: Uuid,
  keptId: Uuid,
  mergedId: Uuid,
  mergedAt: DateTime,
  mergedBy: Type.String(),
  undoneAt: Nullable(DateTime),
  undoneBy: Nullable(Type.String()),
  moved: Counts,
  skipped: Counts,
  fields: Type.Record(Type.String(), Type.Object({ before: Type.Unknown(), after: Type.Unknown() })),
});
const Versions = {
  keptVersion: Type.Integer({ description: 'The kept supporter version after this change' }),
  mergedVersion: Type.Integer(),
};

const Choice = Type.Enum(['kept', 'merged']);
const MergeBody = Type.Object(
  {
    mergedId: Type.String({ format: 'uuid', description: 'The duplicate, merged into the kept supporter' }),
    keptVersion: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The version you read (409 if changed)' }),
    ),
    mergedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    fields: Type.Optional(
      Type.Object(Object.fromEntries(MERGE_FIELDS.map((field) => [field, Type.Optional(Choice)])), {
        additionalProperties: false,
        description:
          'Which record a field comes from. Without a choice: empty fields of the kept record are filled, ' +
          'tags are united, custom fields are filled key by key, the stricter status wins',
      }),
    ),
  },
  { additionalProperties: false },
);

export const dedupeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/organizations/:orgId/duplicates',
    {
      config: { access: { roles: DEDUPE_READERS } },
      schema: {
        tags: ['duplicates'],
        summary:
          'Probable duplicate pairs with score and reasons, in id order; a page may be short while nextCursor is set',
        params: OrgParams,
        querystring: Type.Object(
          {
            limit: Limit,
            cursor: Type.Optional(Cursor),
            minScore: Type.Number({ minimum: 0, maximum: 1, default: 0.5 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Pair), nextCursor: Nullable(Type.String()) }),
          ...ProblemResponses,
        },
      },
    },
    async (request) =>
      findDuplicates({
        db: app.db,
        orgId: request.params.orgId,
        limit: request.query.limit,
        cursor: request.query.cursor,
        minScore: request.query.minScore,
      }),
  );

  app.post(
    '/api/organizations/:orgId/duplicates/dismiss',
    {
      config: { access: { roles: DEDUPE_WRITERS } },
      schema: {
        tags: ['duplicates'],
        summary: 'Mark a pair "not the same supporter": it leaves the duplicates list',
        params: OrgParams,
        body: Type.Object({ a: Uuid, b: Uuid }, { additionalProperties: false }),
        response: {
          200: Type.Object({ a: Uuid, b: Uuid, dismissedAt: DateTime, dismissedBy: Type.String() }),
          ...ProblemResponses,
        },
      },
    },
    async (request) =>
      dismissDuplicate({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        a: request.body.a,
        b: request.body.b,
      }),
  );

  app.post(
    '/api/organizations/:orgId/supporters/:keptId/merge',
    {
      config: { access: { roles: DEDUPE_WRITERS } },
      schema: {
        tags: ['duplicates'],
        summary: 'Merge a duplicate into this supporter (its history, commitments and consents move here)',
        params: Type.Object({ orgId: Uuid, keptId: Uuid }, { additionalProperties: false }),
        body: MergeBody,
        response: {
          200: Type.Object({ ...Merge.properties, ...Versions }),
          ...conflict,
          ...ProblemResponses,
        },
      },
    },
    async (request) =>
      mergeSupporters({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        keptId: request.params.keptId,
        mergedId: request.body.mergedId,
        keptVersion: request.body.keptVersion,
        mergedVersion: request.body.mergedVersion,
        fields: request.body.fields as Parameters<typeof mergeSupporters>[0]['fields'],
      }),
  );

  app.get(
    '/api/organizations/:orgId/merges',
    {
      config: { access: { roles: DEDUPE_READERS } },
      schema: {
        tags: ['duplicates'],
        summary: 'Merges, newest first (optionally those of one supporter)',
        params: OrgParams,
        querystring: Type.Object(
          { limit: Limit, cursor: Type.Optional(Cursor), supporterId: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Merge), nextCursor: Nullable(Type.String()) }),
          ...ProblemResponses,
        },
      },
    },
    async (request) =>
      listMerges({
        db: app.db,
        orgId: request.params.orgId,
        limit: request.query.limit,
        cursor: request.query.cursor,
        supporterId: request.query.supporterId,
      }),
  );

  app.post(
    '/api/organizations/:orgId/merges/:mergeId/undo',
    {
      config: { access: { roles: DEDUPE_WRITERS } },
      schema: {
        tags: ['duplicates'],
        summary: 'Undo a merge: the moved rows go back, the kept record gets its previous fields',
        params: Type.Object({ orgId: Uuid, mergeId: Uuid }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            ...Merge.properties,
            ...Versions,
            notRestored: Type.Object({
              fields: Type.Array(Type.String(), {
                description: 'Changed by someone since the merge: left as is',
              }),
              rows: Type.Record(Type.String(), Type.Integer(), {
                description: 'Moved rows no longer on the kept record (deleted since)',
              }),
            }),
          }),
          ...conflict,
          ...ProblemResponses,
        },
      },
    },
    async (request) =>
      undoMerge({
        db: app.db,
        principal: principalOf(request),
        orgId: request.params.orgId,
        mergeId: request.params.mergeId,
      }),
  );
};
