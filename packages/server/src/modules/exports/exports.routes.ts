import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { ProblemResponses, Uuid } from '../../http/schemas.ts';
import type { Role } from '../auth/principal.ts';
import { SEGMENTS } from '../giving/donor-metrics.service.ts';
import { SOURCES } from '../supporters/supporters.schemas.ts';
import { EXPORT_LISTS, type ExportList } from './export-lists.ts';
import { startExport } from './exports.service.ts';

/** The client's own data is the client's (client_viewer); operators and planners export nothing. */
export const EXPORT_ROLES: readonly Role[] = ['admin', 'supervisor', 'client_viewer', 'integration'];

const Word = Type.String({ pattern: '^[a-z_]{1,40}$' });

const ExportQuery = Type.Object(
  {
    format: Type.Optional(Type.Enum(['csv', 'xlsx'], { default: 'csv' })),
    lang: Type.Optional(
      Type.Enum(['it', 'en'], { description: "Headers and formats; default the organization's locale" }),
    ),
    reveal: Type.Optional(
      Type.Literal('iban', {
        description: 'Commitments only: full IBANs, for principals with bank-data access (audited)',
      }),
    ),
    system: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_.-]{1,40}$',
        description: 'External-id system for the external id columns; default the first by name',
      }),
    ),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'supporters: search' })),
    status: Type.Optional(
      Type.Array(Word, { description: 'supporters, commitments, gifts: one or more (repeat the parameter)' }),
    ),
    source: Type.Optional(Type.Enum(SOURCES, { description: 'supporters' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'supporters' })),
    updatedSince: Type.Optional(Type.String({ format: 'date-time', description: 'supporters' })),
    from: Type.Optional(Type.String({ format: 'date', description: 'gifts: first gift date' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'gifts: last gift date' })),
    channel: Type.Optional(Word),
    segment: Type.Optional(Type.Enum(SEGMENTS, { description: 'segment: which one (required)' })),
    year: Type.Optional(
      Type.Integer({ minimum: 1900, maximum: 9999, description: 'segment: default this year' }),
    ),
  },
  { additionalProperties: false },
);

export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/organizations/:orgId/exports/:list',
    {
      config: { access: { roles: EXPORT_ROLES } },
      schema: {
        tags: ['exports'],
        summary:
          'A list or a donor segment as CSV or XLSX, streamed; IBANs masked unless ?reveal=iban with bank-data access',
        description:
          'Lists: supporters (q, status, source, tag, updatedSince), commitments (status), gifts (from, to, ' +
          'status), consents (channel; current consents), dnc, segment (segment, year). Headers are the ' +
          "import's column names, so a file re-imports as it is. lang=it: `;`, decimal comma, dd/mm/yyyy; " +
          'lang=en: `,`, decimal point, ISO dates. Every export is recorded in the audit trail.',
        params: Type.Object({ orgId: Uuid, list: Type.Enum(EXPORT_LISTS) }, { additionalProperties: false }),
        querystring: ExportQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: Type.String({ description: 'The file' }), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { format, lang, reveal, ...filters } = request.query;
      const prepared = await startExport({
        db: app.db,
        secrets: app.secrets,
        orgId: request.params.orgId,
        actor: principalOf(request),
        list: request.params.list as ExportList,
        filters,
        format: format ?? 'csv',
        lang,
        revealIban: reveal === 'iban',
      });
      const body = new PassThrough();
      prepared.write(body).catch((error: unknown) => {
        request.log.error({ err: error }, 'export failed while streaming');
        body.destroy(error as Error);
      });
      return reply
        .type(prepared.contentType)
        .header('content-disposition', `attachment; filename="${prepared.fileName}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
};
