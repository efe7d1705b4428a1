// Cross-organization isolation, generated from the OpenAPI document: every
// route with {orgId} is called by principals of organization alpha (a client
// viewer, an operator assigned to alpha only, alpha's API key) with beta's id,
// and must answer 404 (or 403 for a role the route refuses), never data. Every
// route with a further parameter is then called under alpha's own id with a
// record of beta (and with an id nobody uses): both answers must be the same
// 404 — beta's record makes no difference. A route added later is covered
// without touching this file, unless it brings a parameter with no example
// below: then this test fails and names it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, createTestApp, seedPeople, signIn, type TestApp } from '../../test/test-app.ts';
import { createApiKey } from '../modules/api-keys/api-keys.service.ts';
import type { Role } from '../modules/auth/principal.ts';
import { mergeSupporters } from '../modules/dedupe/merges.service.ts';
import { createSlaContract } from '../modules/sla/sla-contracts.service.ts';
import { createSupporter } from '../modules/supporters/supporters.service.ts';

type Operation = {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};
// biome-ignore lint/suspicious/noExplicitAny: JSON schemas of the OpenAPI document, read generically
type JsonSchema = Record<string, any>;
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/**
 * How to fill each path parameter. `record`: an id of one of beta's rows (and an
 * id no row has); the answer under alpha must be 404. `value`: data that beta
 * holds something about (a phone number); the answer under alpha must not
 * change because of it. `enum`: a fixed word (an import kind), same in both calls.
 */
type Example = { kind: 'record' | 'value' | 'enum'; beta: string; unused: string };

let t: TestApp;
let alpha: string;
let beta: string;
let document: OpenApi;
const examples = new Map<string, Example>();
const principals = new Map<string, Record<string, string>>();

beforeAll(async () => {
  t = await createTestApp();
  const people = await seedPeople(t.db);
  alpha = people.alpha.id;
  beta = people.beta.id;
  for (const role of ['admin', 'operator', 'client_viewer'] as const) {
    principals.set(role, asUser(await signIn(t.app, `${role}@example.test`)));
  }
  const alphaKey = await createApiKey({ db: t.db, principal: null, orgId: alpha, name: 'alpha integration' });
  principals.set('integration', { authorization: `Bearer ${alphaKey.key}` });

  // Beta's records, one per kind of path parameter.
  const betaKey = await createApiKey({ db: t.db, principal: null, orgId: beta, name: 'beta integration' });
  const supporter = await createSupporter({
    db: t.db,
    principal: null,
    orgId: beta,
    input: { lastName: 'Beta Only' },
  });
  const betaNumber = '+393330001111';
  const rows = await t.db.forOrg(beta, async (tx) => {
    await tx
      .insertInto('custom_field_definitions')
      .values({ org_id: beta, key: 'beta_only', label: 'B', type: 'text' })
      .execute();
    await tx
      .insertInto('dnc_entries')
      .values({ org_id: beta, number: betaNumber, reason: 'beta secret' })
      .execute();
    await tx
      .insertInto('register_checks')
      .values({ org_id: beta, number: betaNumber, checked_on: '2025-06-01', registered: true })
      .execute();
    const commitment = await tx
      .insertInto('commitments')
      .values({
        org_id: beta,
        supporter_id: supporter.id,
        amount_cents: 1000,
        frequency: 'monthly',
        method: 'card',
        start_date: '2025-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mandate = await tx
      .insertInto('mandates')
      .values({
        org_id: beta,
        commitment_id: commitment.id,
        creditor_id: 'IT00ZZZ00000000000',
        reference: 'BETA-ONLY-1',
        signature_date: '2025-01-01',
        iban_encrypted: 'x',
        iban_country: 'IT',
        iban_last4: '3456',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = await tx
      .insertInto('import_jobs')
      .values({ org_id: beta, kind: 'supporters', errors: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('import_presets')
      .values({ org_id: beta, kind: 'supporters', name: 'beta-preset', mapping: '{}' })
      .execute();
    const webhook = await tx
      .insertInto('webhook_subscriptions')
      .values({
        org_id: beta,
        url: 'https://beta.example.test/hook',
        events: ['supporter.created'],
        secret_encrypted: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const event = await tx
      .insertInto('outbox_events')
      .values({ org_id: beta, type: 'supporter.created', payload: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = await tx
      .insertInto('webhook_deliveries')
      .values({ org_id: beta, subscription_id: webhook.id, outbox_event_id: event.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const duplicate = await tx
      .insertInto('supporters')
      .values({ org_id: beta, last_name: 'Beta Duplicate' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      commitment: commitment.id,
      mandate: mandate.id,
      job: job.id,
      webhook: webhook.id,
      delivery: delivery.id,
      duplicate,
    };
  });
  // A merge in beta (its undo under alpha's id must be a 404 like an unknown one).
  const betaMerge = await mergeSupporters({
    db: t.db,
    principal: null,
    orgId: beta,
    keptId: supporter.id,
    mergedId: rows.duplicate.id,
  });
  const record = (id: string, unused: string = randomUUID()): Example => ({
    kind: 'record',
    beta: id,
    unused,
  });
  examples.set('supporterId', record(supporter.id));
  examples.set('keptId', record(supporter.id));
  examples.set('mergeId', record(betaMerge.id));
  examples.set('keyId', record(betaKey.id));
  examples.set('commitmentId', record(rows.commitment));
  examples.set('mandateId', record(rows.mandate));
  examples.set('jobId', record(rows.job));
  examples.set('webhookId', record(rows.webhook));
  examples.set('deliveryId', record(rows.delivery, '999999999'));
  examples.set('key', record('beta_only', 'never_defined'));
  // Preset names are keys within an organization (PUT creates one), not global ids.
  examples.set('name', { kind: 'value', beta: 'beta-preset', unused: 'never-saved' });
  examples.set('number', { kind: 'value', beta: betaNumber, unused: '+393330009999' });
  examples.set('kind', { kind: 'enum', beta: 'supporters', unused: 'supporters' });
  examples.set('segment', { kind: 'enum', beta: 'lapsed', unused: 'lapsed' });
  examples.set('list', { kind: 'enum', beta: 'supporters', unused: 'supporters' });
  // A KPI's name is a fixed word, the same in both calls.
  examples.set('kpiId', { kind: 'enum', beta: 'service_level', unused: 'service_level' });
  // A monthly report's file name is a month and a format, the same in both calls.
  examples.set('file', { kind: 'enum', beta: '2026-11.csv', unused: '2026-11.csv' });
  const contract = await createSlaContract({
    db: t.db,
    orgId: beta,
    input: {
      name: 'Beta SLA',
      validFrom: '2026-01',
      atRiskPercent: 10,
      metrics: [
        {
          kpi: 'service_level',
          minimum: 0.8,
          target: 0.9,
          window: 'month',
          kind: 'critical',
          allocationPercent: 50,
        },
      ],
    } as never,
    actor: null,
  });
  examples.set('contractId', { kind: 'record', beta: contract.id, unused: randomUUID() });

  document = t.app.swagger() as OpenApi;
});
// Beta's contact-center configuration, one record per path parameter of those routes.
beforeAll(async () => {
  const ids = await t.db.forOrg(beta, async (tx) => {
    await tx.insertInto('skills').values({ org_id: beta, key: 'beta_skill', label: 'B' }).execute();
    const queue = await tx
      .insertInto('queues')
      .values({ org_id: beta, key: 'beta-queue', name: 'B' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const flow = await tx
      .insertInto('ivr_flows')
      .values({
        org_id: beta,
        name: 'B',
        definition: JSON.stringify({ entry: 'bye', nodes: { bye: { type: 'hangup' } } }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('numbers')
      .values({ e164: '+390288887777', org_id: beta, kind: 'geographic', ivr_flow_id: flow.id })
      .execute();
    const window = await tx
      .insertInto('calling_windows')
      .values({
        org_id: beta,
        name: 'B',
        weekly: JSON.stringify([{ days: ['mon'], from: '09:00', to: '18:00' }]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const disposition = await tx
      .insertInto('dispositions')
      .values({ org_id: beta, code: 'beta_only', label_it: 'B', label_en: 'B', effect: 'none' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const campaign = await tx
      .insertInto('campaigns')
      .values({ org_id: beta, name: 'B', cycle_type: 'welcome' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      queue: queue.id,
      flow: flow.id,
      window: window.id,
      disposition: disposition.id,
      campaign: campaign.id,
    };
  });
  const record = (id: string, unused: string = randomUUID()): Example => ({
    kind: 'record',
    beta: id,
    unused,
  });
  examples.set('queueId', record(ids.queue));
  examples.set('ivrFlowId', record(ids.flow));
  examples.set('callingWindowId', record(ids.window));
  examples.set('dispositionId', record(ids.disposition));
  examples.set('campaignId', record(ids.campaign));
  examples.set('skillKey', record('beta_skill', 'never_defined_skill'));
  examples.set('e164', record('+390288887777', '+390288887778'));
});
afterAll(() => t.close());

/**
 * Bodies for routes whose generated sample is valid by schema but refused by a
 * rule checked before the record lookup (then the answer could not be a 404).
 */
const BODY_OVERRIDES: Record<string, unknown> = {
  'POST /api/organizations/{orgId}/supporters/{supporterId}/commitments': {
    amountCents: 1000,
    frequency: 'monthly',
    method: 'card',
    startDate: '2025-01-01',
  },
  'PUT /api/organizations/{orgId}/sla/contracts/{contractId}': {
    atRiskPercent: 10,
    metrics: [
      {
        kpi: 'service_level',
        minimum: 0.8,
        target: 0.9,
        window: 'month',
        kind: 'critical',
        allocationPercent: 50,
      },
    ],
  },
};

// Reads first, then deletions, then writes: an upsert (PUT) under alpha creates
// alpha's own row, which must not change what an earlier read or delete sees.
const METHOD_ORDER = ['GET', 'DELETE', 'PATCH', 'POST', 'PUT'];

type Route = { method: string; path: string; params: string[]; operation: Operation };

function orgRoutes(): Route[] {
  return Object.entries(document.paths)
    .filter(([path]) => path.includes('{orgId}'))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).filter((p) => p !== 'orgId'),
        operation,
      })),
    );
}

function exampleOf(route: Route, param: string): Example {
  const example = examples.get(param);
  if (!example) {
    throw new Error(
      `${route.method} ${route.path}: no example for path parameter {${param}} — add one of beta's ids to ` +
        'the examples in packages/server/src/http/isolation.test.ts',
    );
  }
  return example;
}

function urlOf(route: Route, orgId: string, pick: 'beta' | 'unused'): string {
  return route.path.replace(/\{(\w+)\}/g, (_, param: string) =>
    encodeURIComponent(param === 'orgId' ? orgId : exampleOf(route, param)[pick]),
  );
}

/** A body valid for the route's JSON schema, from examples, defaults and types. */
function sampleBody(route: Route): unknown {
  const content = route.operation.requestBody?.content;
  if (!content) return undefined;
  const json = content['application/json']?.schema;
  if (!json) return undefined;
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.split('/').at(-1) as string;
      const target = document.components?.schemas?.[name];
      if (!target) throw new Error(`${route.method} ${route.path}: unresolvable ${schema.$ref}`);
      return resolve(target);
    }
    return schema;
  };
  const sample = (raw: JsonSchema, where: string): unknown => {
    const schema = resolve(raw);
    if (schema.examples?.length) return schema.examples[0];
    if (schema.default !== undefined) return schema.default;
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) return schema.enum[0];
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives)
      return sample(
        alternatives.find((a: JsonSchema) => resolve(a).type !== 'null') ?? alternatives[0],
        where,
      );
    switch (schema.type) {
      case 'object': {
        const properties: Record<string, JsonSchema> = schema.properties ?? {};
        const required = new Set<string>(schema.required ?? []);
        const names = Object.keys(properties).filter(
          (name) => required.has(name) || resolve(properties[name] as JsonSchema).examples?.length,
        );
        for (const name of Object.keys(properties)) {
          if (names.length >= (schema.minProperties ?? 0)) break;
          if (!names.includes(name)) names.push(name);
        }
        return Object.fromEntries(
          names.map((name) => [name, sample(properties[name] as JsonSchema, `${where}.${name}`)]),
        );
      }
      case 'array':
        return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}, `${where}[]`));
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return true;
      case 'string': {
        const formats: Record<string, string> = {
          uuid: randomUUID(),
          date: '2025-01-01',
          'date-time': '2025-01-01T00:00:00.000Z',
          email: 'someone@example.test',
          uri: 'https://example.test/',
        };
        if (schema.format && formats[schema.format]) return formats[schema.format];
        if (schema.pattern) {
          throw new Error(
            `${route.method} ${route.path}: cannot invent a value for ${where} (pattern ${schema.pattern}); ` +
              'give that schema `examples`',
          );
        }
        return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
      }
      default:
        return {};
    }
  };
  return sample(json, 'body');
}

async function call(method: string, url: string, headers: Record<string, string>, body?: unknown) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: response.statusCode, body: response.body };
}

describe('cross-organization isolation over every route of the API document', () => {
  it('covers the organization routes (a sanity check that the document was read)', () => {
    const routes = orgRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) for (const param of route.params) exampleOf(route, param);
  });

  it("alpha's client viewer, operator and API key get 404 or 403 for beta's id on every route", async () => {
    const failures: string[] = [];
    for (const route of orgRoutes()) {
      for (const role of ['client_viewer', 'operator', 'integration'] as const) {
        const response = await call(route.method, urlOf(route, beta, 'beta'), principals.get(role)!);
        const code = JSON.parse(response.body || '{}').code;
        const refused =
          (response.status === 404 && code === 'ORGANIZATION_NOT_FOUND') ||
          (response.status === 403 && code === 'FORBIDDEN');
        if (!refused)
          failures.push(
            `${role} ${route.method} ${route.path}: ${response.status} ${response.body.slice(0, 200)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it("under alpha's own id, a record of beta is answered exactly like an id nobody has: 404", async () => {
    const failures: string[] = [];
    const routes = orgRoutes()
      .filter((route) => route.params.some((p) => exampleOf(route, p).kind !== 'enum'))
      .sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
    expect(routes.length).toBeGreaterThan(5);
    for (const route of routes) {
      const override = `${route.method} ${route.path}`;
      const body = override in BODY_OVERRIDES ? BODY_OVERRIDES[override] : sampleBody(route);
      const scrub = (text: string) =>
        route.params.reduce((out, param) => {
          const example = exampleOf(route, param);
          return [
            example.beta,
            example.unused,
            encodeURIComponent(example.beta),
            encodeURIComponent(example.unused),
          ].reduce((acc, value) => acc.replaceAll(value, `{${param}}`), out);
        }, text);
      let reached = false;
      for (const role of ['admin', 'operator', 'client_viewer', 'integration'] as Role[]) {
        const headers = principals.get(role)!;
        const withBeta = await call(route.method, urlOf(route, alpha, 'beta'), headers, body);
        if (withBeta.status === 403) continue;
        reached = true;
        const withUnused = await call(route.method, urlOf(route, alpha, 'unused'), headers, body);
        const label = `${role} ${route.method} ${route.path}`;
        const recordParams = route.params.filter((p) => exampleOf(route, p).kind === 'record');
        if (recordParams.length > 0 && withBeta.status !== 404) {
          failures.push(
            `${label}: ${withBeta.status} for beta's record (${withBeta.body.slice(0, 200)}); if the route ` +
              'refuses the generated body first, add a valid one to BODY_OVERRIDES',
          );
        } else if (withBeta.status !== withUnused.status || scrub(withBeta.body) !== scrub(withUnused.body)) {
          failures.push(
            `${label}: beta's data changes the answer: ${withBeta.body.slice(0, 200)} vs ${withUnused.body.slice(0, 200)}`,
          );
        }
      }
      if (!reached)
        failures.push(`${route.method} ${route.path}: no alpha principal may call it; add one to this test`);
    }
    expect(failures).toEqual([]);
  });
});
