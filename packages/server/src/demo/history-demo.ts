// The demo's past: about four weeks of closed inbound calls for each demo
// organization, so reports, the SLA dashboard and the planner's forecast from
// the organization's own history have something to show on a fresh demo
// (issue 8). Seeded once, with the demo itself (seed.ts).
//
// The calls follow the live demo's traffic (live-demo.ts: the same hourly
// shapes, peaks, menu split, patience and talk times) over the lines' opening
// hours in Europe/Rome, with a weekly shape (Monday busiest, Saturday mornings
// only, nothing on Sundays and national holidays). Each organization's day is
// a small queue simulation: the operators on shift (sized by the hour's load,
// some days short-staffed) take the calls in arrival order; a caller whose
// wait outlasts their patience abandons. Deterministic from the organization's
// seed and the dates, illustrative rather than measured.
//
// The calls are stored as the live center stores a closed call (queue,
// operator, supporter, every phase, disposition) and the KPI rollups of the
// period are then rebuilt from them by the kpis module (rebuildKpiRollups),
// the same operation that maintains them for live closes and imports.
import { createRandom, localDateOf, localDayBounds } from '@centralino/engine';
import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import { rebuildKpiRollups } from '../modules/kpis/kpi-rollups.service.ts';
import {
  DEMO_LIVE_ORGANIZATIONS,
  DEMO_MENU,
  DEMO_OPERATOR_PROFILE,
  DEMO_REAL_OPERATORS,
  DRTV_PEAK,
  DRTV_SHAPE,
  italianHolidays,
  simulatedOperatorSpecs,
  TOLL_FREE_PEAK,
  TOLL_FREE_SHAPE,
} from './live-demo.ts';

const ROME = 'Europe/Rome';
export const DEMO_HISTORY_DAYS = 28;
/**
 * The history's calls as a share of the live demo's rates. The whole volume
 * (about 58,000 calls in four weeks) takes the embedded database close to a
 * minute to store and count on a busy 2-core machine; a tenth keeps the first
 * start a few seconds longer and still gives every interval of the opening
 * hours its calls, so the daily and weekly shapes and the SLA figures show.
 */
export const DEMO_HISTORY_SCALE = 0.1;
const HISTORY_SEEDED_KEY = 'demo_history_seeded_at';
const HOUR_MS = 3_600_000;
const INTERVAL_MS = 15 * 60_000;

/** Share of an ordinary weekday's calls by day of the week (0 = Sunday): Monday busiest, Friday quieter. */
const WEEKDAY_FACTOR = [0, 1.15, 1, 1, 1, 0.9, 0.7];

/** One line's calls as history: which hours it answers, its shape and how callers behave (live-demo.ts). */
type HistoryLine = {
  number: string;
  /** Local hours [from, to) open, Monday–Friday and Saturday (null: closed). */
  weekdayHours: [number, number];
  saturdayHours: [number, number] | null;
  callsPerHour: readonly number[];
  /** Queue keys with their weights (the toll-free menu's split). */
  queues: readonly (readonly [string, number])[];
  /** Share of callers that leave in the menu before reaching a queue. */
  menuHangUp: number;
  patienceMeanSeconds: number;
  talkMeanSeconds: number;
  talkSdSeconds: number;
  knownShare: number;
};

/** A closed inbound call of the history, instants in epoch milliseconds. */
export type HistoryCall = {
  number: string;
  remoteNumber: string | null;
  queue: string;
  operator: string | null;
  supporterId: string | null;
  createdAt: number;
  queuedAt: number;
  offeredAt: number | null;
  answeredAt: number | null;
  abandonedAt: number | null;
  endedAt: number;
  wrapEndedAt: number | null;
  holdSeconds: number;
  disposition: string | null;
  successful: boolean | null;
};

export type HistoryDayOptions = {
  /** Local date YYYY-MM-DD (Europe/Rome). */
  date: string;
  slug: (typeof DEMO_LIVE_ORGANIZATIONS)[number]['slug'];
  /** The organization's operators (ids or emails), in a fixed order: the first ones work most. */
  operators: readonly string[];
  /** Supporters' phones the CRM knows, for callers it recognises. */
  knownCallers: readonly { supporterId: string; number: string }[];
  /** Wrap-up seconds by queue key (the queues' settings). */
  wrapUpSeconds: Readonly<Record<string, number>>;
  seed: number;
  holidays: ReadonlySet<string>;
  /** Share of the live demo's call rates (DEMO_HISTORY_SCALE). */
  scale: number;
};

function linesOf(org: (typeof DEMO_LIVE_ORGANIZATIONS)[number]): HistoryLine[] {
  const menuTotal = Object.values(DEMO_MENU.choices).reduce((sum, weight) => sum + weight, 0);
  return [
    {
      number: org.tollFree,
      weekdayHours: [9, 20],
      saturdayHours: [9, 14],
      callsPerHour: TOLL_FREE_SHAPE.map((share) => share * TOLL_FREE_PEAK * org.peak),
      queues: [
        ['donor-care', (DEMO_MENU.choices['1'] ?? 0) / menuTotal],
        ['information', (DEMO_MENU.choices['2'] ?? 0) / menuTotal],
      ],
      menuHangUp: DEMO_MENU.hangUp ?? 0,
      patienceMeanSeconds: 180,
      talkMeanSeconds: 180,
      talkSdSeconds: 120,
      knownShare: 0.6,
    },
    {
      number: org.drtv,
      weekdayHours: [8, 22],
      saturdayHours: [8, 22],
      callsPerHour: DRTV_SHAPE.map((share) => share * DRTV_PEAK * org.peak),
      queues: [['drtv-response', 1]],
      menuHangUp: 0,
      patienceMeanSeconds: 120,
      talkMeanSeconds: 240,
      talkSdSeconds: 120,
      knownShare: 0.15,
    },
  ];
}

/** A number from a string (FNV-1a), so each date and organization draws its own sequence. */
function hashSeed(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function sampler(random: () => number) {
  const normal = () => {
    // Box–Muller; 1 − u keeps the logarithm finite.
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return {
    exponential: (mean: number) => -mean * Math.log(1 - random()),
    // Parameters from the mean and standard deviation of the lognormal itself.
    lognormal: (mean: number, sd: number) => {
      const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
      return Math.exp(Math.log(mean) - sigma2 / 2 + Math.sqrt(sigma2) * normal());
    },
    poisson: (mean: number) => {
      // Knuth's method: the means here are at most a few tens per interval.
      const limit = Math.exp(-mean);
      let k = 0;
      for (let p = random(); p > limit; p *= random()) k++;
      return k;
    },
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let draw = random() * total;
      for (const [item, weight] of items) {
        draw -= weight;
        if (draw < 0) return item;
      }
      return items[items.length - 1]![0];
    },
  };
}

/**
 * One organization's calls of one local day, in arrival order: none on a
 * Sunday or a national holiday. Pure: the same options give the same calls.
 */
export function demoHistoryDay(options: HistoryDayOptions): HistoryCall[] {
  const { date } = options;
  const org = DEMO_LIVE_ORGANIZATIONS.find((o) => o.slug === options.slug);
  if (!org) throw new Error(`not a demo organization: ${options.slug}`);
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || options.holidays.has(date)) return [];
  const random = createRandom(hashSeed(`${options.slug}/${date}`, options.seed));
  const draw = sampler(random);
  const { fromMs: dayStart } = localDayBounds(date, ROME);
  // Local hour h starts at dayStart + h hours except on the two days the clocks change, which
  // have no calls at 2–3 am anyway: the lines open at 8 at the earliest.
  const hourStart = (hour: number) => dayStart + hour * HOUR_MS;
  // This day's volume around the weekly shape, ±10 %.
  const dayFactor = options.scale * WEEKDAY_FACTOR[weekday]! * (0.9 + 0.2 * random());

  type Arrival = { at: number; line: HistoryLine; queue: string };
  const arrivals: Arrival[] = [];
  for (const line of linesOf(org)) {
    const hours = weekday === 6 ? line.saturdayHours : line.weekdayHours;
    if (!hours) continue;
    for (let hour = hours[0]; hour < hours[1]; hour++) {
      const perInterval = ((line.callsPerHour[hour] ?? 0) * dayFactor * (1 - line.menuHangUp)) / 4;
      for (let quarter = 0; quarter < 4; quarter++) {
        const start = hourStart(hour) + quarter * INTERVAL_MS;
        for (let n = draw.poisson(perInterval); n > 0; n--)
          arrivals.push({
            at: start + Math.floor(random() * INTERVAL_MS),
            line,
            queue: draw.weighted(line.queues),
          });
      }
    }
  }
  arrivals.sort((a, b) => a.at - b.at);

  // Operators on shift per hour: the hour's offered load in Erlangs plus a margin, times
  // this day's staffing (some days short-handed, so the SLA has bad days too).
  const staffing = 0.85 + 0.35 * random();
  const loadByHour = new Array<number>(24).fill(0);
  for (const arrival of arrivals) {
    const hour = Math.floor((arrival.at - dayStart) / HOUR_MS);
    const wrap = options.wrapUpSeconds[arrival.queue] ?? 30;
    loadByHour[hour]! += (arrival.line.talkMeanSeconds + wrap + 10) / 3600;
  }
  const onShift = loadByHour.map((load) =>
    load === 0
      ? 0
      : Math.min(options.operators.length, Math.max(2, Math.round((load * 1.1 + 1.5) * staffing))),
  );

  const freeAt = new Array<number>(options.operators.length).fill(dayStart);
  const dispositions = Object.entries(DEMO_OPERATOR_PROFILE.outcomes?.default ?? { reached: 1 }).map(
    ([code, weight]) => [code, weight] as const,
  );
  const calls: HistoryCall[] = [];
  for (const arrival of arrivals) {
    const { line } = arrival;
    const known = options.knownCallers.length > 0 && random() < line.knownShare;
    const caller = known ? options.knownCallers[Math.floor(random() * options.knownCallers.length)]! : null;
    const remoteNumber =
      caller?.number ??
      (random() < 0.05 ? null : `+393${String(Math.floor(random() * 1e9)).padStart(9, '0')}`);
    // The IVR: the welcome message, and on the toll-free line the menu.
    const queuedAt = arrival.at + (line.menuHangUp > 0 ? 12_000 : 6_000) + Math.floor(random() * 6_000);
    const hour = Math.min(23, Math.floor((queuedAt - dayStart) / HOUR_MS));
    const working = Math.max(1, onShift[hour] ?? 1);
    let seat = 0;
    for (let i = 1; i < working; i++) if (freeAt[i]! < freeAt[seat]!) seat = i;
    const offeredAt = Math.max(queuedAt, freeAt[seat]!);
    const patienceMs = draw.exponential(line.patienceMeanSeconds) * 1000;
    const base = {
      number: line.number,
      remoteNumber,
      queue: arrival.queue,
      supporterId: caller?.supporterId ?? null,
      createdAt: arrival.at,
      queuedAt,
    };
    if (offeredAt - queuedAt > patienceMs) {
      const abandonedAt = queuedAt + Math.round(patienceMs);
      calls.push({
        ...base,
        operator: null,
        offeredAt: null,
        answeredAt: null,
        abandonedAt,
        endedAt: abandonedAt,
        wrapEndedAt: null,
        holdSeconds: 0,
        disposition: null,
        successful: null,
      });
      continue;
    }
    const answeredAt = offeredAt + 2_000 + Math.floor(random() * 5_000);
    const talkMs = Math.max(20_000, draw.lognormal(line.talkMeanSeconds, line.talkSdSeconds) * 1000);
    const holdSeconds = random() < 0.15 ? Math.round(10 + random() * 50) : 0;
    const endedAt = answeredAt + Math.round(talkMs) + holdSeconds * 1000;
    const wrapSeconds = options.wrapUpSeconds[arrival.queue] ?? 30;
    const wrapEndedAt = endedAt + Math.round(wrapSeconds * (0.6 + 0.8 * random()) * 1000);
    freeAt[seat] = wrapEndedAt;
    const disposition = draw.weighted(dispositions);
    calls.push({
      ...base,
      operator: options.operators[seat]!,
      offeredAt,
      answeredAt,
      abandonedAt: null,
      endedAt,
      wrapEndedAt,
      holdSeconds,
      disposition,
      successful: disposition !== 'do_not_call' && disposition !== 'wrong_number',
    });
  }
  return calls;
}

/** The local dates of the `days` days before `today` (Europe/Rome), oldest first. */
export function historyDates(today: Date, days: number): string[] {
  const last = localDateOf(today.getTime(), ROME);
  const dates: string[] = [];
  const at = new Date(`${last}T12:00:00Z`);
  for (let i = days; i >= 1; i--) {
    const day = new Date(at.getTime() - i * 86_400_000);
    dates.push(day.toISOString().slice(0, 10));
  }
  return dates;
}

/**
 * Stores the demo's history once (a marker in instance_settings), for the demo
 * organizations that have their live configuration (live-demo.ts): `days` local
 * days before `today`. One transaction per organization, so an interrupted
 * start leaves an organization with all of its history or none.
 */
export async function seedDemoHistory(options: {
  db: Database;
  today: Date;
  days?: number;
  scale?: number;
}): Promise<{ interactions: number }> {
  const { db } = options;
  const done = await db.asCenter((tx) =>
    tx.selectFrom('instance_settings').select('key').where('key', '=', HISTORY_SEEDED_KEY).executeTakeFirst(),
  );
  if (done) return { interactions: 0 };
  const dates = historyDates(options.today, options.days ?? DEMO_HISTORY_DAYS);
  const years = [...new Set(dates.map((date) => Number(date.slice(0, 4))))];
  const holidays = new Set(italianHolidays(years));
  const organizations = await db.asCenter((tx) =>
    tx
      .selectFrom('organizations')
      .select(['id', 'slug'])
      .where(
        'slug',
        'in',
        DEMO_LIVE_ORGANIZATIONS.map((org) => org.slug),
      )
      .execute(),
  );
  const specs = simulatedOperatorSpecs();
  let interactions = 0;
  for (const { id: orgId, slug } of organizations) {
    const demo = DEMO_LIVE_ORGANIZATIONS.find((o) => o.slug === slug)!;
    // Its simulated operators, then the two human seats: the same people the live center staffs.
    const emails = [
      ...specs.filter((spec) => spec.organizations.includes(slug)).map((spec) => spec.email),
      ...DEMO_REAL_OPERATORS,
    ];
    const users = await db.asCenter((tx) =>
      tx.selectFrom('users').select(['id', 'email']).where('email', 'in', emails).execute(),
    );
    const idOf = new Map(users.map((user) => [user.email, user.id]));
    const operators = emails.flatMap((email) => (idOf.has(email) ? [idOf.get(email)!] : []));
    interactions += await db.forOrg(orgId, async (tx) => {
      const queues = await tx
        .selectFrom('queues')
        .select(['id', 'key', 'wrap_up_seconds'])
        .where('org_id', '=', orgId)
        .execute();
      const queueIds = new Map(queues.map((queue) => [queue.key, queue.id]));
      if (!queueIds.has('donor-care') || operators.length === 0) return 0;
      const wrapUpSeconds = Object.fromEntries(queues.map((queue) => [queue.key, queue.wrap_up_seconds]));
      const knownCallers = await tx
        .selectFrom('supporter_phones')
        .select(['supporter_id as supporterId', 'number'])
        .where('valid', '=', true)
        .orderBy('id')
        .limit(300)
        .execute();
      let stored = 0;
      // A day at a time: memory holds one day's calls.
      for (const date of dates) {
        const calls = demoHistoryDay({
          date,
          slug: demo.slug,
          operators,
          knownCallers,
          wrapUpSeconds,
          seed: hashSeed(slug, 8),
          holidays,
          scale: options.scale ?? DEMO_HISTORY_SCALE,
        });
        stored += await insertHistoryCalls(tx, orgId, calls, queueIds);
      }
      const fromMs = localDayBounds(dates[0]!, ROME).fromMs;
      const toMs = localDayBounds(dates[dates.length - 1]!, ROME).toMs;
      await rebuildKpiRollups(tx, { orgId, fromMs, toMs });
      return stored;
    });
  }
  await db.asCenter((tx) =>
    tx
      .insertInto('instance_settings')
      .values({ key: HISTORY_SEEDED_KEY, value: JSON.stringify(new Date().toISOString()) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute(),
  );
  return { interactions };
}

/** One INSERT of a day's calls, one array per column (like the CDR import). */
async function insertHistoryCalls(
  tx: Tx,
  orgId: string,
  calls: readonly HistoryCall[],
  queueIds: ReadonlyMap<string, string>,
): Promise<number> {
  if (calls.length === 0) return 0;
  const column = <T>(pick: (call: HistoryCall) => T) => calls.map(pick);
  const at = (name: string) => sql.raw(`'epoch'::timestamptz + v.${name} * interval '1 millisecond'`);
  const answered = (call: HistoryCall) => call.answeredAt !== null;
  await sql`
    insert into interactions (
      org_id, channel, direction, number, remote_number, queue_id, operator_id, supporter_id,
      created_at, ivr_started_at, ivr_ended_at, queued_at, offered_at, answered_at, connected_at,
      abandoned_at, ended_at, wrap_ended_at, hold_seconds, outcome, disposition, successful, end_cause)
    select ${orgId}::uuid, 'voice', 'inbound', v.number, v.remote_number, v.queue_id, v.operator_id,
           v.supporter_id, ${at('created_at')}, ${at('created_at')}, ${at('queued_at')}, ${at('queued_at')},
           ${at('offered_at')}, ${at('answered_at')}, ${at('answered_at')}, ${at('abandoned_at')},
           ${at('ended_at')}, ${at('wrap_ended_at')}, v.hold_seconds, v.outcome, v.disposition, v.successful,
           v.end_cause
    from unnest(
      ${column((c) => c.number)}::text[], ${column((c) => c.remoteNumber)}::text[],
      ${column((c) => queueIds.get(c.queue) ?? null)}::uuid[], ${column((c) => c.operator)}::uuid[],
      ${column((c) => c.supporterId)}::uuid[], ${column((c) => c.createdAt)}::bigint[],
      ${column((c) => c.queuedAt)}::bigint[], ${column((c) => c.offeredAt)}::bigint[],
      ${column((c) => c.answeredAt)}::bigint[], ${column((c) => c.abandonedAt)}::bigint[],
      ${column((c) => c.endedAt)}::bigint[], ${column((c) => c.wrapEndedAt)}::bigint[],
      ${column((c) => c.holdSeconds)}::integer[], ${column((c) => (answered(c) ? 'answered' : 'abandoned'))}::text[],
      ${column((c) => c.disposition)}::text[], ${column((c) => c.successful)}::boolean[],
      ${column((c) => (answered(c) ? 'completed' : 'abandoned'))}::text[]
    ) as v(number, remote_number, queue_id, operator_id, supporter_id, created_at, queued_at, offered_at,
           answered_at, abandoned_at, ended_at, wrap_ended_at, hold_seconds, outcome, disposition, successful,
           end_cause)`.execute(tx);
  return calls.length;
}
