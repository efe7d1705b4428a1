// The demo's live center: what `npm start` runs on the simulated gateway for
// the two demo organizations. The configuration (skills, queues, IVR flows,
// numbers, calling windows, dispositions, campaigns, operators) goes in
// through the same service functions the API uses, so it is validated as a
// user's would be; each item is looked up first, so a start interrupted half
// way finishes the job on the next one, and a marker skips the lookups after.
//
// The traffic (calls per hour by hour of the day, menu choices, operator
// behaviour) is illustrative, not measured: enough callers to keep about 20
// operators busy at the morning peak, so the supervisor view has calls waiting.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { OpeningHours, WeeklyPeriod } from '../db/schema.ts';
import type {
  SimulatedInboundLine,
  SimulatedMenu,
  SimulatedOutboundOptions,
} from '../gateways/simulated/simulated-gateway.options.ts';
import type { SimulatedOperatorProfile } from '../gateways/simulated/simulated-operators.ts';
import { isOpenAt } from '../live/ivr-hours.ts';
import type { SimulatedTraffic } from '../live/simulated-center.ts';
import { type CampaignInput, createCampaign, listCampaigns } from '../modules/campaigns/campaigns.service.ts';
import {
  createCallingWindow,
  listCallingWindows,
} from '../modules/contact-center/calling-windows.service.ts';
import {
  createDisposition,
  type DispositionInput,
  listDispositions,
} from '../modules/contact-center/dispositions.service.ts';
import type { IvrFlowDefinition } from '../modules/contact-center/ivr-flow.ts';
import { createIvrFlow, listIvrFlows } from '../modules/contact-center/ivr-flows.service.ts';
import { createNumber, listNumbers } from '../modules/contact-center/numbers.service.ts';
import { setOperatorProfile, setOperatorSkills } from '../modules/contact-center/operators.service.ts';
import { createQueue, listQueues, type QueueInput } from '../modules/contact-center/queues.service.ts';
import type { RuntimeConfiguration } from '../modules/contact-center/runtime-config.service.ts';
import { createSkill, listCenterSkills } from '../modules/contact-center/skills.service.ts';
import { createUser } from '../modules/users/users.service.ts';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES } from './italian-people.ts';

const LIVE_SEEDED_KEY = 'demo_live_seeded_at';
// A demo seeded when it had campaigns of four cycles only (welcome, thank you,
// upgrade, recapture) gets those of the other cycles on its next start, once:
// this marker says it did, so a campaign deleted afterwards stays deleted.
const ALL_CYCLES_SEEDED_KEY = 'demo_live_all_cycles_seeded_at';
const ROME = 'Europe/Rome';

/** The demo's organizations as the live center knows them (slugs of seed.ts), with their lines. */
export const DEMO_LIVE_ORGANIZATIONS = [
  // geographic: the caller id of outbound campaigns (donors call it back, so it answers like the toll-free line).
  {
    slug: 'bisturi-gentile',
    tollFree: '+39800145145',
    drtv: '+39800145146',
    geographic: '+390289012345',
    peak: 1,
  },
  {
    slug: 'ponti-aperti',
    tollFree: '+39800272272',
    drtv: '+39800272273',
    geographic: '+390645678912',
    peak: 0.75,
  },
] as const;

export const DEMO_SKILLS = [
  { key: 'lang_it', label: 'Italiano / Italian' },
  { key: 'lang_en', label: 'Inglese / English' },
  { key: 'donor_care', label: 'Cura dei donatori / Donor care' },
] as const;

/** Accounts for people: they take contacts through the operator API or the web app. */
export const DEMO_REAL_OPERATORS = ['operatore1@centralino.demo', 'operatore2@centralino.demo'] as const;
export const SIMULATED_OPERATOR_COUNT = 20;
const SIMULATED_DOMAIN = 'simulati.centralino.demo';

// Monday–Friday full days, Saturday mornings: the business hours of the lines.
const TOLL_FREE_WEEKLY: WeeklyPeriod[] = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '20:00' },
  { days: ['sat'], from: '09:00', to: '14:00' },
];
// DRTV spots run into the evening, so their response line stays open later.
const DRTV_WEEKLY: WeeklyPeriod[] = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '08:00', to: '22:00' },
];
const CALLING_WEEKLY: WeeklyPeriod[] = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '21:00' },
  { days: ['sat'], from: '10:00', to: '18:00' },
];

/** Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher), as [month, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

/** Italy's national public holidays (L. 260/1949 and later amendments) of `years`, YYYY-MM-DD, sorted. */
export function italianHolidays(years: readonly number[]): string[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  const dates: string[] = [];
  for (const year of years) {
    const [month, day] = easterSunday(year);
    const monday = new Date(Date.UTC(year, month - 1, day + 1));
    for (const md of [
      '01-01',
      '01-06',
      '04-25',
      '05-01',
      '06-02',
      '08-15',
      '11-01',
      '12-08',
      '12-25',
      '12-26',
    ])
      dates.push(`${year}-${md}`);
    dates.push(`${year}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`);
  }
  return dates.sort();
}

const hours = (weekly: WeeklyPeriod[], holidays: string[]): OpeningHours => ({
  timeZone: ROME,
  weekly,
  closedDates: holidays,
});

const prompt = (slug: string, name: string) => `${slug}/${name}`;

function tollFreeFlow(slug: string, holidays: string[]): IvrFlowDefinition {
  return {
    entry: 'hours',
    nodes: {
      hours: { type: 'hours', hours: hours(TOLL_FREE_WEEKLY, holidays), open: 'welcome', closed: 'closed' },
      welcome: { type: 'message', prompt: prompt(slug, 'benvenuto'), next: 'menu' },
      // "Per le donazioni premi 1, per informazioni premi 2."
      menu: {
        type: 'menu',
        prompt: prompt(slug, 'menu-principale'),
        digits: { '1': 'donations', '2': 'information' },
        timeoutSeconds: 5,
        retries: 2,
        onFailure: 'information',
      },
      donations: { type: 'queue', queue: 'donor-care' },
      information: { type: 'queue', queue: 'information' },
      closed: { type: 'message', prompt: prompt(slug, 'chiuso'), next: 'callback' },
      callback: {
        type: 'callback_offer',
        prompt: prompt(slug, 'offerta-richiamata'),
        queue: 'donor-care',
        declined: 'goodbye',
      },
      goodbye: { type: 'hangup' },
    },
  };
}

function drtvFlow(slug: string, holidays: string[]): IvrFlowDefinition {
  return {
    entry: 'hours',
    nodes: {
      hours: { type: 'hours', hours: hours(DRTV_WEEKLY, holidays), open: 'welcome', closed: 'closed' },
      welcome: { type: 'message', prompt: prompt(slug, 'benvenuto-drtv'), next: 'response' },
      response: { type: 'queue', queue: 'drtv-response' },
      closed: { type: 'message', prompt: prompt(slug, 'chiuso'), next: 'callback' },
      callback: {
        type: 'callback_offer',
        prompt: prompt(slug, 'offerta-richiamata'),
        queue: 'drtv-response',
        declined: 'goodbye',
      },
      goodbye: { type: 'hangup' },
    },
  };
}

const QUEUES: { key: string; input: Partial<QueueInput> & { name: string } }[] = [
  {
    key: 'donor-care',
    input: {
      name: 'Donazioni / Donor care',
      skillExpression: 'lang_it >= 5 && donor_care >= 4',
      // After a minute any Italian speaker may answer: a donor should not wait for a specialist.
      overflow: [{ afterSeconds: 60, skills: 'lang_it >= 5' }],
      wrapUpSeconds: 30,
      serviceLevelSeconds: 20,
    },
  },
  {
    key: 'information',
    input: {
      name: 'Informazioni / Information',
      skillExpression: 'lang_it >= 5',
      wrapUpSeconds: 20,
      serviceLevelSeconds: 30,
    },
  },
  {
    key: 'drtv-response',
    input: {
      name: 'Risposta DRTV / DRTV response',
      skillExpression: 'lang_it >= 5 && donor_care >= 3',
      // Someone who just saw the spot and calls to give is worth answering first.
      priority: 5,
      overflow: [{ afterSeconds: 45, skills: 'lang_it >= 5' }],
      wrapUpSeconds: 30,
      serviceLevelSeconds: 20,
    },
  },
  {
    key: 'outbound',
    input: {
      name: 'Campagne outbound / Outbound cycles',
      direction: 'outbound',
      skillExpression: 'donor_care >= 5',
      wrapUpSeconds: 30,
    },
  },
];

const DISPOSITIONS: Omit<DispositionInput, 'successful'>[] = [
  {
    code: 'info_given',
    labelIt: 'Informazioni fornite',
    labelEn: 'Information given',
    effect: 'reached',
    cycleType: 'inbound',
  },
  {
    code: 'data_updated',
    labelIt: 'Dati aggiornati',
    labelEn: 'Details updated',
    effect: 'reached',
    cycleType: 'inbound',
  },
];

/**
 * The outcomes of the campaigns whose cycle has no built-in success (an
 * appeal's pledge, a survey's answers), as an organization would define them:
 * the effect is only "reached" or "not interested", the success is for the KPIs.
 */
const CYCLE_DISPOSITIONS: DispositionInput[] = [
  {
    code: 'gift_pledged',
    labelIt: 'Dono promesso',
    labelEn: 'Gift pledged',
    effect: 'reached',
    cycleType: 'one_off',
    successful: true,
  },
  {
    code: 'survey_completed',
    labelIt: 'Questionario completato',
    labelEn: 'Survey completed',
    effect: 'reached',
    cycleType: 'custom',
    successful: true,
  },
  {
    code: 'survey_declined',
    labelIt: 'Questionario rifiutato',
    labelEn: 'Survey declined',
    effect: 'not_interested',
    cycleType: 'custom',
    successful: false,
  },
];

/** The CRM tag of the one-off appeal's list: supporters who gave to an earlier emergency appeal. */
export const EMERGENCY_DONOR_TAG = 'donatore_emergenza';

const CALLING_WINDOW_NAME = 'Fasce orarie Italia';

const RETRY = {
  noAnswer: { retryAfterMinutes: 120, maxAttempts: 4 },
  busy: { retryAfterMinutes: 20, maxAttempts: 3 },
  machine: { retryAfterMinutes: 240, maxAttempts: 2 },
  failed: { retryAfterMinutes: 1440, maxAttempts: 1 },
};

type DemoCampaign = Partial<CampaignInput> & Pick<CampaignInput, 'name' | 'cycleType'>;

// Priorities: the campaigns share the outbound queue's operators (live/dialer.ts), a higher priority
// strictly first, equal ones in turns. The demo's are one tier, so each cycle dials its share from
// the first minute and the wallboard shows them all at once. (With the welcome call above the
// others, as a center may well set it, the others waited for its list to empty: about ten
// simulated minutes, a minute of the demo at 10×.)
const CYCLE_PRIORITY = 10;

const CAMPAIGNS: DemoCampaign[] = [
  {
    name: 'Benvenuto nuovi donatori regolari',
    cycleType: 'welcome',
    eligibility: [
      { kind: 'commitment_started_within_days', days: 7 },
      { kind: 'no_contact_in_cycle', cycleType: 'welcome' },
    ],
    priority: CYCLE_PRIORITY,
    pacing: { mode: 'progressive' },
    retryPolicy: RETRY,
    maxAttempts: 5,
    script:
      'Buongiorno {{firstName}}, la chiamo per ringraziarla di aver scelto di sostenerci con una donazione regolare…',
  },
  {
    name: 'Grazie per il dono',
    cycleType: 'thank_you',
    eligibility: [
      { kind: 'gift_within_days', days: 14, minAmountCents: 10_000 },
      { kind: 'no_contact_in_cycle', cycleType: 'thank_you', withinDays: 30 },
    ],
    priority: CYCLE_PRIORITY,
    pacing: { mode: 'progressive' },
    retryPolicy: { noAnswer: { retryAfterMinutes: 240, maxAttempts: 2 }, busy: RETRY.busy },
    maxAttempts: 3,
    script: 'Buongiorno {{firstName}}, volevamo ringraziarla di persona per il suo dono…',
  },
  {
    name: 'Aumento della donazione regolare',
    cycleType: 'upgrade',
    eligibility: [
      { kind: 'commitment_active_for_months', months: 12 },
      { kind: 'no_contact_in_cycle', cycleType: 'upgrade', withinDays: 180 },
    ],
    priority: CYCLE_PRIORITY,
    pacing: { mode: 'predictive', ceiling: 0.03 },
    retryPolicy: RETRY,
    maxAttempts: 5,
    registerCheckMaxAgeDays: 15,
    script: 'Buongiorno {{firstName}}, grazie per essere con noi da oltre un anno…',
  },
  {
    name: 'Riattivazione donatori',
    cycleType: 'recapture',
    eligibility: [
      { kind: 'commitment_ended_within_days', days: 90 },
      { kind: 'no_contact_in_cycle', cycleType: 'recapture', withinDays: 90 },
    ],
    priority: CYCLE_PRIORITY,
    pacing: { mode: 'predictive', ceiling: 0.02 },
    retryPolicy: RETRY,
    maxAttempts: 4,
    registerCheckMaxAgeDays: 15,
    script: 'Buongiorno {{firstName}}, abbiamo visto che la sua donazione regolare si è interrotta…',
  },
  {
    name: 'Grazie per la fedeltà',
    cycleType: 'loyalty',
    eligibility: [
      { kind: 'commitment_active_for_months', months: 3 },
      { kind: 'no_contact_in_cycle', cycleType: 'loyalty', withinDays: 180 },
      // Not on the heels of the upgrade call: a thank-you that follows an ask sounds like another ask.
      { kind: 'no_contact_in_cycle', cycleType: 'upgrade', withinDays: 30 },
    ],
    priority: CYCLE_PRIORITY,
    pacing: { mode: 'progressive' },
    retryPolicy: { noAnswer: { retryAfterMinutes: 240, maxAttempts: 3 }, busy: RETRY.busy },
    maxAttempts: 3,
    script:
      'Buongiorno {{firstName}}, sono {{operatorName}}: la chiamo solo per dirle grazie. La sua donazione di {{amount}} ci accompagna da mesi…',
  },
  {
    name: 'Da donatore a sostenitore regolare',
    cycleType: 'conversion',
    eligibility: [
      { kind: 'no_active_commitment' },
      { kind: 'gift_within_days', days: 365 },
      { kind: 'no_contact_in_cycle', cycleType: 'conversion', withinDays: 180 },
    ],
    priority: CYCLE_PRIORITY,
    // The operator reads the donor's gifts before dialing: the ask is built on them.
    pacing: { mode: 'preview' },
    retryPolicy: RETRY,
    maxAttempts: 4,
    registerCheckMaxAgeDays: 15,
    script:
      'Buongiorno {{firstName}}, sono {{operatorName}}: grazie per il suo dono di quest’anno. Con pochi euro al mese, con addebito diretto sul conto, potrebbe…',
  },
  {
    name: 'Appello emergenza',
    cycleType: 'one_off',
    eligibility: [
      { kind: 'tag', tag: EMERGENCY_DONOR_TAG },
      { kind: 'supporter_status', statuses: ['active'] },
      { kind: 'no_contact_in_cycle', cycleType: 'one_off', withinDays: 60 },
    ],
    priority: CYCLE_PRIORITY,
    pacing: { mode: 'power', ratio: 1.5 },
    retryPolicy: { noAnswer: { retryAfterMinutes: 180, maxAttempts: 3 }, busy: RETRY.busy },
    maxAttempts: 3,
    registerCheckMaxAgeDays: 15,
    script:
      'Buongiorno {{firstName}}, lei ci ha già aiutato in un’emergenza: oggi ne affrontiamo un’altra e le chiediamo un dono straordinario…',
  },
  {
    name: 'Questionario di gradimento',
    cycleType: 'custom',
    eligibility: [
      // Regular donors signed up in the street: how the sign-up went and how they hear from us since.
      { kind: 'source', sources: ['face_to_face'] },
      { kind: 'commitment_active_for_months', months: 1 },
      { kind: 'no_contact_in_cycle', cycleType: 'custom', withinDays: 365 },
    ],
    priority: CYCLE_PRIORITY,
    pacing: { mode: 'progressive' },
    retryPolicy: { noAnswer: { retryAfterMinutes: 240, maxAttempts: 2 }, busy: RETRY.busy },
    maxAttempts: 2,
    script:
      'Buongiorno {{firstName}}, sono {{operatorName}}: ha due minuti per dirci com’è andata la sua iscrizione con il nostro dialogatore e come si trova con le nostre comunicazioni?',
  },
];

export type SimulatedOperatorSpec = {
  email: string;
  displayName: string;
  organizations: string[];
  skills: { skillKey: string; level: number }[];
};

/** About 20 people: some serve one organization, some both; all speak Italian, a third English too. */
export function simulatedOperatorSpecs(): SimulatedOperatorSpec[] {
  const [first, second] = DEMO_LIVE_ORGANIZATIONS.map((org) => org.slug) as [string, string];
  return Array.from({ length: SIMULATED_OPERATOR_COUNT }, (_, i) => {
    const given = i % 2 === 0 ? FEMALE_NAMES[i % FEMALE_NAMES.length]! : MALE_NAMES[i % MALE_NAMES.length]!;
    const family = SURNAMES[(i * 7) % SURNAMES.length]!;
    const organizations = i < 8 ? [first] : i < 13 ? [second] : [first, second];
    const skills = [
      { skillKey: 'lang_it', level: 6 + (i % 5) },
      { skillKey: 'donor_care', level: 3 + ((i * 3) % 7) },
      ...(i % 3 === 0 ? [{ skillKey: 'lang_en', level: 5 + (i % 4) }] : []),
    ];
    const local = `${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, '');
    return {
      email: `${local}.${String(i + 1).padStart(2, '0')}@${SIMULATED_DOMAIN}`,
      displayName: `${given} ${family} (simulato)`,
      organizations,
      skills,
    };
  });
}

const REAL_OPERATOR_SKILLS = [
  { skillKey: 'donor_care', level: 7 },
  { skillKey: 'lang_en', level: 6 },
  { skillKey: 'lang_it', level: 9 },
];

async function userByEmail(db: Database, email: string) {
  return db.asCenter((tx) =>
    tx.selectFrom('users').select(['id']).where('email', '=', email).executeTakeFirst(),
  );
}

const setMarker = (db: Database, key: string) =>
  db.asCenter((tx) =>
    tx
      .insertInto('instance_settings')
      .values({ key, value: JSON.stringify(new Date().toISOString()) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute(),
  );

async function demoOrganizationIds(db: Database): Promise<Map<string, string>> {
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
  return new Map(organizations.map((org) => [org.slug, org.id]));
}

/**
 * Seeds the live configuration of the demo organizations (they must exist: seed.ts),
 * once. Returns false when it was already there. `realOperatorEmails` are the demo's
 * human operator accounts (created by seed.ts): they get skills, not a simulated profile.
 */
export async function seedDemoLiveCenter(options: {
  db: Database;
  realOperatorEmails: readonly string[];
  today?: Date;
}): Promise<boolean> {
  const { db } = options;
  const markers = new Set(
    (
      await db.asCenter((tx) =>
        tx
          .selectFrom('instance_settings')
          .select('key')
          .where('key', 'in', [LIVE_SEEDED_KEY, ALL_CYCLES_SEEDED_KEY])
          .execute(),
      )
    ).map((row) => row.key),
  );
  if (markers.has(LIVE_SEEDED_KEY)) {
    if (markers.has(ALL_CYCLES_SEEDED_KEY)) return false;
    await seedMissingCycles({ db });
    await setMarker(db, ALL_CYCLES_SEEDED_KEY);
    return true;
  }

  const today = options.today ?? new Date();
  const year = today.getUTCFullYear();
  const holidays = italianHolidays([year, year + 1, year + 2]);
  const orgIds = await demoOrganizationIds(db);

  const skills = new Set((await listCenterSkills({ db })).map((skill) => skill.key));
  for (const skill of DEMO_SKILLS)
    if (!skills.has(skill.key))
      await createSkill({ db, principal: null, owner: { center: true }, key: skill.key, label: skill.label });

  for (const org of DEMO_LIVE_ORGANIZATIONS) {
    const orgId = orgIds.get(org.slug);
    if (orgId === undefined) throw new Error(`demo organization ${org.slug} is missing`);
    await seedOrganization({ db, orgId, slug: org.slug, org, holidays, today });
  }

  for (const email of options.realOperatorEmails) {
    const user = await userByEmail(db, email);
    if (user) await setOperatorSkills({ db, principal: null, userId: user.id, skills: REAL_OPERATOR_SKILLS });
  }

  for (const spec of simulatedOperatorSpecs()) {
    let user = await userByEmail(db, spec.email);
    // Nobody signs in as a simulated operator: an account without a password.
    user ??= await createUser({
      db,
      principal: null,
      email: spec.email,
      role: 'operator',
      password: null,
      displayName: spec.displayName,
      organizationIds: spec.organizations.map((slug) => orgIds.get(slug)!),
    });
    await setOperatorSkills({ db, principal: null, userId: user.id, skills: spec.skills });
    await setOperatorProfile({
      db,
      principal: null,
      userId: user.id,
      capacity: { voice: 1 },
      maxTasks: null,
      attributes: { simulated: true },
    });
  }

  await setMarker(db, ALL_CYCLES_SEEDED_KEY);
  await setMarker(db, LIVE_SEEDED_KEY);
  return true;
}

/**
 * A demo seeded with the campaigns of four cycles: the campaigns of the
 * others, with their tag and dispositions, on its outbound queue and calling
 * window. A cycle the organization has a campaign of already (the user made
 * one) gets none; an organization whose outbound queue or calling window the
 * user deleted gets none either.
 */
async function seedMissingCycles(options: { db: Database }) {
  const { db } = options;
  for (const orgId of (await demoOrganizationIds(db)).values()) {
    const queueId = (await listQueues({ db, orgId })).find((queue) => queue.key === 'outbound')?.id;
    const callingWindowId = (await listCallingWindows({ db, orgId })).find(
      (w) => w.name === CALLING_WINDOW_NAME,
    )?.id;
    if (queueId === undefined || callingWindowId === undefined) continue;
    const cycles = new Set((await listCampaigns({ db, orgId })).map((campaign) => campaign.cycleType));
    await seedCampaigns({
      db,
      orgId,
      queueId,
      callingWindowId,
      campaigns: CAMPAIGNS.filter((campaign) => !cycles.has(campaign.cycleType)),
    });
  }
}

/** The campaigns missing by name, with the tag and the dispositions they need. */
async function seedCampaigns(options: {
  db: Database;
  orgId: string;
  queueId: string;
  callingWindowId: string;
  campaigns: readonly DemoCampaign[];
}) {
  const { db, orgId } = options;
  const base = { db, principal: null, orgId };
  await tagEmergencyDonors({ db, orgId });

  const dispositions = new Set((await listDispositions({ db, orgId })).map((d) => d.code));
  for (const d of CYCLE_DISPOSITIONS)
    if (!dispositions.has(d.code) && options.campaigns.some((c) => c.cycleType === d.cycleType))
      await createDisposition({ ...base, input: d });

  const campaigns = new Set((await listCampaigns({ db, orgId })).map((campaign) => campaign.name));
  for (const campaign of options.campaigns)
    if (!campaigns.has(campaign.name))
      await createCampaign({
        ...base,
        input: {
          ...campaign,
          status: 'active',
          refreshMinutes: 60,
          queueId: options.queueId,
          callingWindowId: options.callingWindowId,
        },
      });
}

/**
 * The one-off appeal's list: supporters who gave to an earlier emergency
 * appeal (their gifts' campaign code, crm-demo.ts), tagged as a CRM import
 * would tag them. One set-based statement; skipped when the organization has
 * the tag on anyone already.
 */
async function tagEmergencyDonors(options: { db: Database; orgId: string }) {
  await options.db.forOrg(options.orgId, async (tx) => {
    const any = await tx
      .selectFrom('supporters')
      .select('id')
      .where(sql<boolean>`${EMERGENCY_DONOR_TAG} = any(tags)`)
      .limit(1)
      .executeTakeFirst();
    if (any) return;
    await sql`
      update supporters s set tags = array_append(s.tags, ${EMERGENCY_DONOR_TAG})
      where exists (select 1 from gifts g where g.supporter_id = s.id and g.campaign_code = 'EMERGENZA'
                      and g.status = 'collected')`.execute(tx);
  });
}

async function seedOrganization(options: {
  db: Database;
  orgId: string;
  slug: string;
  org: (typeof DEMO_LIVE_ORGANIZATIONS)[number];
  holidays: string[];
  today: Date;
}) {
  const { db, orgId, slug, org, holidays, today } = options;
  const base = { db, principal: null, orgId };

  const queues = new Map((await listQueues({ db, orgId })).map((queue) => [queue.key, queue.id]));
  for (const queue of QUEUES)
    if (!queues.has(queue.key))
      queues.set(queue.key, (await createQueue({ ...base, key: queue.key, input: queue.input })).id);

  const flows = new Map((await listIvrFlows({ db, orgId })).map((flow) => [flow.name, flow.id]));
  const lines = [
    {
      name: 'Numero verde',
      kind: 'toll_free',
      number: org.tollFree,
      definition: tollFreeFlow(slug, holidays),
    },
    { name: 'Risposta DRTV', kind: 'drtv', number: org.drtv, definition: drtvFlow(slug, holidays) },
    { name: 'Numero verde', kind: 'geographic', number: org.geographic, definition: null },
  ] as const;
  const numbers = new Set((await listNumbers({ db, orgId })).map((line) => line.e164));
  for (const line of lines) {
    let flowId = flows.get(line.name);
    if (flowId === undefined && line.definition !== null) {
      flowId = (await createIvrFlow({ ...base, name: line.name, definition: line.definition })).id;
      flows.set(line.name, flowId);
    }
    if (!numbers.has(line.number))
      await createNumber({
        ...base,
        number: line.number,
        kind: line.kind,
        label: line.kind === 'geographic' ? 'Numero geografico / Outbound caller id' : line.name,
        ivrFlowId: flowId ?? null,
      });
  }

  const dispositions = new Set((await listDispositions({ db, orgId })).map((d) => d.code));
  for (const d of DISPOSITIONS)
    if (!dispositions.has(d.code)) await createDisposition({ ...base, input: { ...d, successful: true } });

  let callingWindowId = (await listCallingWindows({ db, orgId })).find(
    (w) => w.name === CALLING_WINDOW_NAME,
  )?.id;
  callingWindowId ??= (
    await createCallingWindow({
      ...base,
      input: { name: CALLING_WINDOW_NAME, timeZone: ROME, weekly: CALLING_WEEKLY, holidays },
    })
  ).id;

  await seedRegisterChecks({ db, orgId, today });

  await seedCampaigns({
    db,
    orgId,
    queueId: queues.get('outbound')!,
    callingWindowId,
    campaigns: CAMPAIGNS,
  });
}

/**
 * Register checks (Registro Pubblico delle Opposizioni, DOMAIN.md §7) of the
 * supporters' numbers, as an imported answer file would leave them: without
 * them the campaigns could dial nobody. Most were checked in the last ten days
 * and are free; one in twenty is registered and one in thirty-three was checked
 * two months ago (stale), so the call lists show blocked numbers with their
 * reasons. One set-based statement, like the demo's CRM data; skipped when the
 * organization has checks already.
 */
async function seedRegisterChecks(options: { db: Database; orgId: string; today: Date }) {
  const today = options.today.toISOString().slice(0, 10);
  await options.db.forOrg(options.orgId, async (tx) => {
    const any = await tx.selectFrom('register_checks').select('id').limit(1).executeTakeFirst();
    if (any) return;
    await sql`
      insert into register_checks (org_id, number, checked_on, registered, source)
      select ${options.orgId}, number,
             ${today}::date - (case when n % 33 = 0 then 60 else n % 10 end)::integer,
             n % 20 = 7, 'demo'
      from (select number, row_number() over (order by number) as n
            from (select distinct number from supporter_phones) phones) numbered`.execute(tx);
  });
}

// ---- traffic of the simulated demo ---------------------------------------------

// Share of the peak rate by local hour 0–23. Donor-care lines follow office
// hours with a lunch dip; DRTV responses follow the spots (lunchtime news and
// prime time). Calls outside the line's hours hear the closed message.
export const TOLL_FREE_SHAPE = [
  0, 0, 0, 0, 0, 0, 0, 0.05, 0.4, 0.8, 1, 1, 0.8, 0.6, 0.8, 0.9, 0.9, 0.8, 0.6, 0.5, 0.2, 0.1, 0.05, 0,
];
export const DRTV_SHAPE = [
  0.02, 0, 0, 0, 0, 0, 0, 0.1, 0.3, 0.5, 0.6, 0.6, 0.7, 1, 0.8, 0.5, 0.5, 0.6, 0.8, 0.9, 1, 0.9, 0.3, 0.1,
];
/** Calls per hour at the peak hour of the busiest organization. */
export const TOLL_FREE_PEAK = 110;
export const DRTV_PEAK = 70;

/**
 * The simulated callers of the demo lines, `scale` × the illustrative rates
 * (1 brings about 20 operators close to full at the morning peak, 4 minutes
 * per contact with the wrap-up, so calls wait). `knownCallers` are supporters' phones of each
 * organization, so some callers get a screen pop.
 */
export function demoInboundLines(options: {
  numbers: RuntimeConfiguration['numbers'];
  knownCallers: ReadonlyMap<string, readonly string[]>;
  scale: number;
}): SimulatedInboundLine[] {
  const lines: SimulatedInboundLine[] = [];
  for (const number of options.numbers) {
    const org = DEMO_LIVE_ORGANIZATIONS.find((o) =>
      [o.tollFree, o.drtv, o.geographic].includes(number.e164 as never),
    );
    const drtv = org?.drtv === number.e164;
    // The geographic number rings when people call back a campaign's call: a trickle.
    const share = org?.geographic === number.e164 ? 0.1 : 1;
    const peak = (drtv ? DRTV_PEAK : TOLL_FREE_PEAK) * share * (org?.peak ?? 0.5) * options.scale;
    const known = options.knownCallers.get(number.orgId) ?? [];
    lines.push({
      number: number.e164,
      callsPerHour: (drtv ? DRTV_SHAPE : TOLL_FREE_SHAPE).map((share) => Math.round(share * peak * 10) / 10),
      patience: { kind: 'exponential', meanSeconds: drtv ? 120 : 180 },
      talkTime: { kind: 'lognormal', meanSeconds: drtv ? 240 : 180, sdSeconds: 120 },
      // Donors call from the number the charity has; DRTV callers are mostly new.
      callerIds:
        known.length > 0
          ? { known, knownShare: drtv ? 0.15 : 0.6, anonymousShare: 0.05 }
          : { anonymousShare: 0.05 },
    });
  }
  return lines;
}

/** How the people the demo's campaigns dial answer (the dialer's outcomes). */
export const DEMO_OUTBOUND: SimulatedOutboundOptions = {
  // People are home at lunch and in the evening.
  liveAnswerRate: [
    0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.25, 0.3, 0.3, 0.3, 0.35, 0.4, 0.35, 0.3, 0.3, 0.35, 0.4, 0.45,
    0.45, 0.4, 0.3, 0.2,
  ],
  machineRate: 0.15,
  busyRate: 0.05,
  failedRate: 0.03,
};

/** Six in ten callers of the main menu want to give, the rest ask for information. */
export const DEMO_MENU: SimulatedMenu = { choices: { '1': 6, '2': 4 }, noInput: 0.3, hangUp: 0.1 };

/** The demo's people: breaks about hourly (so the wallboard shows some), outcomes from the dispositions. */
export const DEMO_OPERATOR_PROFILE: Partial<SimulatedOperatorProfile> = {
  breakEvery: { kind: 'exponential', meanSeconds: 3600 },
  breakLength: { kind: 'lognormal', meanSeconds: 600, sdSeconds: 240 },
  outcomes: {
    // Codes that need no details (a call back needs a time, which simulated operators do not fill in).
    default: { reached: 6, info_given: 3, data_updated: 2, do_not_call: 0.2, wrong_number: 0.1 },
    welcome: { reached: 8, call_back: 1, not_interested: 1 },
    thank_you: { reached: 9, call_back: 1 },
    upgrade: { upgrade_accepted: 2, not_interested: 5, call_back: 2, reached: 1 },
    conversion: { conversion_accepted: 1, not_interested: 6, call_back: 2 },
    recapture: { recapture_accepted: 2, not_interested: 6, call_back: 2 },
    loyalty: { reached: 8, call_back: 1, not_interested: 1 },
    // The demo's own dispositions of these cycles (CYCLE_DISPOSITIONS).
    one_off: { gift_pledged: 3, not_interested: 5, call_back: 1, reached: 1 },
    custom: { survey_completed: 6, survey_declined: 2, call_back: 1, wrong_number: 0.2 },
  },
};

/**
 * When the demo's simulated day starts: now when the toll-free line is open,
 * else its next opening (at night or on a Sunday the demo would show an empty
 * center), searched in 15-minute steps over the next 10 days.
 */
export function demoClockStart(configuration: RuntimeConfiguration, now: number): number {
  const flow = configuration.ivrFlows.find((f) => f.name === 'Numero verde');
  const entry = flow?.definition.nodes[flow.definition.entry];
  if (entry?.type !== 'hours') return now;
  if (isOpenAt(entry.hours, now)) return now;
  const step = 15 * 60_000;
  for (let at = Math.ceil(now / step) * step; at < now + 10 * 86_400_000; at += step)
    if (isOpenAt(entry.hours, at)) return at;
  return now;
}

const DEMO_CALLBACK_OFFER = { choices: { '1': 1 }, noInput: 0.4, hangUp: 0.1 } as const;

/** What the demo's simulated callers, people called and operators do (for live/simulated-center.ts). */
export async function demoLiveTraffic(options: { db: Database; scale?: number }): Promise<SimulatedTraffic> {
  const knownCallers = await demoKnownCallers({ db: options.db });
  return {
    inbound: (configuration) =>
      demoInboundLines({ numbers: configuration.numbers, knownCallers, scale: options.scale ?? 1 }),
    menus: Object.fromEntries(
      DEMO_LIVE_ORGANIZATIONS.flatMap((org) => [
        [prompt(org.slug, 'menu-principale'), DEMO_MENU],
        // Out of hours, about two callers in three press 1 to be called back.
        [prompt(org.slug, 'offerta-richiamata'), DEMO_CALLBACK_OFFER],
      ]),
    ),
    outbound: DEMO_OUTBOUND,
    operatorProfile: DEMO_OPERATOR_PROFILE,
    clockStart: demoClockStart,
  };
}

/** A sample of each demo organization's supporter phones (by organization id), for callers the CRM recognises. */
export async function demoKnownCallers(options: {
  db: Database;
  perOrganization?: number;
}): Promise<Map<string, string[]>> {
  const organizations = await options.db.asCenter((tx) =>
    tx
      .selectFrom('organizations')
      .select('id')
      .where(
        'slug',
        'in',
        DEMO_LIVE_ORGANIZATIONS.map((org) => org.slug),
      )
      .execute(),
  );
  const callers = new Map<string, string[]>();
  for (const { id: orgId } of organizations) {
    const rows = await options.db.readForOrg(orgId, (tx) =>
      tx
        .selectFrom('supporter_phones')
        .select('number')
        .where('valid', '=', true)
        .orderBy('id')
        .limit(options.perOrganization ?? 300)
        .execute(),
    );
    callers.set(
      orgId,
      rows.map((row) => row.number),
    );
  }
  return callers;
}
