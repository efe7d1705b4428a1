// `campaign.progress` events: a campaign's figures (the same as its HTTP progress
// route) published to its organization when they change, after an outbound
// interaction of it closes or its call list is refreshed. A busy campaign closes
// many calls a second, so the changes are coalesced per campaign: the first is
// published at once, later ones at most once per CAMPAIGN_PROGRESS_INTERVAL_MS of
// the live clock, and the last change is always published (trailing edge). The
// figures are read behind the writes queued before them (the writer's `other`),
// so they include the closes that caused the event.
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import { campaignProgress } from '../modules/campaigns/progress.service.ts';
import type { LiveClock, TimerId } from './clock.ts';
import type { LiveWriter } from './live-writer.ts';

export const CAMPAIGN_PROGRESS_INTERVAL_MS = 2_000;

export type CampaignProgressContext = {
  db: Database;
  clock: LiveClock;
  writer: LiveWriter;
  logger: Pick<FastifyBaseLogger, 'warn'>;
  publish: (orgId: string | null, type: string, data: unknown) => void;
  isStopped: () => boolean;
};

type Throttle = { orgId: string; lastAt: number | null; timer: TimerId | null };

export function createCampaignProgress({
  db,
  clock,
  writer,
  logger,
  publish,
  isStopped,
}: CampaignProgressContext) {
  const campaigns = new Map<string, Throttle>();

  const send = (orgId: string, campaignId: string) =>
    writer.other('campaign progress', async () => {
      if (isStopped()) return;
      try {
        const progress = await campaignProgress(db, { orgId, campaignId, at: new Date(clock.now()) });
        publish(orgId, 'campaign.progress', progress);
      } catch (error) {
        // A campaign deleted meanwhile has no progress to tell; the live writes go on.
        logger.warn({ err: error, campaignId }, 'campaign progress not published');
      }
    });

  /** The campaign's figures changed: publish them now or at the end of its interval. */
  function changed(orgId: string, campaignId: string) {
    if (isStopped()) return;
    let throttle = campaigns.get(campaignId);
    if (!throttle) {
      throttle = { orgId, lastAt: null, timer: null };
      campaigns.set(campaignId, throttle);
    }
    // A publication already scheduled reads the figures when it runs: it includes this change.
    if (throttle.timer !== null) return;
    const now = clock.now();
    const at =
      throttle.lastAt === null ? now : Math.max(now, throttle.lastAt + CAMPAIGN_PROGRESS_INTERVAL_MS);
    const t = throttle;
    t.timer = clock.setTimer(at, () => {
      t.timer = null;
      t.lastAt = clock.now();
      void send(t.orgId, campaignId);
    });
  }

  function stop() {
    for (const t of campaigns.values()) if (t.timer !== null) clock.clearTimer(t.timer);
    campaigns.clear();
  }

  return { changed, stop };
}
