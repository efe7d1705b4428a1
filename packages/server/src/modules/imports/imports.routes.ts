// Imports over HTTP: upload the file as the request body (CSV or XLSX, not
// multipart: curl --data-binary @file works), get a job at once (202), poll it.
// The body is streamed to a private temporary file, never held in memory, and
// the file is deleted when the import ends.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ImportKind } from '../../db/schema.ts';
import { principalOf } from '../../http/access.ts';
import { AppError } from '../../http/errors.ts';
import { OrgParams, ProblemResponses, Uuid } from '../../http/schemas.ts';
import { ImportPresetNotFoundError, startImport } from './import.service.ts';
import { csvCell, REPORT_HEADER, reportLine } from './import-report.ts';
import { ImportKindNotSupportedError } from './importers.ts';
import {
  deletePreset,
  getImportJob,
  importActor,
  listImportJobs,
  listPresets,
  savePreset,
} from './imports.jobs.ts';
import { IMPORT_FIELDS, MappingError } from './mapping.ts';
import { TableReadError } from './reader/table-reader.ts';

const Kind = Type.Union([
  Type.Literal('supporters'),
  Type.Literal('commitments'),
  Type.Literal('gifts'),
  Type.Literal('consents'),
  Type.Literal('dnc'),
  Type.Literal('register'),
  Type.Literal('interactions'),
]);
const FILE_TYPES = [
  'text/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

const Issue = Type.Object({
  line: Type.Integer(),
  column: Type.String(),
  value: Type.String(),
  reason: Type.String(),
});
const Job = Type.Object({
  id: Uuid,
  kind: Kind,
  fileName: Type.String(),
  fileSha256: Type.String({ description: 'SHA-256 of the file as received: which file this job read' }),
  dryRun: Type.Boolean(),
  status: Type.Union([
    Type.Literal('running'),
    Type.Literal('completed'),
    Type.Literal('failed'),
    Type.Literal('interrupted'),
  ]),
  read: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  startedBy: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const JobParams = Type.Object({ orgId: Uuid, jobId: Uuid }, { additionalProperties: false });
const PresetParams = Type.Object(
  { orgId: Uuid, kind: Kind, name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
const Mapping = Type.Record(
  Type.String({ maxLength: 200 }),
  Type.Union([Type.String({ maxLength: 60 }), Type.Null()]),
);

const READ_ROLES = ['admin', 'supervisor', 'client_viewer', 'integration'] as const;
const WRITE_ROLES = ['admin', 'supervisor', 'integration'] as const;

export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Files arrive as raw bodies; the handler streams them to disk itself.
  app.addContentTypeParser(FILE_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    '/api/organizations/:orgId/imports/:kind',
    {
      bodyLimit: app.config.importLimitBytes,
      config: { access: { roles: WRITE_ROLES } },
      schema: {
        tags: ['imports'],
        summary: 'Upload a CSV or XLSX file and start importing it',
        description:
          'The request body is the file itself (Content-Type text/csv or the XLSX type). ' +
          'Answers 202 with the job; poll GET …/imports/{jobId}. Rejected rows are listed in …/report.csv.',
        params: Type.Object({ orgId: Uuid, kind: Kind }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            fileName: Type.Optional(Type.String({ maxLength: 200 })),
            dryRun: Type.Optional(Type.Boolean()),
            preset: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            system: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$' })),
            mapping: Type.Optional(
              Type.String({ description: 'JSON object {"File column": "field" | null}', maxLength: 20_000 }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 202: Job, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { orgId, kind } = request.params;
      if (IMPORT_FIELDS[kind].length === 0) {
        throw new AppError('IMPORT_KIND_NOT_SUPPORTED', 400, `Importing ${kind} is not available yet`);
      }
      const mapping = request.query.mapping === undefined ? undefined : parseMapping(request.query.mapping);
      const folder = await mkdtemp(join(tmpdir(), 'centralino-upload-'));
      const path = join(folder, randomUUID());
      try {
        await pipeline(request.body as Readable, createWriteStream(path, { mode: 0o600 }));
        const principal = principalOf(request);
        const { jobId, done } = await startImport({
          db: app.db,
          secrets: app.secrets,
          orgId,
          kind: kind as ImportKind,
          path,
          fileName: request.query.fileName ?? 'upload',
          ...(mapping ? { mapping } : {}),
          ...(request.query.preset ? { preset: request.query.preset } : {}),
          ...(request.query.system ? { system: request.query.system } : {}),
          dryRun: request.query.dryRun ?? false,
          actor: importActor(principal),
        });
        // The job row records the outcome; the log gets failures for operators.
        done
          .catch((error: Error) => request.log.warn({ jobId, err: error.message }, 'import failed'))
          .finally(() => rm(folder, { recursive: true, force: true }));
        return reply.code(202).send(await getImportJob({ db: app.db, orgId, jobId }));
      } catch (error) {
        await rm(folder, { recursive: true, force: true });
        throw asProblem(error);
      }
    },
  );

  app.get(
    '/api/organizations/:orgId/imports',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['imports'],
        summary: 'Import jobs, newest first',
        params: OrgParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            before: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Job), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...ProblemResponses,
        },
      },
    },
    async (request) =>
      listImportJobs({
        db: app.db,
        orgId: request.params.orgId,
        limit: request.query.limit ?? 50,
        cursor: request.query.before,
      }),
  );

  app.get(
    '/api/organizations/:orgId/imports/:jobId',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['imports'],
        summary: 'One import job with its counts and the first rejected rows',
        params: JobParams,
        response: { 200: Type.Object({ ...Job.properties, errors: Type.Array(Issue) }), ...ProblemResponses },
      },
    },
    async (request) => getImportJob({ db: app.db, ...request.params, withErrors: true }),
  );

  app.get(
    '/api/organizations/:orgId/imports/:jobId/report.csv',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['imports'],
        summary: 'Rejected rows as CSV (line, column, value, reason)',
        params: JobParams,
        produces: ['text/csv'],
        response: { 200: Type.String(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const job = await getImportJob({ db: app.db, ...request.params, withErrors: true });
      const lines = [REPORT_HEADER, ...job.errors.map(reportLine)];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename=${csvCell(`import-${job.id}-rejected.csv`)}`)
        .send(`\uFEFF${lines.join('\r\n')}\r\n`);
    },
  );

  app.get(
    '/api/organizations/:orgId/import-presets',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['imports'],
        summary: "The organization's saved column mappings",
        params: OrgParams,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ kind: Kind, name: Type.String(), mapping: Mapping })),
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request) => ({ items: await listPresets({ db: app.db, orgId: request.params.orgId }) }),
  );

  app.put(
    '/api/organizations/:orgId/import-presets/:kind/:name',
    {
      config: { access: { roles: WRITE_ROLES } },
      schema: {
        tags: ['imports'],
        summary: 'Save a column mapping under a name, for the CLI (--preset) and the API (?preset=)',
        params: PresetParams,
        body: Type.Object({ mapping: Mapping }, { additionalProperties: false }),
        response: {
          200: Type.Object({ kind: Kind, name: Type.String(), mapping: Mapping }),
          ...ProblemResponses,
        },
      },
    },
    async (request) => savePreset({ db: app.db, ...request.params, mapping: request.body.mapping }),
  );

  app.delete(
    '/api/organizations/:orgId/import-presets/:kind/:name',
    {
      config: { access: { roles: WRITE_ROLES } },
      schema: {
        tags: ['imports'],
        summary: 'Delete a saved column mapping',
        params: PresetParams,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deletePreset({ db: app.db, ...request.params });
      return reply.code(204).send(null);
    },
  );
};

/** The import's own errors as problems; anything else stays a server error. */
function asProblem(error: unknown): unknown {
  if (error instanceof MappingError) return new AppError(error.code, 400, error.message);
  if (error instanceof TableReadError) return new AppError(`IMPORT_${error.code}`, 400, error.message);
  if (error instanceof ImportPresetNotFoundError) return new AppError(error.code, 404, error.message);
  if (error instanceof ImportKindNotSupportedError) return new AppError(error.code, 400, error.message);
  return error;
}

function parseMapping(text: string): Record<string, string | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', 400, 'mapping must be a JSON object', [
      { field: 'mapping', message: 'is not valid JSON' },
    ]);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => v === null || typeof v === 'string')
  ) {
    throw new AppError(
      'VALIDATION_FAILED',
      400,
      'mapping must be a JSON object of "column": "field" or null',
      [{ field: 'mapping', message: 'must map column names to field names or null' }],
    );
  }
  return parsed as Record<string, string | null>;
}
