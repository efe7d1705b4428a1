// A campaign's progress for its supervisor and its client (DOMAIN.md §4):
// the list's size and states, why contacts are blocked, the outcomes.
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { campaignErrors } from './campaigns.errors.ts';

export type CampaignProgress = {
  campaignId: string;
  /** When the list was last rebuilt; null: never. */
  listRefreshedAt: string | null;
  /** Contacts in the list (removed ones left out). */
  listSize: number;
  pending: number;
  /** Pending contacts due now (no next attempt, or its time has come). */
  due: number;
  inProgress: number;
  completed: number;
  exhausted: number;
  blocked: number;
  removed: number;
  blockedByReason: Record<string, number>;
  /** Contacts attempted at least once. */
  attempted: number;
  /** Contacts whose last attempt reached the supporter (completed, call back arranged, do not call). */
  reached: number;
  /** Attempts made over the whole list. */
  attempts: number;
  /** attempted / listSize (DOMAIN.md §4 list penetration); 0 for an empty list. */
  penetration: number;
  /** attempts / listSize (DOMAIN.md §4 saturation); 0 for an empty list. */
  saturation: number;
  /** Contacts by their last outcome. */
  lastOutcomes: Record<string, number>;
  /** The campaign's interactions by outcome (every attempt the runtime recorded). */
  interactionOutcomes: Record<string, number>;
};

export async function campaignProgress(
  db: Database,
  o: { orgId: string; campaignId: string; at?: Date },
): Promise<CampaignProgress> {
  const at = o.at ?? new Date();
  return db.readForOrg(o.orgId, async (tx) => {
    const campaign = await tx
      .selectFrom('campaigns')
      .select(['id', 'list_refreshed_at'])
      .where('id', '=', o.campaignId)
      .executeTakeFirst();
    if (!campaign) throw campaignErrors.notFound();
    const groups = await tx
      .selectFrom('campaign_contacts')
      .select([
        'status',
        'blocked_reason',
        'last_outcome',
        (eb) => eb.fn.countAll<string>().as('contacts'),
        sql<string>`count(*) filter (where attempts > 0)`.as('attempted'),
        sql<string>`coalesce(sum(attempts), 0)`.as('attempts'),
        sql<string>`count(*) filter (where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ${at}))`.as(
          'due',
        ),
      ])
      .where('campaign_id', '=', o.campaignId)
      .groupBy(['status', 'blocked_reason', 'last_outcome'])
      .execute();
    const outcomes = await tx
      .selectFrom('interactions')
      .select(['outcome', (eb) => eb.fn.countAll<string>().as('n')])
      .where('campaign_id', '=', o.campaignId)
      .where('outcome', 'is not', null)
      .groupBy('outcome')
      .execute();

    const progress: CampaignProgress = {
      campaignId: campaign.id,
      listRefreshedAt: campaign.list_refreshed_at?.toISOString() ?? null,
      listSize: 0,
      pending: 0,
      due: 0,
      inProgress: 0,
      completed: 0,
      exhausted: 0,
      blocked: 0,
      removed: 0,
      blockedByReason: {},
      attempted: 0,
      reached: 0,
      attempts: 0,
      penetration: 0,
      saturation: 0,
      lastOutcomes: {},
      interactionOutcomes: Object.fromEntries(outcomes.map((row) => [row.outcome as string, Number(row.n)])),
    };
    const add = (record: Record<string, number>, key: string, n: number) => {
      record[key] = (record[key] ?? 0) + n;
    };
    for (const group of groups) {
      const n = Number(group.contacts);
      if (group.status === 'removed') {
        progress.removed += n;
        continue;
      }
      progress.listSize += n;
      progress.attempted += Number(group.attempted);
      progress.attempts += Number(group.attempts);
      progress.due += Number(group.due);
      if (group.status === 'pending') progress.pending += n;
      else if (group.status === 'in_progress') progress.inProgress += n;
      else if (group.status === 'completed') progress.completed += n;
      else if (group.status === 'exhausted') progress.exhausted += n;
      else if (group.status === 'blocked') {
        progress.blocked += n;
        add(progress.blockedByReason, group.blocked_reason ?? 'unknown', n);
      }
      if (group.last_outcome !== null) add(progress.lastOutcomes, group.last_outcome, n);
      if (group.last_outcome === 'reached') progress.reached += n;
    }
    if (progress.listSize > 0) {
      progress.penetration = progress.attempted / progress.listSize;
      progress.saturation = progress.attempts / progress.listSize;
    }
    return progress;
  });
}
