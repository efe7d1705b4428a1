// What the live runtime (live/runtime.ts) needs of the whole center's
// configuration, read at start in the center scope and again after an admin's
// change through the API (live/runtime-reload.ts): every organization's
// queues, numbers, IVR flows and dispositions, and every operator with the
// skills, capacity and organizations the routing engine sees.
import type { Database, Tx } from '../../db/database.ts';
import type { Channel } from '../../db/schema.ts';
import type { IvrFlowDefinition } from './ivr-flow.ts';
import { type Queue, toQueue } from './queues.service.ts';

export type RuntimeQueue = Queue & { orgId: string };
export type RuntimeNumber = { e164: string; orgId: string; ivrFlowId: string | null; kind: string };
export type RuntimeIvrFlow = { id: string; orgId: string; name: string; definition: IvrFlowDefinition };
export type RuntimeDisposition = {
  orgId: string | null;
  code: string;
  effect: string;
  cycleType: string | null;
  successful: boolean;
};
export type RuntimeOperator = {
  userId: string;
  displayName: string;
  organizationIds: string[];
  skills: Record<string, number>;
  capacity: Partial<Record<Channel, number>>;
  maxTasks: number | null;
  attributes: Record<string, string | number | boolean | string[]>;
};
/** An active outbound campaign the dialer works (it needs a queue to route its connects to). */
export type RuntimeCampaign = {
  id: string;
  orgId: string;
  name: string;
  cycleType: string;
  queueId: string;
  /** Higher first when campaigns share a queue's operators (live/dialer.ts). */
  priority: number;
  pacing: { mode: 'preview' | 'progressive' | 'power' | 'predictive'; ratio?: number; ceiling?: number };
  script: string;
  /** The number presented to the callee: the organization's first geographic number, else its first. */
  callerNumber: string | null;
};
export type RuntimeConfiguration = {
  queues: RuntimeQueue[];
  campaigns: RuntimeCampaign[];
  numbers: RuntimeNumber[];
  ivrFlows: RuntimeIvrFlow[];
  dispositions: RuntimeDisposition[];
  operators: RuntimeOperator[];
};

/** Roles that take contacts: operators, and supervisors who log in to help (DOMAIN.md). */
const ROUTED_ROLES = ['operator', 'supervisor'] as const;
const DEFAULT_CAPACITY = { voice: 1 };

async function loadDispositions(tx: Tx): Promise<RuntimeDisposition[]> {
  const rows = await tx
    .selectFrom('dispositions')
    .select(['org_id', 'code', 'effect', 'cycle_type', 'successful'])
    .execute();
  return rows.map((row) => ({
    orgId: row.org_id,
    code: row.code,
    effect: row.effect,
    cycleType: row.cycle_type,
    successful: row.successful,
  }));
}

/** Every organization's dispositions and the built-in ones, read again when an admin changes one. */
export async function loadRuntimeDispositions(options: { db: Database }): Promise<RuntimeDisposition[]> {
  return options.db.asCenter(loadDispositions);
}

export async function loadRuntimeConfiguration(options: { db: Database }): Promise<RuntimeConfiguration> {
  return options.db.asCenter(async (tx) => {
    const queueRows = await tx.selectFrom('queues').selectAll().orderBy('org_id').orderBy('key').execute();
    const numberRows = await tx
      .selectFrom('numbers')
      .select(['e164', 'org_id', 'ivr_flow_id', 'kind'])
      .orderBy('e164')
      .execute();
    const flowRows = await tx
      .selectFrom('ivr_flows')
      .select(['id', 'org_id', 'name', 'definition'])
      .execute();
    const users = await tx
      .selectFrom('users')
      .select(['id', 'display_name', 'role'])
      .where('role', 'in', ROUTED_ROLES)
      .where('disabled_at', 'is', null)
      .orderBy('id')
      .execute();
    const assignments = await tx.selectFrom('user_organizations').select(['user_id', 'org_id']).execute();
    const skills = await tx.selectFrom('operator_skills').select(['user_id', 'skill_key', 'level']).execute();
    const profiles = await tx.selectFrom('operator_profiles').selectAll().execute();
    const orgsOf = Map.groupBy(assignments, (row) => row.user_id);
    const skillsOf = Map.groupBy(skills, (row) => row.user_id);
    const profileOf = new Map(profiles.map((row) => [row.user_id, row]));
    const campaigns = await loadActiveCampaigns(tx, numberRows);
    return {
      queues: queueRows.map((row) => ({ ...toQueue(row), orgId: row.org_id })),
      campaigns,
      numbers: numberRows.map((row) => ({
        e164: row.e164,
        orgId: row.org_id,
        ivrFlowId: row.ivr_flow_id,
        kind: row.kind,
      })),
      ivrFlows: flowRows.map((row) => ({
        id: row.id,
        orgId: row.org_id,
        name: row.name,
        definition: row.definition as IvrFlowDefinition,
      })),
      dispositions: await loadDispositions(tx),
      operators: users.map((user) => {
        const profile = profileOf.get(user.id);
        return {
          userId: user.id,
          displayName: user.display_name,
          organizationIds: (orgsOf.get(user.id) ?? []).map((row) => row.org_id),
          skills: Object.fromEntries((skillsOf.get(user.id) ?? []).map((row) => [row.skill_key, row.level])),
          capacity: profile?.capacity ?? DEFAULT_CAPACITY,
          maxTasks: profile?.max_tasks ?? null,
          attributes: profile?.attributes ?? {},
        };
      }),
    };
  });
}

/** Active campaigns with a queue, in the center scope (also re-read by the dialer as supervisors change them). */
export async function loadRuntimeCampaigns(options: { db: Database }): Promise<RuntimeCampaign[]> {
  return options.db.asCenter(async (tx) => {
    const numbers = await tx
      .selectFrom('numbers')
      .select(['e164', 'org_id', 'kind'])
      .orderBy('e164')
      .execute();
    return loadActiveCampaigns(tx, numbers);
  });
}

async function loadActiveCampaigns(
  tx: Tx,
  numbers: readonly { e164: string; org_id: string; kind: string }[],
): Promise<RuntimeCampaign[]> {
  const rows = await tx
    .selectFrom('campaigns')
    .select(['id', 'org_id', 'name', 'cycle_type', 'queue_id', 'priority', 'pacing', 'script'])
    .where('status', '=', 'active')
    .where('queue_id', 'is not', null)
    .orderBy('priority', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const own = numbers.filter((n) => n.org_id === row.org_id);
    const caller = own.find((n) => n.kind === 'geographic') ?? own[0];
    return {
      id: row.id,
      orgId: row.org_id,
      name: row.name,
      cycleType: row.cycle_type,
      queueId: row.queue_id!,
      priority: row.priority,
      pacing: row.pacing as RuntimeCampaign['pacing'],
      script: row.script,
      callerNumber: caller?.e164 ?? null,
    };
  });
}
