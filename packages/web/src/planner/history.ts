// History for the forecast: an organization's offered contacts and AHT per
// 15-minute interval from the KPI report (GET …/kpis?group=interval), or an
// example of two weeks with a daily and weekly pattern, so a planner can try
// the forecast before the center has history of its own.

export type Observation = { intervalStart: string; offered: number; ahtSeconds: number | null };

type KpiGroup = {
  from: string;
  figures: Record<string, { value: number | null; numerator: number } | undefined>;
};

/** The KPI report's interval groups as forecast history (UTC instants). */
export function historyFromKpis(groups: readonly KpiGroup[]): Observation[] {
  return groups.map((group) => {
    const offered = group.figures.offered?.numerator ?? 0;
    const aht = group.figures.aht?.value ?? null;
    return { intervalStart: new Date(group.from).toISOString(), offered, ahtSeconds: aht };
  });
}

/** Two weeks ending yesterday (UTC): calls from 8 to 20 with morning and afternoon peaks, fewer at weekends. */
export function exampleHistory(days = 14, now = new Date()): Observation[] {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = end - days * 86_400_000;
  const history: Observation[] = [];
  for (let at = start; at < end; at += 15 * 60_000) {
    const date = new Date(at);
    const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
    const weekday = date.getUTCDay();
    const dayFactor = weekday === 0 ? 0.3 : weekday === 6 ? 0.6 : weekday === 1 ? 1.2 : 1;
    const open = hour >= 8 && hour < 20;
    const shape = Math.exp(-((hour - 10.5) ** 2) / 4) + 0.8 * Math.exp(-((hour - 15.5) ** 2) / 5);
    const offered = open ? Math.round(40 * dayFactor * shape + 3) : 0;
    history.push({
      intervalStart: date.toISOString(),
      offered,
      ahtSeconds: offered > 0 ? 180 + (weekday % 3) * 10 : null,
    });
  }
  return history;
}
