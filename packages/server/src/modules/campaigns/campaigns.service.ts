// Outbound campaigns: the configuration of a contact cycle. List building,
// dial-time checks and the dialer read these rows; this file only stores them,
// checking what the schema cannot: the queue is an outbound queue of the
// organization, the calling window is one of its own and the script's merge
// fields are ones the operator desktop fills.
import type { Selectable } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import type { CampaignsTable, CycleType } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { checkCampaignScript } from './campaign-script.ts';
import { campaignErrors } from './campaigns.errors.ts';

export type EligibilityFilter = { kind: string } & Record<string, unknown>;
export type RetryRule = { retryAfterMinutes: number; maxAttempts?: number };
export type RetryPolicy = Partial<Record<'noAnswer' | 'busy' | 'machine' | 'failed' | 'dropped', RetryRule>>;
export type Pacing = {
  mode: 'preview' | 'progressive' | 'power' | 'predictive';
  ratio?: number;
  ceiling?: number;
};
export type CampaignStatus = 'draft' | 'active' | 'paused' | 'completed';

export type CampaignInput = {
  name: string;
  cycleType: CycleType;
  status: CampaignStatus;
  eligibility: EligibilityFilter[];
  refreshMinutes: number;
  priority: number;
  pacing: Pacing;
  retryPolicy: RetryPolicy;
  maxAttempts: number;
  registerCheckMaxAgeDays: number | null;
  script: string;
  queueId: string | null;
  callingWindowId: string | null;
};
export type Campaign = CampaignInput & { id: string; createdAt: string; updatedAt: string };

/** A campaign as created when only its name and cycle are given: a draft, previewed, no retries. */
export const CAMPAIGN_DEFAULTS: Omit<CampaignInput, 'name' | 'cycleType'> = {
  status: 'draft',
  eligibility: [],
  refreshMinutes: 60,
  priority: 0,
  pacing: { mode: 'preview' },
  retryPolicy: {},
  maxAttempts: 5,
  registerCheckMaxAgeDays: null,
  script: '',
  queueId: null,
  callingWindowId: null,
};

const toCampaign = (row: Selectable<CampaignsTable>): Campaign => ({
  id: row.id,
  name: row.name,
  cycleType: row.cycle_type,
  status: row.status,
  eligibility: row.eligibility as EligibilityFilter[],
  refreshMinutes: row.refresh_minutes,
  priority: row.priority,
  pacing: row.pacing as Pacing,
  retryPolicy: row.retry_policy as RetryPolicy,
  maxAttempts: row.max_attempts,
  registerCheckMaxAgeDays: row.register_check_max_age_days,
  script: row.script,
  queueId: row.queue_id,
  callingWindowId: row.calling_window_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const columns = (input: CampaignInput) => ({
  name: input.name,
  cycle_type: input.cycleType,
  status: input.status,
  eligibility: JSON.stringify(input.eligibility),
  refresh_minutes: input.refreshMinutes,
  priority: input.priority,
  pacing: JSON.stringify(input.pacing),
  retry_policy: JSON.stringify(input.retryPolicy),
  max_attempts: input.maxAttempts,
  register_check_max_age_days: input.registerCheckMaxAgeDays,
  script: input.script,
  queue_id: input.queueId,
  calling_window_id: input.callingWindowId,
});

/** The composite keys refuse another organization's ids too, but as a 500: answer which field instead. */
async function checkReferences(tx: Tx, input: CampaignInput) {
  if (input.queueId !== null) {
    const queue = await tx
      .selectFrom('queues')
      .select('direction')
      .where('id', '=', input.queueId)
      .forShare()
      .executeTakeFirst();
    if (!queue) throw campaignErrors.queueInvalid('is not a queue of this organization');
    if (queue.direction !== 'outbound')
      throw campaignErrors.queueInvalid('is an inbound queue; dialer connects go to an outbound queue');
  }
  if (input.callingWindowId !== null) {
    const window = await tx
      .selectFrom('calling_windows')
      .select('id')
      .where('id', '=', input.callingWindowId)
      .forShare()
      .executeTakeFirst();
    if (!window) throw campaignErrors.callingWindowInvalid();
  }
}

export async function listCampaigns(options: { db: Database; orgId: string }): Promise<Campaign[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('campaigns').selectAll().orderBy('name').orderBy('id').execute(),
  );
  return rows.map(toCampaign);
}

export async function getCampaign(options: {
  db: Database;
  orgId: string;
  campaignId: string;
}): Promise<Campaign> {
  const row = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('campaigns').selectAll().where('id', '=', options.campaignId).executeTakeFirst(),
  );
  if (!row) throw campaignErrors.notFound();
  return toCampaign(row);
}

export async function createCampaign(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  input: Partial<CampaignInput> & { name: string; cycleType: CycleType };
}): Promise<Campaign> {
  const input: CampaignInput = { ...CAMPAIGN_DEFAULTS, ...options.input };
  checkCampaignScript(input.script);
  return options.db.forOrg(options.orgId, async (tx) => {
    await checkReferences(tx, input);
    const row = await tx
      .insertInto('campaigns')
      .values({ org_id: options.orgId, ...columns(input) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'campaign.created',
      target: row.id,
      details: { name: input.name, cycleType: input.cycleType },
    });
    return toCampaign(row);
  });
}

export async function updateCampaign(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  campaignId: string;
  changes: Partial<CampaignInput>;
}): Promise<Campaign> {
  // Only a script being changed: a status change must not fail on a script stored before this check.
  if (options.changes.script !== undefined) checkCampaignScript(options.changes.script);
  return options.db.forOrg(options.orgId, async (tx) => {
    const current = await tx
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', options.campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw campaignErrors.notFound();
    const { id: _, createdAt: __, updatedAt: ___, ...before } = toCampaign(current);
    const next: CampaignInput = { ...before, ...options.changes };
    await checkReferences(tx, next);
    const row = await tx
      .updateTable('campaigns')
      .set({ ...columns(next), updated_at: new Date() })
      .where('id', '=', options.campaignId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'campaign.updated',
      target: row.id,
      details: { changes: options.changes },
    });
    return toCampaign(row);
  });
}

/** Its call list goes with it; refused (409) once it has interactions or callbacks (history keeps it). */
export async function deleteCampaign(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  campaignId: string;
}): Promise<void> {
  await options.db.forOrg(options.orgId, async (tx) => {
    let removed: { id: string; name: string } | undefined;
    try {
      removed = await tx
        .deleteFrom('campaigns')
        .where('id', '=', options.campaignId)
        .returning(['id', 'name'])
        .executeTakeFirst();
    } catch (error) {
      if ((error as { code?: string }).code === '23503') throw campaignErrors.inUse();
      throw error;
    }
    if (!removed) throw campaignErrors.notFound();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'campaign.deleted',
      target: removed.id,
      details: { name: removed.name },
    });
  });
}
