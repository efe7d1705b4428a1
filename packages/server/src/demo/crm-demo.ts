// Demo supporters for an organization: fictional Italians with valid fiscal
// codes, mobile and landline numbers, e-mails on reserved example domains,
// consents, regular gifts (mostly SEPA direct debit with an encrypted IBAN and
// a mandate), and a year of gifts with the odd returned debit. Everything is
// drawn from a seeded generator, so the same seed gives the same people; the
// rows go in with one set-based statement per table.
import { randomUUID } from 'node:crypto';
import { createRandom, ibanCheckDigits, validateIban } from '@centralino/engine';
import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import { supporterSearchText } from '../modules/supporters/search-text.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { FEMALE_NAMES, MALE_NAMES, PLACES, personalFiscalCode, SURNAMES } from './italian-people.ts';

const STREETS = [
  'Via Roma',
  'Via Garibaldi',
  'Corso Italia',
  'Via Mazzini',
  'Via Dante',
  'Piazza Verdi',
  'Via Cavour',
  'Viale Europa',
];
const MOBILE_PREFIXES = ['320', '328', '331', '333', '338', '340', '347', '349', '366', '380', '392'];
const SOURCES = ['face_to_face', 'face_to_face', 'drtv', 'web', 'web', 'event', 'lead_generation'] as const;
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];
// Italian banks' ABI codes (public identifiers) for realistic-looking IBANs.
const ABI = ['03069', '02008', '05034', '03111', '05696', '01030', '03062', '05387'];
const RETURN_CODES = ['AM04', 'AM04', 'AM04', 'MS03', 'AC04', 'MD06'];

export type CrmDemoOptions = {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  /** Mandate references start with it (e.g. "BG"). */
  prefix: string;
  supporters: number;
  seed: number;
  /** The demo's "today": gifts cover the 12 months before it. */
  today: Date;
};

export type CrmDemoSummary = { supporters: number; commitments: number; gifts: number; consents: number };

export async function seedCrmDemo(options: CrmDemoOptions): Promise<CrmDemoSummary> {
  const random = createRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const today = options.today;
  const isoDay = (date: Date) => date.toISOString().slice(0, 10);
  const daysAgo = (days: number) => new Date(today.getTime() - days * 86_400_000);

  const supporters: SupporterRow[] = [];
  const commitments: CommitmentRow[] = [];
  const gifts: GiftRow[] = [];
  const consents: ConsentRow[] = [];
  const usedEmails = new Set<string>();

  for (let i = 0; i < options.supporters; i++) {
    const female = random() < 0.55;
    const firstName = pick(female ? FEMALE_NAMES : MALE_NAMES);
    const lastName = pick(SURNAMES);
    const place = pick(PLACES);
    const birth = new Date(
      Date.UTC(1940 + Math.floor(random() * 62), Math.floor(random() * 12), 1 + Math.floor(random() * 28)),
    );
    const fiscal = personalFiscalCode({ firstName, lastName, birth, female, placeCode: place.code });
    const local = `${firstName}.${lastName}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z.]/g, '');
    let email = `${local}@${pick(EMAIL_DOMAINS)}`;
    if (usedEmails.has(email)) email = `${local}${i}@${pick(EMAIL_DOMAINS)}`;
    usedEmails.add(email);
    const phones = [{ number: `+39${pick(MOBILE_PREFIXES)}${digits(7)}`, kind: 'mobile' }];
    if (random() < 0.35)
      phones.push({ number: `+39${place.prefix}${digits(10 - place.prefix.length)}`, kind: 'fixed_line' });
    // The campaigns' cycles need a few supporters in each state at any size, relative to `today`: one
    // in a hundred signed up in the street this week (a welcome call due), one in a hundred stopped
    // their regular gift last month or the one before (recapture), one in a hundred gave 100 € or
    // more in the last ten days (a thank-you call). Chosen by position, the draws of the others unchanged.
    const turn = i % 100;
    const signedUpThisWeek = turn === 7;
    const stoppedLately = turn === 53;
    const drawnDaysAgo = 30 + Math.floor(random() * 1800);
    const createdDaysAgo = signedUpThisWeek ? 1 + (Math.floor(i / 100) % 6) : drawnDaysAgo;
    const drawnSource = pick(SOURCES);
    const supporter: SupporterRow = {
      index: i,
      firstName,
      lastName,
      birthDate: isoDay(birth),
      fiscalCode: fiscal,
      source: signedUpThisWeek ? 'face_to_face' : drawnSource,
      email,
      phones,
      address: {
        kind: 'home',
        line1: `${pick(STREETS)} ${1 + Math.floor(random() * 180)}`,
        postalCode: place.cap,
        city: place.city,
        province: place.province,
        country: 'IT',
      },
      externalId: `${options.prefix}${String(100_000 + i)}`,
      createdAt: daysAgo(createdDaysAgo),
      status: 'active',
    };
    supporters.push(supporter);

    // Consents: phone and e-mail for fundraising, most granted at sign-up; some revoked later.
    for (const channel of ['phone', 'email', 'post'] as const) {
      if (random() < 0.9) {
        consents.push({
          supporter: i,
          channel,
          granted: true,
          at: supporter.createdAt,
          source: supporter.source,
        });
        if (random() < 0.06)
          consents.push({
            supporter: i,
            channel,
            granted: false,
            at: daysAgo(Math.floor(random() * createdDaysAgo)),
            source: 'telephone',
          });
      }
    }

    // 60 % are regular donors; a fifth of those stopped.
    const regular = random() < 0.6;
    if (regular || signedUpThisWeek || stoppedLately) {
      const sepa = random() < 0.85;
      const amountCents = pick([500, 800, 1000, 1000, 1200, 1500, 2000, 2500, 3000]);
      const drawnStatus = random() < 0.2 ? pick(['cancelled', 'lapsed', 'paused'] as const) : 'active';
      const status = signedUpThisWeek ? 'active' : stoppedLately ? 'cancelled' : drawnStatus;
      const drawnStartDaysAgo = Math.max(20, createdDaysAgo - Math.floor(random() * 10));
      // Signed up in the street: the mandate starts the day of the sign-up.
      const startDaysAgo = signedUpThisWeek ? createdDaysAgo : drawnStartDaysAgo;
      const commitment: CommitmentRow = {
        supporter: i,
        index: commitments.length,
        externalId: `${options.prefix}-RG-${String(100_000 + i)}`,
        amountCents,
        frequency: random() < 0.9 ? 'monthly' : 'quarterly',
        method: sepa ? 'sepa_direct_debit' : 'card',
        startDate: isoDay(daysAgo(startDaysAgo)),
        endDate: null,
        status,
        iban: sepa ? italianIban(pick(ABI), digits(5), digits(12)) : null,
        reference: `${options.prefix}-${String(100_000 + i)}`,
      };
      commitments.push(commitment);
      if (status === 'lapsed' || status === 'cancelled')
        supporter.status = random() < 0.5 ? 'lapsed' : 'active';
      // A year of collections (or fewer, since it started), the last ones missing when it stopped.
      const drawnStoppedMonthsAgo = status === 'active' ? 0 : 1 + Math.floor(random() * 10);
      const stoppedMonthsAgo = stoppedLately ? 1 + (Math.floor(i / 100) % 2) : drawnStoppedMonthsAgo;
      // Ended: the 20th of the month of its last collection (the next one never came), not before it
      // started. The date the recapture campaign's "ended in the last N days" reads, with its history.
      if (status === 'cancelled' || status === 'lapsed') {
        const ended = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - stoppedMonthsAgo, 20));
        commitment.endDate = isoDay(new Date(Math.max(ended.getTime(), Date.parse(commitment.startDate))));
      }
      const step = commitment.frequency === 'monthly' ? 1 : 3;
      for (let m = 12; m >= stoppedMonthsAgo + 1; m -= step) {
        const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - m + 1, 5));
        if (date.getTime() < Date.parse(commitment.startDate)) continue;
        const failed = sepa && random() < 0.03;
        gifts.push({
          supporter: i,
          commitment: commitment.index,
          date: isoDay(date),
          amountCents: amountCents * step,
          method: commitment.method,
          status: failed ? 'failed' : 'collected',
          returnCode: failed ? pick(RETURN_CODES) : null,
          campaign: 'RG',
        });
      }
    } else if (random() < 0.7) {
      // One-off donors: one to three gifts in the year, some in the Christmas appeal.
      const count = 1 + Math.floor(random() * 3);
      for (let g = 0; g < count; g++) {
        const christmas = random() < 0.4;
        const date = christmas
          ? new Date(
              Date.UTC(
                today.getUTCFullYear() - (today.getUTCMonth() < 11 ? 1 : 0),
                11,
                1 + Math.floor(random() * 24),
              ),
            )
          : daysAgo(Math.floor(random() * 365));
        gifts.push({
          supporter: i,
          commitment: null,
          date: isoDay(date),
          amountCents: pick([1000, 2000, 2500, 3000, 5000, 5000, 10000, 15000, 25000]),
          method: pick(['card', 'bank_transfer', 'postal'] as const),
          status: 'collected',
          returnCode: null,
          campaign: christmas ? 'NATALE' : pick(['EMERGENZA', 'WEB', 'EVENTO']),
        });
      }
    }
    if (turn === 31)
      gifts.push({
        supporter: i,
        commitment: null,
        date: isoDay(daysAgo(1 + (Math.floor(i / 100) % 10))),
        amountCents: [10_000, 15_000, 25_000][Math.floor(i / 100) % 3]!,
        method: 'bank_transfer',
        status: 'collected',
        returnCode: null,
        campaign: 'WEB',
      });
  }

  await options.db.forOrg(options.orgId, async (tx) => {
    const ids = await insertSupporters(tx, options.orgId, supporters);
    const commitmentIds = await insertCommitments(tx, options, commitments, ids);
    await insertMandates(tx, options, commitments, commitmentIds);
    await insertGifts(tx, options.orgId, gifts, ids, commitmentIds);
    await insertConsents(tx, options.orgId, consents, ids);
  });
  return {
    supporters: supporters.length,
    commitments: commitments.length,
    gifts: gifts.length,
    consents: consents.length,
  };
}

type SupporterRow = {
  index: number;
  firstName: string;
  lastName: string;
  birthDate: string;
  fiscalCode: string;
  source: string;
  email: string;
  phones: { number: string; kind: string }[];
  address: Record<string, string>;
  externalId: string;
  createdAt: Date;
  status: 'active' | 'lapsed';
};
type CommitmentRow = {
  supporter: number;
  index: number;
  externalId: string;
  amountCents: number;
  frequency: 'monthly' | 'quarterly';
  method: 'sepa_direct_debit' | 'card';
  startDate: string;
  /** Cancelled or lapsed: when. */
  endDate: string | null;
  status: 'active' | 'paused' | 'cancelled' | 'lapsed';
  iban: string | null;
  reference: string;
};
type GiftRow = {
  supporter: number;
  commitment: number | null;
  date: string;
  amountCents: number;
  method: string;
  status: 'collected' | 'failed';
  returnCode: string | null;
  campaign: string;
};
type ConsentRow = { supporter: number; channel: string; granted: boolean; at: Date; source: string };

/** An Italian IBAN with valid check digits and national check letter (CIN). */
export function italianIban(abi: string, cab: string, account: string): string {
  const national = `${abi}${cab}${account}`;
  const bban = `${italianCin(national)}${national}`;
  const iban = `IT${ibanCheckDigits('IT', bban)}${bban}`;
  if (!validateIban(iban).ok) throw new Error(`demo IBAN generation is broken: ${iban}`);
  return iban;
}

// CIN: odd/even position weights over ABI + CAB + account, mod 26 (Italian banking standard).
const CIN_ODD = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
function italianCin(national: string): string {
  let sum = 0;
  for (let i = 0; i < national.length; i++) {
    const c = national[i]!;
    const value = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? CIN_ODD[value]! : value;
  }
  return String.fromCharCode(65 + (sum % 26));
}

async function insertSupporters(tx: Tx, orgId: string, rows: SupporterRow[]): Promise<string[]> {
  const col = <T>(pick: (r: SupporterRow) => T) => rows.map(pick);
  const ids = rows.map(() => randomUUID());
  await sql`
    insert into supporters (id, org_id, first_name, last_name, birth_date, fiscal_code, source, status, addresses,
                            search_text, created_at, updated_at)
    select id, ${orgId}::uuid, first_name, last_name, birth_date, fiscal_code, source, status, jsonb_build_array(address),
           search_text, created_at, created_at
    from unnest(${ids}::uuid[], ${col((r) => r.firstName)}::text[], ${col((r) => r.lastName)}::text[], ${col((r) => r.birthDate)}::date[],
                ${col((r) => r.fiscalCode)}::text[], ${col((r) => r.source)}::text[], ${col((r) => r.status)}::text[],
                ${col((r) => JSON.stringify(r.address))}::jsonb[],
                ${col((r) =>
                  supporterSearchText({
                    firstName: r.firstName,
                    lastName: r.lastName,
                    fiscalCode: r.fiscalCode,
                    emails: [r.email],
                    phones: r.phones.map((p) => p.number),
                  }),
                )}::text[],
                ${col((r) => r.createdAt.toISOString())}::timestamptz[])
      as v(id, first_name, last_name, birth_date, fiscal_code, source, status, address, search_text, created_at)`.execute(
    tx,
  );
  const phones = rows.flatMap((r, i) =>
    r.phones.map((p, k) => [ids[i]!, p.number, p.kind, k === 0] as const),
  );
  await sql`
    insert into supporter_phones (org_id, supporter_id, number, kind, valid, is_primary)
    select ${orgId}::uuid, s, n, k, true, p
    from unnest(${phones.map((p) => p[0])}::uuid[], ${phones.map((p) => p[1])}::text[], ${phones.map((p) => p[2])}::text[],
                ${phones.map((p) => p[3])}::boolean[]) as v(s, n, k, p)`.execute(tx);
  await sql`
    insert into supporter_emails (org_id, supporter_id, email, valid, is_primary)
    select ${orgId}::uuid, s, e, true, true from unnest(${ids}::uuid[], ${col((r) => r.email)}::text[]) as v(s, e)`.execute(
    tx,
  );
  await sql`
    insert into supporter_external_ids (org_id, system, external_id, supporter_id)
    select ${orgId}::uuid, 'crm', x, s from unnest(${col((r) => r.externalId)}::text[], ${ids}::uuid[]) as v(x, s)`.execute(
    tx,
  );
  await sql`
    insert into supporter_events (org_id, supporter_id, at, kind, details, actor)
    select ${orgId}::uuid, s, at, 'created', '{"source":"demo"}', 'system'
    from unnest(${ids}::uuid[], ${col((r) => r.createdAt.toISOString())}::timestamptz[]) as v(s, at)`.execute(
    tx,
  );
  return ids;
}

async function insertCommitments(
  tx: Tx,
  options: CrmDemoOptions,
  rows: CommitmentRow[],
  ids: string[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const col = <T>(pick: (r: CommitmentRow) => T) => rows.map(pick);
  const commitmentIds = rows.map(() => randomUUID());
  await sql`
    insert into commitments (id, org_id, supporter_id, external_id, amount_cents, frequency, method, start_date, end_date,
                             status, campaign_code)
    select id, ${options.orgId}::uuid, s, x, a, f, m, d, e, st, 'F2F'
    from unnest(${commitmentIds}::uuid[], ${col((r) => ids[r.supporter]!)}::uuid[], ${col((r) => r.externalId)}::text[], ${col((r) => r.amountCents)}::int[],
                ${col((r) => r.frequency)}::text[], ${col((r) => r.method)}::text[], ${col((r) => r.startDate)}::date[],
                ${col((r) => r.endDate)}::date[], ${col((r) => r.status)}::text[]) as v(id, s, x, a, f, m, d, e, st)`.execute(
    tx,
  );
  // The history: created active (paused as it is), then, for the ended ones, the change to
  // cancelled or lapsed on their end date.
  await sql`
    insert into commitment_events (org_id, commitment_id, supporter_id, at, kind, to_status, to_amount_cents, effective_date, reason, actor)
    select ${options.orgId}::uuid, c, s, d::timestamptz, 'created', case when e is null then st else 'active' end, a, d, 'demo', 'system'
    from unnest(${commitmentIds}::uuid[], ${col((r) => ids[r.supporter]!)}::uuid[], ${col((r) => r.startDate)}::date[],
                ${col((r) => r.endDate)}::date[], ${col((r) => r.status)}::text[], ${col((r) => r.amountCents)}::int[])
      as v(c, s, d, e, st, a)`.execute(tx);
  await sql`
    insert into commitment_events (org_id, commitment_id, supporter_id, at, kind, from_status, to_status, effective_date, reason, actor)
    select ${options.orgId}::uuid, c, s, e::timestamptz, 'status_changed', 'active', st, e, 'demo', 'system'
    from unnest(${commitmentIds}::uuid[], ${col((r) => ids[r.supporter]!)}::uuid[], ${col((r) => r.endDate)}::date[],
                ${col((r) => r.status)}::text[]) as v(c, s, e, st)
    where e is not null`.execute(tx);
  return commitmentIds;
}

async function insertMandates(
  tx: Tx,
  options: CrmDemoOptions,
  rows: CommitmentRow[],
  commitmentIds: string[],
) {
  const sepa = rows.filter((r) => r.iban !== null);
  if (sepa.length === 0) return;
  const creditorId = 'IT66ZZZA1B2C3D4E5F6G7H8';
  await sql`
    insert into mandates (org_id, commitment_id, creditor_id, reference, signature_date, iban_encrypted, iban_country,
                          iban_last4, sequence_type)
    select ${options.orgId}::uuid, c, ${creditorId}, r, d, e, 'IT', l, 'RCUR'
    from unnest(${sepa.map((r) => commitmentIds[r.index]!)}::uuid[], ${sepa.map((r) => r.reference)}::text[],
                ${sepa.map((r) => r.startDate)}::date[], ${sepa.map((r) => options.secrets.seal(r.iban!, options.orgId))}::text[],
                ${sepa.map((r) => r.iban!.slice(-4))}::text[]) as v(c, r, d, e, l)`.execute(tx);
  await sql`
    insert into crm_settings (org_id, creditor_id) values (${options.orgId}, ${creditorId})
    on conflict (org_id) do update set creditor_id = excluded.creditor_id`.execute(tx);
}

async function insertGifts(tx: Tx, orgId: string, rows: GiftRow[], ids: string[], commitmentIds: string[]) {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: GiftRow) => T) => rows.map(pick);
  await sql`
    insert into gifts (org_id, supporter_id, commitment_id, gift_date, amount_cents, method, status, return_code, campaign_code)
    select ${orgId}::uuid, s, c, d, a, m, st, rc, cc
    from unnest(${col((r) => ids[r.supporter]!)}::uuid[], ${col((r) => (r.commitment === null ? null : commitmentIds[r.commitment]!))}::uuid[],
                ${col((r) => r.date)}::date[], ${col((r) => r.amountCents)}::int[], ${col((r) => r.method)}::text[],
                ${col((r) => r.status)}::text[], ${col((r) => r.returnCode)}::text[], ${col((r) => r.campaign)}::text[])
      as v(s, c, d, a, m, st, rc, cc)`.execute(tx);
}

async function insertConsents(tx: Tx, orgId: string, rows: ConsentRow[], ids: string[]) {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: ConsentRow) => T) => rows.map(pick);
  await sql`
    insert into consent_events (org_id, supporter_id, channel, purpose, granted, source, evidence, recorded_at)
    select ${orgId}::uuid, s, ch, 'fundraising', g, src, 'demo', at
    from unnest(${col((r) => ids[r.supporter]!)}::uuid[], ${col((r) => r.channel)}::text[], ${col((r) => r.granted)}::boolean[],
                ${col((r) => r.source)}::text[], ${col((r) => r.at.toISOString())}::timestamptz[]) as v(s, ch, g, src, at)`.execute(
    tx,
  );
}
