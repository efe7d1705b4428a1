// Each role's allowed and refused routes. The table below is the contract;
// the last test makes sure every documented route is in it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  createTestApp,
  type Session,
  seedPeople,
  signIn,
  type TestApp,
  testSecrets,
} from '../../test/test-app.ts';
import type { Role } from '../modules/auth/principal.ts';
import {
  CALL_LIST_READERS,
  CAMPAIGN_READERS,
  CAMPAIGN_WRITERS,
} from '../modules/campaigns/campaigns.schemas.ts';
import {
  CALLING_WINDOW_READERS,
  CONFIG_WRITERS,
  DISPOSITION_READERS,
  LINE_READERS,
  OPERATOR_READERS,
  QUEUE_READERS,
  QUEUE_WRITERS,
  SKILL_READERS,
} from '../modules/contact-center/contact-center.schemas.ts';
import { DEDUPE_READERS, DEDUPE_WRITERS } from '../modules/dedupe/dedupe.routes.ts';
import { mergeSupporters } from '../modules/dedupe/merges.service.ts';
import { EXPORT_ROLES } from '../modules/exports/exports.routes.ts';
import { GIVING_READERS, GIVING_WRITERS } from '../modules/giving/commitments.routes.ts';
import { createCommitmentWithMandate } from '../modules/giving/commitments.service.ts';
import { creditorId, IBAN_IT } from '../modules/giving/giving.fixtures.ts';
import { runImport } from '../modules/imports/import.service.ts';
import { KPI_READERS, KPI_SETTINGS_WRITERS } from '../modules/kpis/kpis.schemas.ts';
import { SLA_READERS, SLA_WRITERS } from '../modules/sla/sla.schemas.ts';
import { createSlaContract } from '../modules/sla/sla-contracts.service.ts';
import {
  CRM_CONFIG_READERS,
  CRM_CONFIG_WRITERS,
  CRM_READERS,
  CRM_WRITERS,
} from '../modules/supporters/supporters.schemas.ts';

const KPI_PERIOD = 'from=2026-03-01T00:00:00%2B01:00&to=2026-03-02T00:00:00%2B01:00';
// SLA fixtures of alpha: a contract covering 2026 to 2098 (evaluation, dashboard, report, new
// versions) and one not started (2099, deleted); new contracts go to earlier months, one each.
const sla = { contractId: '', futureId: '', nextYear: 2000 };
const SLA_TERMS = {
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
};

type Case = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  url: (ids: { alpha: string; webhook: string; delivery: string }) => string;
  body?: () => object;
  /** A CSV file as the raw body (imports). */
  file?: () => string;
  allowed: readonly Role[];
};

const USERS: readonly Role[] = ['admin', 'supervisor', 'planner', 'quality', 'operator', 'client_viewer'];
const EVERYONE: readonly Role[] = [...USERS, 'integration'];

const IMPORT_READERS: readonly Role[] = ['admin', 'supervisor', 'client_viewer', 'integration'];
const IMPORT_WRITERS: readonly Role[] = ['admin', 'supervisor', 'integration'];
// An import job of alpha, for the routes that read one.
const imports = { jobId: '' };

const CASES: Case[] = [
  { method: 'GET', path: '/api/auth/session', url: () => '/api/auth/session', allowed: EVERYONE },
  { method: 'GET', path: '/api/center/clock', url: () => '/api/center/clock', allowed: EVERYONE },
  { method: 'GET', path: '/api/organizations', url: () => '/api/organizations', allowed: USERS },
  {
    method: 'POST',
    path: '/api/organizations',
    url: () => '/api/organizations',
    body: () => ({ slug: `org-${randomUUID().slice(0, 8)}`, name: 'New client' }),
    allowed: ['admin'],
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}',
    url: ({ alpha }) => `/api/organizations/${alpha}`,
    allowed: EVERYONE,
  },
  {
    method: 'PATCH',
    path: '/api/organizations/{orgId}',
    url: ({ alpha }) => `/api/organizations/${alpha}`,
    body: () => ({ locale: 'it' }),
    allowed: ['admin'],
  },
  { method: 'GET', path: '/api/users', url: () => '/api/users', allowed: ['admin'] },
  {
    method: 'POST',
    path: '/api/users',
    url: () => '/api/users',
    body: () => ({
      email: `${randomUUID()}@example.test`,
      role: 'operator',
      password: 'long enough password',
    }),
    allowed: ['admin'],
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/api-keys',
    url: ({ alpha }) => `/api/organizations/${alpha}/api-keys`,
    allowed: ['admin', 'supervisor'],
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/api-keys',
    url: ({ alpha }) => `/api/organizations/${alpha}/api-keys`,
    body: () => ({ name: 'another key' }),
    allowed: ['admin'],
  },
  {
    method: 'DELETE',
    path: '/api/organizations/{orgId}/api-keys/{keyId}',
    url: ({ alpha }) => `/api/organizations/${alpha}/api-keys/${randomUUID()}`,
    allowed: ['admin'],
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/audit-events',
    url: ({ alpha }) => `/api/organizations/${alpha}/audit-events`,
    allowed: ['admin', 'supervisor', 'client_viewer'],
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/webhooks',
    url: ({ alpha }) => `/api/organizations/${alpha}/webhooks`,
    allowed: ['admin', 'supervisor', 'integration'],
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/webhooks',
    url: ({ alpha }) => `/api/organizations/${alpha}/webhooks`,
    body: () => ({ url: 'https://crm.example.org/hook', events: ['*'] }),
    allowed: ['admin', 'integration'],
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/webhooks/{webhookId}',
    url: ({ alpha, webhook }) => `/api/organizations/${alpha}/webhooks/${webhook}`,
    allowed: ['admin', 'supervisor', 'integration'],
  },
  {
    method: 'PATCH',
    path: '/api/organizations/{orgId}/webhooks/{webhookId}',
    url: ({ alpha, webhook }) => `/api/organizations/${alpha}/webhooks/${webhook}`,
    body: () => ({ description: 'changed' }),
    allowed: ['admin', 'integration'],
  },
  {
    method: 'DELETE',
    path: '/api/organizations/{orgId}/webhooks/{webhookId}',
    url: ({ alpha }) => `/api/organizations/${alpha}/webhooks/${randomUUID()}`,
    allowed: ['admin', 'integration'],
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/webhooks/{webhookId}/rotate-secret',
    url: ({ alpha, webhook }) => `/api/organizations/${alpha}/webhooks/${webhook}/rotate-secret`,
    allowed: ['admin', 'integration'],
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/webhooks/{webhookId}/test',
    url: ({ alpha, webhook }) => `/api/organizations/${alpha}/webhooks/${webhook}/test`,
    allowed: ['admin', 'integration'],
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/webhooks/{webhookId}/deliveries',
    url: ({ alpha, webhook }) => `/api/organizations/${alpha}/webhooks/${webhook}/deliveries`,
    allowed: ['admin', 'supervisor', 'integration'],
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
    url: ({ alpha, webhook, delivery }) =>
      `/api/organizations/${alpha}/webhooks/${webhook}/deliveries/${delivery}/redeliver`,
    allowed: ['admin', 'integration'],
  },
  {
    method: 'POST',
    path: '/api/wfm/schedule',
    url: () => '/api/wfm/schedule',
    body: () => ({
      requirements: { start: '2025-03-03T08:00:00Z', intervalMinutes: 30, requiredAgents: [1, 1] },
      templates: [{ id: 'one-hour', lengthMinutes: 60, startTimes: ['08:00'], costCents: 1000 }],
    }),
    allowed: ['admin', 'planner'],
  },
  {
    method: 'POST',
    path: '/api/wfm/erlang',
    url: () => '/api/wfm/erlang',
    body: () => ({ model: 'c', calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14 }),
    allowed: ['admin', 'planner'],
  },
  {
    method: 'POST',
    path: '/api/wfm/staffing',
    url: () => '/api/wfm/staffing',
    body: () => ({
      intervalSeconds: 1800,
      intervals: [{ calls: 100, ahtSeconds: 180 }],
      targetServiceLevel: 0.8,
    }),
    allowed: ['admin', 'planner'],
  },
  {
    method: 'POST',
    path: '/api/wfm/forecast',
    url: () => '/api/wfm/forecast',
    body: () => ({
      // Two weeks of one daily interval: enough for seasonal naive.
      history: Array.from({ length: 14 * 48 }, (_, i) => ({
        intervalStart: new Date(Date.UTC(2025, 2, 3) + i * 1_800_000).toISOString(),
        offered: 10 + (i % 48),
        ahtSeconds: 180,
      })),
      horizonDays: 1,
      methods: ['seasonal_naive'],
    }),
    allowed: ['admin', 'planner'],
  },
  {
    method: 'POST',
    path: '/api/wfm/dimension',
    url: () => '/api/wfm/dimension',
    body: () =>
      JSON.parse(readFileSync(new URL('../../../../examples/dimension-plan.json', import.meta.url), 'utf8')),
    allowed: ['admin', 'planner'],
  },
  {
    method: 'POST',
    path: '/api/wfm/simulate',
    url: () => '/api/wfm/simulate',
    body: () => ({
      scenario: {
        intervalMinutes: 30,
        intervals: 2,
        organizations: [{ id: 'o' }],
        queues: [
          {
            id: 'q',
            organization: 'o',
            callsPerInterval: 10,
            handleTime: { kind: 'exponential', meanSeconds: 180 },
            patience: { kind: 'exponential', meanSeconds: 120 },
          },
        ],
        operators: [{ id: 'ops', skills: ['q'], count: 2 }],
      },
      replications: 2,
    }),
    allowed: ['admin', 'planner'],
  },
  // Regular gifts, mandates and gifts (modules/giving): fixtures from the giving beforeAll below.
  {
    method: 'PATCH',
    path: '/api/users/{userId}',
    url: () => `/api/users/${giving.userId}`,
    body: () => ({ bankDataAccess: false }),
    allowed: ['admin'],
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/supporters/{supporterId}/commitments',
    url: ({ alpha }) => `/api/organizations/${alpha}/supporters/${giving.supporterId}/commitments`,
    body: () => ({ amountCents: 1000, frequency: 'monthly', method: 'card', startDate: '2025-01-01' }),
    allowed: GIVING_WRITERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/supporters/{supporterId}/commitments',
    url: ({ alpha }) => `/api/organizations/${alpha}/supporters/${giving.supporterId}/commitments`,
    allowed: GIVING_READERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/commitments/{commitmentId}',
    url: ({ alpha }) => `/api/organizations/${alpha}/commitments/${giving.commitmentId}`,
    allowed: GIVING_READERS,
  },
  {
    method: 'PATCH',
    path: '/api/organizations/{orgId}/commitments/{commitmentId}',
    url: ({ alpha }) => `/api/organizations/${alpha}/commitments/${giving.commitmentId}`,
    // No change: the version stays 1, so every allowed role's call succeeds.
    body: () => ({ version: 1, campaignCode: 'ACCESS' }),
    allowed: GIVING_WRITERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/commitments/{commitmentId}/history',
    url: ({ alpha }) => `/api/organizations/${alpha}/commitments/${giving.commitmentId}/history`,
    allowed: GIVING_READERS,
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/mandates/{mandateId}/revoke',
    url: ({ alpha }) => `/api/organizations/${alpha}/mandates/${giving.mandateId}/revoke`,
    // The first allowed call revokes; the next ones are the documented no-op (200).
    body: () => ({ reason: 'access test', revokedOn: '2025-02-01' }),
    allowed: GIVING_WRITERS,
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/supporters/{supporterId}/gifts',
    url: ({ alpha }) => `/api/organizations/${alpha}/supporters/${giving.supporterId}/gifts`,
    body: () => ({ giftDate: '2025-01-01', amountCents: 1000, method: 'card' }),
    allowed: GIVING_WRITERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/supporters/{supporterId}/gifts',
    url: ({ alpha }) => `/api/organizations/${alpha}/supporters/${giving.supporterId}/gifts`,
    allowed: GIVING_READERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/gifts',
    url: ({ alpha }) => `/api/organizations/${alpha}/gifts?from=2024-01-01`,
    allowed: GIVING_READERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/donor-metrics',
    url: ({ alpha }) => `/api/organizations/${alpha}/donor-metrics?year=2025`,
    allowed: GIVING_READERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/donor-metrics/segments/{segment}',
    url: ({ alpha }) => `/api/organizations/${alpha}/donor-metrics/segments/lybunt?year=2025`,
    allowed: GIVING_READERS,
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/imports/{kind}',
    url: ({ alpha }) => `/api/organizations/${alpha}/imports/supporters`,
    file: () => 'nome,cognome\nAnna,Neri\n',
    allowed: IMPORT_WRITERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/imports',
    url: ({ alpha }) => `/api/organizations/${alpha}/imports`,
    allowed: IMPORT_READERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/imports/{jobId}',
    url: ({ alpha }) => `/api/organizations/${alpha}/imports/${imports.jobId}`,
    allowed: IMPORT_READERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/imports/{jobId}/report.csv',
    url: ({ alpha }) => `/api/organizations/${alpha}/imports/${imports.jobId}/report.csv`,
    allowed: IMPORT_READERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/import-presets',
    url: ({ alpha }) => `/api/organizations/${alpha}/import-presets`,
    allowed: IMPORT_READERS,
  },
  {
    method: 'PUT',
    path: '/api/organizations/{orgId}/import-presets/{kind}/{name}',
    url: ({ alpha }) => `/api/organizations/${alpha}/import-presets/supporters/access`,
    body: () => ({ mapping: { Nome: 'first_name' } }),
    allowed: IMPORT_WRITERS,
  },
  {
    method: 'DELETE',
    path: '/api/organizations/{orgId}/import-presets/{kind}/{name}',
    url: ({ alpha }) => `/api/organizations/${alpha}/import-presets/supporters/access`,
    allowed: IMPORT_WRITERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/exports/{list}',
    url: ({ alpha }) => `/api/organizations/${alpha}/exports/supporters`,
    allowed: EXPORT_ROLES,
  },
  // Supporters CRM (modules/supporters): fixtures from the crm beforeAll below.
  ...(
    [
      ['GET', '/supporters', '/supporters', CRM_READERS],
      ['POST', '/supporters', '/supporters', CRM_WRITERS, () => ({ lastName: 'Access' })],
      ['GET', '/supporters/{supporterId}', () => `/supporters/${crm.supporterId}`, CRM_READERS],
      // No change: the version stays 1, so every allowed role's call succeeds.
      [
        'PATCH',
        '/supporters/{supporterId}',
        () => `/supporters/${crm.supporterId}`,
        CRM_WRITERS,
        () => ({ version: 1, lastName: 'Crm' }),
      ],
      [
        'GET',
        '/supporters/{supporterId}/timeline',
        () => `/supporters/${crm.supporterId}/timeline`,
        CRM_READERS,
      ],
      [
        'GET',
        '/supporters/{supporterId}/consents',
        () => `/supporters/${crm.supporterId}/consents`,
        CRM_READERS,
      ],
      [
        'POST',
        '/supporters/{supporterId}/consents',
        () => `/supporters/${crm.supporterId}/consents`,
        CRM_WRITERS,
        () => ({ channel: 'phone', purpose: 'marketing', granted: true, source: 'access test' }),
      ],
      [
        'GET',
        '/supporters/{supporterId}/consents/history',
        () => `/supporters/${crm.supporterId}/consents/history`,
        CRM_READERS,
      ],
      ['GET', '/custom-fields', '/custom-fields', CRM_READERS],
      [
        'POST',
        '/custom-fields',
        '/custom-fields',
        CRM_CONFIG_WRITERS,
        () => ({ key: `f_${randomUUID().slice(0, 8)}`, label: 'F', type: 'text' }),
      ],
      [
        'PATCH',
        '/custom-fields/{key}',
        '/custom-fields/access_field',
        CRM_CONFIG_WRITERS,
        () => ({ label: 'Access' }),
      ],
      ['DELETE', '/custom-fields/{key}', '/custom-fields/never_defined', CRM_CONFIG_WRITERS],
      ['GET', '/crm-settings', '/crm-settings', CRM_CONFIG_READERS],
      [
        'PATCH',
        '/crm-settings',
        '/crm-settings',
        CRM_CONFIG_WRITERS,
        () => ({ registerCheckMaxAgeDays: 30 }),
      ],
      ['GET', '/dnc', '/dnc', CRM_READERS],
      ['POST', '/dnc', '/dnc', CRM_WRITERS, () => ({ number: '+393331234000' })],
      ['GET', '/dnc/{number}', '/dnc/%2B393331234000', CRM_READERS],
      ['DELETE', '/dnc/{number}', '/dnc/%2B393339999999', CRM_WRITERS],
      [
        'POST',
        '/register-checks',
        '/register-checks',
        CRM_WRITERS,
        () => ({ number: '+393331234000', checkedOn: '2025-06-01', registered: false }),
      ],
      ['GET', '/phones/{number}/compliance', '/phones/%2B393331234000/compliance', CRM_READERS],
    ] as const
  ).map(
    ([method, path, url, allowed, body]): Case => ({
      method,
      path: `/api/organizations/{orgId}${path}`,
      url: ({ alpha }) => `/api/organizations/${alpha}${typeof url === 'string' ? url : url()}`,
      allowed,
      ...(body ? { body } : {}),
    }),
  ),
  // Duplicates and merges (modules/dedupe): each allowed merge or undo needs a pair of its own
  // (fixtures from the dedupe beforeAll below).
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/duplicates',
    url: ({ alpha }) => `/api/organizations/${alpha}/duplicates`,
    allowed: DEDUPE_READERS,
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/duplicates/dismiss',
    url: ({ alpha }) => `/api/organizations/${alpha}/duplicates/dismiss`,
    body: () => ({ a: dedupe.kept, b: dedupe.dismissed }),
    allowed: DEDUPE_WRITERS,
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/supporters/{keptId}/merge',
    url: ({ alpha }) => `/api/organizations/${alpha}/supporters/${dedupe.kept}/merge`,
    body: () => ({ mergedId: dedupe.duplicates.pop() }),
    allowed: DEDUPE_WRITERS,
  },
  {
    method: 'GET',
    path: '/api/organizations/{orgId}/merges',
    url: ({ alpha }) => `/api/organizations/${alpha}/merges`,
    allowed: DEDUPE_READERS,
  },
  {
    method: 'POST',
    path: '/api/organizations/{orgId}/merges/{mergeId}/undo',
    url: ({ alpha }) => `/api/organizations/${alpha}/merges/${dedupe.merges.pop()}/undo`,
    allowed: DEDUPE_WRITERS,
  },
  // Contact-center configuration (modules/contact-center): fixtures from the contact-center beforeAll below.
  {
    method: 'GET',
    path: '/api/skills',
    url: () => '/api/skills',
    allowed: SKILL_READERS,
  },
  {
    method: 'POST',
    path: '/api/skills',
    url: () => '/api/skills',
    body: () => ({ key: `c_${randomUUID().slice(0, 8)}`, label: 'Center skill' }),
    allowed: CONFIG_WRITERS,
  },
  {
    method: 'PATCH',
    path: '/api/skills/{skillKey}',
    url: () => '/api/skills/access_center_skill',
    body: () => ({ label: 'Access' }),
    allowed: CONFIG_WRITERS,
  },
  {
    method: 'DELETE',
    path: '/api/skills/{skillKey}',
    url: () => '/api/skills/never_defined_skill',
    allowed: CONFIG_WRITERS,
  },
  {
    // Each role's own statistics of the day; the organization's readers but not planners,
    // quality, client viewers or integrations.
    method: 'GET',
    path: '/api/operator/stats',
    url: () => '/api/operator/stats',
    allowed: ['admin', 'supervisor', 'operator'],
  },
  {
    // One's own promised callbacks: the people who take calls.
    method: 'GET',
    path: '/api/operator/callbacks',
    url: () => '/api/operator/callbacks',
    allowed: ['supervisor', 'operator'],
  },
  {
    method: 'GET',
    path: '/api/operators/{userId}/skills',
    url: () => `/api/operators/${contactCenter.operatorId}/skills`,
    allowed: OPERATOR_READERS,
  },
  {
    method: 'PUT',
    path: '/api/operators/{userId}/skills',
    url: () => `/api/operators/${contactCenter.operatorId}/skills`,
    body: () => ({ skills: [{ skillKey: 'access_center_skill', level: 5 }] }),
    allowed: CONFIG_WRITERS,
  },
  {
    method: 'GET',
    path: '/api/operators/{userId}/profile',
    url: () => `/api/operators/${contactCenter.operatorId}/profile`,
    allowed: OPERATOR_READERS,
  },
  {
    method: 'PUT',
    path: '/api/operators/{userId}/profile',
    url: () => `/api/operators/${contactCenter.operatorId}/profile`,
    body: () => ({ capacity: { voice: 1 } }),
    allowed: CONFIG_WRITERS,
  },
  ...(
    [
      ['GET', '/skills', '/skills', SKILL_READERS],
      [
        'POST',
        '/skills',
        '/skills',
        CONFIG_WRITERS,
        () => ({ key: `s_${randomUUID().slice(0, 8)}`, label: 'Skill' }),
      ],
      ['PATCH', '/skills/{skillKey}', '/skills/access_skill', CONFIG_WRITERS, () => ({ label: 'Access' })],
      ['DELETE', '/skills/{skillKey}', '/skills/never_defined_skill', CONFIG_WRITERS],
      ['GET', '/queues', '/queues', QUEUE_READERS],
      [
        'POST',
        '/queues',
        '/queues',
        QUEUE_WRITERS,
        () => ({ key: `q-${randomUUID().slice(0, 8)}`, name: 'Queue', skillExpression: 'donor_care >= 1' }),
      ],
      ['GET', '/queues/{queueId}', () => `/queues/${contactCenter.queueId}`, QUEUE_READERS],
      [
        'PATCH',
        '/queues/{queueId}',
        () => `/queues/${contactCenter.queueId}`,
        QUEUE_WRITERS,
        () => ({ name: 'Access' }),
      ],
      ['DELETE', '/queues/{queueId}', () => `/queues/${randomUUID()}`, QUEUE_WRITERS],
      ['GET', '/numbers', '/numbers', LINE_READERS],
      [
        'POST',
        '/numbers',
        '/numbers',
        CONFIG_WRITERS,
        () => ({
          e164: `+39021234${String(contactCenter.nextNumber++).padStart(4, '0')}`,
          kind: 'geographic',
        }),
      ],
      ['GET', '/numbers/{e164}', '/numbers/%2B390299990000', LINE_READERS],
      ['PATCH', '/numbers/{e164}', '/numbers/%2B390299990000', CONFIG_WRITERS, () => ({ label: 'Access' })],
      ['DELETE', '/numbers/{e164}', '/numbers/%2B390299990001', CONFIG_WRITERS],
      ['GET', '/ivr-flows', '/ivr-flows', LINE_READERS],
      [
        'POST',
        '/ivr-flows',
        '/ivr-flows',
        CONFIG_WRITERS,
        () => ({ name: 'Flow', definition: { entry: 'bye', nodes: { bye: { type: 'hangup' } } } }),
      ],
      ['GET', '/ivr-flows/{ivrFlowId}', () => `/ivr-flows/${contactCenter.ivrFlowId}`, LINE_READERS],
      [
        'PATCH',
        '/ivr-flows/{ivrFlowId}',
        () => `/ivr-flows/${contactCenter.ivrFlowId}`,
        CONFIG_WRITERS,
        () => ({ name: 'Access' }),
      ],
      ['DELETE', '/ivr-flows/{ivrFlowId}', () => `/ivr-flows/${randomUUID()}`, CONFIG_WRITERS],
      ['GET', '/calling-windows', '/calling-windows', CALLING_WINDOW_READERS],
      [
        'POST',
        '/calling-windows',
        '/calling-windows',
        CONFIG_WRITERS,
        () => ({ name: 'Window', weekly: [{ days: ['mon'], from: '09:00', to: '18:00' }] }),
      ],
      [
        'GET',
        '/calling-windows/{callingWindowId}',
        () => `/calling-windows/${contactCenter.callingWindowId}`,
        CALLING_WINDOW_READERS,
      ],
      [
        'PATCH',
        '/calling-windows/{callingWindowId}',
        () => `/calling-windows/${contactCenter.callingWindowId}`,
        CONFIG_WRITERS,
        () => ({ name: 'Access' }),
      ],
      [
        'DELETE',
        '/calling-windows/{callingWindowId}',
        () => `/calling-windows/${randomUUID()}`,
        CONFIG_WRITERS,
      ],
      ['GET', '/dispositions', '/dispositions', DISPOSITION_READERS],
      [
        'POST',
        '/dispositions',
        '/dispositions',
        CONFIG_WRITERS,
        () => ({ code: `d_${randomUUID().slice(0, 8)}`, labelIt: 'D', labelEn: 'D', effect: 'none' }),
      ],
      [
        'PATCH',
        '/dispositions/{dispositionId}',
        () => `/dispositions/${contactCenter.dispositionId}`,
        CONFIG_WRITERS,
        () => ({ labelEn: 'Access' }),
      ],
      ['DELETE', '/dispositions/{dispositionId}', () => `/dispositions/${randomUUID()}`, CONFIG_WRITERS],
      ['GET', '/campaigns', '/campaigns', CAMPAIGN_READERS],
      [
        'POST',
        '/campaigns',
        '/campaigns',
        CAMPAIGN_WRITERS,
        () => ({ name: 'Campaign', cycleType: 'welcome' }),
      ],
      ['GET', '/campaigns/{campaignId}', () => `/campaigns/${contactCenter.campaignId}`, CAMPAIGN_READERS],
      [
        'PATCH',
        '/campaigns/{campaignId}',
        () => `/campaigns/${contactCenter.campaignId}`,
        CAMPAIGN_WRITERS,
        () => ({ name: 'Access' }),
      ],
      ['DELETE', '/campaigns/{campaignId}', () => `/campaigns/${randomUUID()}`, CAMPAIGN_WRITERS],
      [
        'POST',
        '/campaigns/{campaignId}/call-list/refresh',
        () => `/campaigns/${contactCenter.campaignId}/call-list/refresh`,
        CAMPAIGN_WRITERS,
      ],
      [
        'GET',
        '/campaigns/{campaignId}/call-list',
        () => `/campaigns/${contactCenter.campaignId}/call-list`,
        CALL_LIST_READERS,
      ],
      [
        'GET',
        '/campaigns/{campaignId}/progress',
        () => `/campaigns/${contactCenter.campaignId}/progress`,
        CAMPAIGN_READERS,
      ],
    ] as const
  ).map(
    ([method, path, url, allowed, body]): Case => ({
      method,
      path: `/api/organizations/{orgId}${path}`,
      url: ({ alpha }) => `/api/organizations/${alpha}${typeof url === 'string' ? url : url()}`,
      allowed,
      ...(body ? { body } : {}),
    }),
  ),
  // KPIs (modules/kpis): reports for everyone who reads an organization's figures, not operators.
  ...(
    [
      ['GET', '/kpis', `/kpis?${KPI_PERIOD}&group=day`, KPI_READERS],
      ['GET', '/kpis/{kpiId}/interactions', `/kpis/service_level/interactions?${KPI_PERIOD}`, KPI_READERS],
      ['GET', '/kpi-settings', '/kpi-settings', KPI_READERS],
      ['PUT', '/kpi-settings', '/kpi-settings', KPI_SETTINGS_WRITERS, () => ({})],
    ] as const
  ).map(
    ([method, path, url, allowed, body]): Case => ({
      method,
      path: `/api/organizations/{orgId}${path}`,
      url: ({ alpha }) => `/api/organizations/${alpha}${url}`,
      allowed,
      ...(body ? { body } : {}),
    }),
  ),
  // SLA contracts (modules/sla): read like KPIs; contracts written by admin and supervisor.
  ...(
    [
      ['GET', '/sla/contracts', () => '/sla/contracts', SLA_READERS],
      [
        'POST',
        '/sla/contracts',
        () => '/sla/contracts',
        SLA_WRITERS,
        () => {
          const year = sla.nextYear++;
          return { name: `Access ${year}`, validFrom: `${year}-01`, validTo: `${year}-12`, ...SLA_TERMS };
        },
      ],
      ['GET', '/sla/contracts/{contractId}', () => `/sla/contracts/${sla.contractId}`, SLA_READERS],
      [
        'PUT',
        '/sla/contracts/{contractId}',
        () => `/sla/contracts/${sla.contractId}`,
        SLA_WRITERS,
        () => SLA_TERMS,
      ],
      ['DELETE', '/sla/contracts/{contractId}', () => `/sla/contracts/${sla.futureId}`, SLA_WRITERS],
      ['GET', '/sla/evaluation', () => '/sla/evaluation?period=2026-03', SLA_READERS],
      ['GET', '/sla/dashboard', () => '/sla/dashboard', SLA_READERS],
      ['GET', '/sla/report/{file}', () => '/sla/report/2026-03.html', SLA_READERS],
    ] as const
  ).map(
    ([method, path, url, allowed, body]): Case => ({
      method,
      path: `/api/organizations/{orgId}${path}`,
      url: ({ alpha }) => `/api/organizations/${alpha}${url()}`,
      allowed,
      ...(body ? { body } : {}),
    }),
  ),
  // Last: it ends the sessions used above.
  { method: 'POST', path: '/api/auth/logout', url: () => '/api/auth/logout', allowed: USERS },
];

let t: TestApp;
let ids: { alpha: string; beta: string; webhook: string; delivery: string };
const credentials = new Map<Role, Record<string, string>>();

beforeAll(async () => {
  t = await createTestApp();
  const { alpha, beta } = await seedPeople(t.db);
  ids = { alpha: alpha.id, beta: beta.id, webhook: '', delivery: '' };
  for (const role of USERS) {
    const session: Session = await signIn(t.app, `${role}@example.test`);
    credentials.set(role, asUser(session));
  }
  const admin = credentials.get('admin')!;
  const key = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${alpha.id}/api-keys`,
    payload: { name: 'integration' },
    headers: admin,
  });
  credentials.set('integration', { authorization: `Bearer ${key.json().key}` });
  // A webhook (to a closed local port: its pings fail at once) and one delivery of it.
  const webhook = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${alpha.id}/webhooks`,
    payload: { url: 'http://127.0.0.1:9/hook', events: ['*'] },
    headers: admin,
  });
  ids.webhook = webhook.json().id;
  const ping = await t.app.inject({
    method: 'POST',
    url: `/api/organizations/${alpha.id}/webhooks/${ids.webhook}/test`,
    headers: admin,
  });
  ids.delivery = ping.json().id;
});
// Giving fixtures: a supporter and a card commitment in alpha, a user whose permissions change.
const giving = { supporterId: '', commitmentId: '', mandateId: '', userId: '' };
beforeAll(async () => {
  const orgId = ids.alpha;
  await t.db.forOrg(orgId, async (tx) => {
    const supporter = await tx
      .insertInto('supporters')
      .values({ org_id: orgId, first_name: 'Anna', last_name: 'Verdi' })
      .returning('id')
      .executeTakeFirstOrThrow();
    giving.supporterId = supporter.id;
    const commitment = await createCommitmentWithMandate(tx, testSecrets, {
      orgId,
      supporterId: supporter.id,
      amountCents: 1000,
      frequency: 'monthly',
      method: 'card',
      startDate: '2025-01-01',
      campaignCode: 'ACCESS',
      actor: 'system',
    });
    giving.commitmentId = commitment.id;
    const sepa = await createCommitmentWithMandate(tx, testSecrets, {
      orgId,
      supporterId: supporter.id,
      amountCents: 1000,
      frequency: 'monthly',
      method: 'sepa_direct_debit',
      startDate: '2025-01-01',
      mandate: { iban: IBAN_IT, signatureDate: '2025-01-01', creditorId: creditorId() },
      actor: 'system',
    });
    giving.mandateId = sepa.mandate!.id;
  });
  const users = await t.app.inject({ method: 'GET', url: '/api/users', headers: credentials.get('admin')! });
  giving.userId = users.json().items.find((u: { email: string }) => u.email === 'planner@example.test').id;
});
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'centralino-access-'));
  const path = join(dir, 'one.csv');
  writeFileSync(path, 'nome,cognome\nAnna,Neri\n');
  const summary = await runImport({
    db: t.db,
    secrets: testSecrets,
    orgId: ids.alpha,
    kind: 'supporters',
    path,
    actor: 'test',
  });
  imports.jobId = summary.jobId;
  rmSync(dir, { recursive: true, force: true });
});
const crm = { supporterId: '' };
beforeAll(async () => {
  const orgId = ids.alpha;
  await t.db.forOrg(orgId, async (tx) => {
    const supporter = await tx
      .insertInto('supporters')
      .values({ org_id: orgId, first_name: 'Access', last_name: 'Crm' })
      .returning('id')
      .executeTakeFirstOrThrow();
    crm.supporterId = supporter.id;
    await tx
      .insertInto('custom_field_definitions')
      .values({ org_id: orgId, key: 'access_field', label: 'Access', type: 'text' })
      .execute();
    await tx.insertInto('dnc_entries').values({ org_id: orgId, number: '+393331234000' }).execute();
  });
});
// Dedupe fixtures: a kept supporter with duplicates to merge into it, and merges of separate
// pairs (undoing one never waits for another).
const dedupe = { kept: '', dismissed: '', duplicates: [] as string[], merges: [] as string[] };
beforeAll(async () => {
  const orgId = ids.alpha;
  const insert = (lastName: string) =>
    t.db.forOrg(orgId, (tx) =>
      tx
        .insertInto('supporters')
        .values({ org_id: orgId, first_name: 'Dup', last_name: lastName })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then((row) => row.id),
    );
  dedupe.kept = await insert('Kept');
  dedupe.dismissed = await insert('Dismissed');
  for (let i = 0; i < 20; i++) dedupe.duplicates.push(await insert(`Duplicate ${i}`));
  for (let i = 0; i < 10; i++) {
    const merge = await mergeSupporters({
      db: t.db,
      principal: null,
      orgId,
      keptId: await insert(`Kept ${i}`),
      mergedId: await insert(`Merged ${i}`),
    });
    dedupe.merges.push(merge.id);
  }
});
// Contact-center fixtures: a queue, IVR flow, number, calling window, custom disposition and
// skills of alpha, and the operator whose routing profile the center routes change.
const contactCenter = {
  queueId: '',
  ivrFlowId: '',
  callingWindowId: '',
  dispositionId: '',
  campaignId: '',
  operatorId: '',
  nextNumber: 1000,
};
beforeAll(async () => {
  const orgId = ids.alpha;
  await t.db.asCenter((tx) =>
    tx.insertInto('skills').values({ org_id: null, key: 'access_center_skill', label: 'Center' }).execute(),
  );
  await t.db.forOrg(orgId, async (tx) => {
    await tx.insertInto('skills').values({ org_id: orgId, key: 'access_skill', label: 'Access' }).execute();
    const queue = await tx
      .insertInto('queues')
      .values({ org_id: orgId, key: 'access', name: 'Access' })
      .returning('id')
      .executeTakeFirstOrThrow();
    contactCenter.queueId = queue.id;
    const flow = await tx
      .insertInto('ivr_flows')
      .values({
        org_id: orgId,
        name: 'Access',
        definition: JSON.stringify({ entry: 'bye', nodes: { bye: { type: 'hangup' } } }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    contactCenter.ivrFlowId = flow.id;
    await tx
      .insertInto('numbers')
      .values({ e164: '+390299990000', org_id: orgId, kind: 'geographic', ivr_flow_id: flow.id })
      .execute();
    const window = await tx
      .insertInto('calling_windows')
      .values({
        org_id: orgId,
        name: 'Access',
        weekly: JSON.stringify([{ days: ['mon'], from: '09:00', to: '18:00' }]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    contactCenter.callingWindowId = window.id;
    const disposition = await tx
      .insertInto('dispositions')
      .values({ org_id: orgId, code: 'access_done', label_it: 'A', label_en: 'A', effect: 'none' })
      .returning('id')
      .executeTakeFirstOrThrow();
    contactCenter.dispositionId = disposition.id;
    const campaign = await tx
      .insertInto('campaigns')
      .values({ org_id: orgId, name: 'Access', cycle_type: 'welcome' })
      .returning('id')
      .executeTakeFirstOrThrow();
    contactCenter.campaignId = campaign.id;
  });
  const users = await t.app.inject({ method: 'GET', url: '/api/users', headers: credentials.get('admin')! });
  contactCenter.operatorId = users
    .json()
    .items.find((u: { email: string }) => u.email === 'operator@example.test').id;
});
beforeAll(async () => {
  const contract = (validFrom: string, validTo: string) =>
    createSlaContract({
      db: t.db,
      orgId: ids.alpha,
      input: { name: `Access ${validFrom}`, validFrom, validTo, ...SLA_TERMS } as never,
      actor: null,
    });
  sla.contractId = (await contract('2026-01', '2098-12')).id;
  sla.futureId = (await contract('2099-01', '2099-12')).id;
});
afterAll(() => t.close());

function call(c: Case, role: Role): Promise<LightMyRequestResponse> {
  const body = c.body?.();
  const file = c.file?.();
  return t.app.inject({
    method: c.method,
    url: c.url(ids),
    headers: { ...credentials.get(role)!, ...(file !== undefined ? { 'content-type': 'text/csv' } : {}) },
    ...(body ? { payload: body } : {}),
    ...(file !== undefined ? { payload: file } : {}),
  });
}

describe('role × route', () => {
  for (const c of CASES) {
    it(`${c.method} ${c.path}: allowed for ${c.allowed.join(', ')}; refused for the others`, async () => {
      for (const role of EVERYONE) {
        const response = await call(c, role);
        const refused = response.statusCode === 401 || response.statusCode === 403;
        expect({ role, refused, status: response.statusCode }).toEqual({
          role,
          refused: !c.allowed.includes(role),
          status: response.statusCode,
        });
        if (refused) expect(response.json().code).toBe('FORBIDDEN');
        else expect(response.statusCode).toBeLessThan(c.method === 'DELETE' ? 405 : 400);
      }
    });
  }

  it('without credentials every /api route except login answers 401', async () => {
    for (const c of CASES) {
      const body = c.body?.();
      const file = c.file?.();
      const response = await t.app.inject({
        method: c.method,
        url: c.url(ids),
        ...(body ? { payload: body } : {}),
        ...(file !== undefined ? { payload: file, headers: { 'content-type': 'text/csv' } } : {}),
      });
      expect([c.path, response.statusCode]).toEqual([c.path, 401]);
    }
  });

  it('staff and viewers cannot reach an organization they are not assigned to', async () => {
    const signInAgain = async (role: Role) => asUser(await signIn(t.app, `${role}@example.test`));
    for (const role of ['supervisor', 'planner', 'quality', 'operator', 'client_viewer'] as const) {
      const headers = await signInAgain(role);
      const response = await t.app.inject({ method: 'GET', url: `/api/organizations/${ids.beta}`, headers });
      expect([role, response.statusCode]).toEqual([role, 404]);
      const list = await t.app.inject({ method: 'GET', url: '/api/organizations', headers });
      expect(list.json().items.map((o: { id: string }) => o.id)).toEqual([ids.alpha]);
    }
    const admin = await signInAgain('admin');
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/organizations/${ids.beta}`,
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
  });

  it('covers every route of the API document', async () => {
    const document = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/') && path !== '/api/auth/login')
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
    const tested = CASES.map((c) => `${c.method} ${c.path}`);
    expect(documented.sort()).toEqual([...tested].sort());
  });
});

describe('route declarations', () => {
  it('an /api route without declared roles stops the app from starting', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerAccessControl } = await import('./access.ts');
    const app = Fastify();
    registerAccessControl(app, t.app.auth);
    expect(() => app.get('/api/forgotten', async () => 'oops')).toThrow(/does not declare config.access/);
  });
});
