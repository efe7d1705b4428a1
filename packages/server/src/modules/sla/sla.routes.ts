// SLA contracts, their evaluation, the cruscotto and the monthly report over
// HTTP (issue 7, DOMAIN.md §8).
//
// Readers: admin, supervisor, planner, quality and the client's viewer (their
// own organization only: the access hook and row-level security), as for KPIs.
// Writers of contracts: admin and supervisor.
import { toEpochMs } from '@centralino/engine';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { OrgParams, ProblemResponses } from '../../http/schemas.ts';
import { parsePeriod } from '../kpis/kpi-report.service.ts';
import { slaErrors } from './sla.errors.ts';
import {
  ContractParams,
  CreateSlaContractBody,
  EvaluationQuery,
  InvoiceQuery,
  SLA_READERS,
  SLA_WRITERS,
  SlaContract,
  SlaDashboard,
  SlaEvaluation,
  UpdateSlaContractBody,
} from './sla.schemas.ts';
import { publishPendingSlaAlerts } from './sla-alerts.service.ts';
import {
  createSlaContract,
  deleteSlaContract,
  getSlaContract,
  listSlaContracts,
  type SlaTermsInput,
  updateSlaContract,
} from './sla-contracts.service.ts';
import { getSlaDashboard, loadSlaMonthReport } from './sla-dashboard.service.ts';
import { checkMonthText, evaluateSlaPeriod, type SlaPeriodInput } from './sla-evaluation.service.ts';
import { evaluationCsv } from './sla-format.ts';
import { renderSlaReportHtml, renderSlaReportPdf } from './sla-report.ts';

function actor(principal: ReturnType<typeof principalOf>): string | null {
  if (!principal) return null;
  return principal.kind === 'user' ? `user:${principal.userId}` : `api_key:${principal.keyId}`;
}

export function periodOf(query: {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): SlaPeriodInput {
  if (query.period !== undefined) {
    if (query.from !== undefined || query.to !== undefined)
      throw slaErrors.periodInvalid('give period (YYYY-MM) or from and to, not both');
    return { month: query.period };
  }
  if (query.from === undefined || query.to === undefined)
    throw slaErrors.periodInvalid('give period=YYYY-MM, or from and to (ISO instants with an offset)');
  return parsePeriod(query.from, query.to);
}

/** How often committed alerts are looked for to publish on the realtime hub. */
export const SLA_ALERT_POLL_MS = 1_000;

export const slaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/api/organizations/:orgId/sla';

  // Alerts are stored in the transaction that closes an interaction; they go
  // on the realtime hub once committed, from here (the webhook went through
  // the outbox with the row).
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      running = publishPendingSlaAlerts({ db: app.db, hub: app.realtime }).catch((error: unknown) =>
        app.log.error({ err: error }, 'publishing SLA alerts failed'),
      );
    }, SLA_ALERT_POLL_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });

  app.get(
    `${base}/contracts`,
    {
      config: { access: { roles: SLA_READERS } },
      schema: {
        tags: ['sla'],
        summary: "The organization's SLA contracts with their current terms",
        params: OrgParams,
        response: { 200: Type.Array(SlaContract), ...ProblemResponses },
      },
    },
    async (request) => listSlaContracts({ db: app.db, orgId: request.params.orgId }),
  );

  app.post(
    `${base}/contracts`,
    {
      config: { access: { roles: SLA_WRITERS } },
      schema: {
        tags: ['sla'],
        summary:
          'A new SLA contract: metrics with minimum, target, window, kind and allocation; at-risk % of the invoice; bonus rules',
        params: OrgParams,
        body: CreateSlaContractBody,
        response: { 201: SlaContract, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const contract = await createSlaContract({
        db: app.db,
        orgId: request.params.orgId,
        input: request.body as SlaTermsInput & { name: string; validFrom: string; validTo?: string | null },
        actor: actor(principalOf(request)),
      });
      // The typed reply wants plain records where the contract has engine types: same JSON.
      return reply.code(201).send(contract as never);
    },
  );

  app.get(
    `${base}/contracts/:contractId`,
    {
      config: { access: { roles: SLA_READERS } },
      schema: {
        tags: ['sla'],
        summary: 'An SLA contract with every version of its terms',
        params: ContractParams,
        response: { 200: SlaContract, ...ProblemResponses },
      },
    },
    async (request) => getSlaContract({ db: app.db, ...request.params }),
  );

  app.put(
    `${base}/contracts/:contractId`,
    {
      config: { access: { roles: SLA_WRITERS } },
      schema: {
        tags: ['sla'],
        summary:
          'New terms as a new version from effectiveFrom (default the current month) on; a closed month is refused (409)',
        params: ContractParams,
        body: UpdateSlaContractBody,
        response: { 200: SlaContract, ...ProblemResponses },
      },
    },
    async (request) =>
      updateSlaContract({
        db: app.db,
        ...request.params,
        input: request.body as SlaTermsInput & {
          effectiveFrom?: string;
          name?: string;
          validTo?: string | null;
        },
        actor: actor(principalOf(request)),
        nowMs: Date.now(),
      }),
  );

  app.delete(
    `${base}/contracts/:contractId`,
    {
      config: { access: { roles: SLA_WRITERS } },
      schema: {
        tags: ['sla'],
        summary: 'Delete a contract that has not started yet (otherwise end it with validTo)',
        params: ContractParams,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await deleteSlaContract({ db: app.db, ...request.params, nowMs: Date.now() });
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${base}/evaluation`,
    {
      config: { access: { roles: SLA_READERS } },
      schema: {
        tags: ['sla'],
        summary:
          'The contract evaluated over a month (period=YYYY-MM) or from/to: per metric value, status, share of days and intervals that met it, credit; bonuses; total',
        params: OrgParams,
        querystring: EvaluationQuery,
        response: { 200: SlaEvaluation, ...ProblemResponses },
      },
    },
    async (request) =>
      evaluateSlaPeriod({
        db: app.db,
        orgId: request.params.orgId,
        period: periodOf(request.query),
        invoiceCents: request.query.invoiceCents ?? null,
      }),
  );

  app.get(
    `${base}/dashboard`,
    {
      config: { access: { roles: SLA_READERS } },
      schema: {
        tags: ['sla'],
        summary:
          "The cruscotto: the current month so far, trend per day, distribution over today's intervals, each metric live in its window, alerts",
        params: OrgParams,
        querystring: Type.Object(
          {
            at: Type.Optional(
              Type.String({ description: 'Replay the dashboard at an ISO instant (default now)' }),
            ),
            ...InvoiceQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: SlaDashboard, ...ProblemResponses },
      },
    },
    async (request) => {
      const at = request.query.at === undefined ? Date.now() : toEpochMs(request.query.at);
      if (at === undefined) throw slaErrors.periodInvalid('at must be an ISO 8601 instant with an offset');
      return getSlaDashboard({
        db: app.db,
        orgId: request.params.orgId,
        nowMs: at,
        invoiceCents: request.query.invoiceCents ?? null,
      });
    },
  );

  app.get(
    `${base}/report/:file`,
    {
      config: { access: { roles: SLA_READERS } },
      schema: {
        tags: ['sla'],
        summary:
          'The monthly report: YYYY-MM.html (self-contained, printable), YYYY-MM.pdf (headless Chromium; 503 without one) or YYYY-MM.csv',
        params: Type.Object(
          {
            orgId: Type.String({ format: 'uuid' }),
            file: Type.String({ pattern: '^\\d{4}-\\d{2}\\.(html|pdf|csv)$' }),
          },
          { additionalProperties: false },
        ),
        querystring: Type.Object(
          {
            lang: Type.Union([Type.Literal('it'), Type.Literal('en')], { default: 'it' }),
            ...InvoiceQuery,
          },
          { additionalProperties: false },
        ),
        response: ProblemResponses,
      },
    },
    async (request, reply) => {
      const { orgId, file } = request.params;
      const [month, extension] = file.split('.') as [string, 'html' | 'pdf' | 'csv'];
      const { report, trend } = await loadSlaMonthReport({
        db: app.db,
        orgId,
        month: checkMonthText(month),
        invoiceCents: request.query.invoiceCents ?? null,
      });
      if (extension === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="sla-${month}.csv"`)
          .send(evaluationCsv(report));
      }
      const organization = await app.db.readForOrg(orgId, (tx) =>
        tx.selectFrom('organizations').select('name').where('id', '=', orgId).executeTakeFirst(),
      );
      const html = renderSlaReportHtml({
        report,
        trend,
        organizationName: organization?.name ?? '',
        lang: request.query.lang,
      });
      if (extension === 'html') return reply.type('text/html; charset=utf-8').send(html);
      const pdf = await renderSlaReportPdf({ html, chromiumPath: process.env.CHROMIUM_PATH });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="sla-${month}.pdf"`)
        .send(pdf);
    },
  );
};
