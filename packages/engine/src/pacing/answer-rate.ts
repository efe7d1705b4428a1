// Live-answer rate per list and hour of day, smoothed: each (list, hour) bucket
// shrinks towards its list's overall rate, which shrinks towards a prior
// (empirical-Bayes style, a Beta prior worth `priorWeight` outcomes). Old
// outcomes fade with exponential forgetting, so a list that tires shows it.

export type PacingAnswerRateOptions = {
  /** Live-answer rate assumed before any outcome (default 0.25). */
  prior?: number;
  /** How many outcomes the prior and the list rate weigh in a bucket (default 50). */
  priorWeight?: number;
  /** Effective memory of a bucket in outcomes (default 2,000): each outcome scales older ones by 1 − 1/memory. */
  memoryOutcomes?: number;
};

export type PacingAnswerRate = {
  /** One resolved dial: live true for a person answering (AMD false positives included). */
  add(listId: string, hourOfDay: number, live: boolean): void;
  estimate(listId: string, hourOfDay: number): number;
};

type Bucket = { live: number; total: number };

export function createAnswerRate(options: PacingAnswerRateOptions = {}): PacingAnswerRate {
  const prior = options.prior ?? 0.25;
  const weight = options.priorWeight ?? 50;
  const keep = 1 - 1 / (options.memoryOutcomes ?? 2000);
  const lists = new Map<string, { all: Bucket; hours: Bucket[] }>();

  function list(listId: string) {
    let entry = lists.get(listId);
    if (!entry) {
      entry = {
        all: { live: 0, total: 0 },
        hours: Array.from({ length: 24 }, () => ({ live: 0, total: 0 })),
      };
      lists.set(listId, entry);
    }
    return entry;
  }

  return {
    add(listId, hourOfDay, live) {
      const entry = list(listId);
      for (const bucket of [entry.all, entry.hours[hourOfDay]!]) {
        bucket.live = bucket.live * keep + (live ? 1 : 0);
        bucket.total = bucket.total * keep + 1;
      }
    },
    estimate(listId, hourOfDay) {
      const entry = lists.get(listId);
      if (!entry) return prior;
      const listRate = (entry.all.live + weight * prior) / (entry.all.total + weight);
      const hour = entry.hours[hourOfDay]!;
      return (hour.live + weight * listRate) / (hour.total + weight);
    },
  };
}
