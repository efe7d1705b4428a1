// SLA contracts, their evaluation, the cruscotto and the monthly report over
// HTTP (issue 7, DOMAIN.md §8).
//
// Readers: admin, supervisor, planner, quality and the client's viewer (their
// own organization only: the access hook and row-level security), as for KPIs.
// Writers of contracts: admin and supervisor.
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
  SLA_READERS,
  SLA_WRITERS,
  SlaContract,
  SlaEvaluation,
  UpdateSlaContractBody,
} from './sla.schemas.ts';
import {
  createSlaContract,
  deleteSlaContract,
  getSlaContract,
  listSlaContracts,
  type SlaTermsInput,
  updateSlaContract,
} from './sla-contracts.service.ts';
import { evaluateSlaPeriod, type SlaPeriodInput } from './sla-evaluation.service.ts';

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

export const slaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/api/organizations/:orgId/sla';

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
};
