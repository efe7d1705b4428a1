// Do-not-call: the organization's own list, and the checks of numbers against
// the national register (Registro Pubblico delle Opposizioni, DOMAIN.md §7).
// phoneCompliance() is the one answer to "may this number be called today?"
// at the number level; the dialer adds the supporter's status and consents.
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { readCrmSettings } from './crm-settings.service.ts';
import { checkPhone } from './crm-validation.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { supporterErrors } from './supporters.errors.ts';

export type DncEntry = { number: string; reason: string; source: string; addedAt: string };

export type ComplianceReason =
  | 'on_org_list'
  | 'register_check_missing'
  | 'register_check_stale'
  | 'registered_in_register';

export type PhoneCompliance = {
  number: string;
  onOrgList: boolean;
  lastRegisterCheck: { checkedOn: string; registered: boolean } | null;
  stale: boolean;
  maxAgeDays: number;
  callable: boolean;
  reasons: ComplianceReason[];
};

/** E.164 of a valid number, or PHONE_INVALID (400) naming `field`. */
export function normalizeNumberOrThrow(raw: string, field: string): string {
  const checked = checkPhone(raw);
  if (!checked.valid) throw supporterErrors.phoneInvalid(field, checked.message ?? 'is invalid');
  return checked.number;
}

const toEntry = (row: { number: string; reason: string; source: string; added_at: Date }): DncEntry => ({
  number: row.number,
  reason: row.reason,
  source: row.source,
  addedAt: row.added_at.toISOString(),
});

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Number-level compliance inside a unit of work of the organization: on its
 * own list, the latest register check, whether that check is older than
 * crm_settings.register_check_max_age_days on `today` ('YYYY-MM-DD', the
 * organization's local date). Callable only when not on the list and a fresh
 * check found the number not registered. `number` should be E.164; other
 * text is normalized first when it can be.
 */
export async function phoneCompliance(tx: Tx, number: string, today: string): Promise<PhoneCompliance> {
  const checked = checkPhone(number);
  const e164 = checked.valid ? checked.number : number;
  const [listed, check, settings] = await Promise.all([
    tx.selectFrom('dnc_entries').select('number').where('number', '=', e164).executeTakeFirst(),
    tx
      .selectFrom('register_checks')
      .select(['checked_on', 'registered'])
      .where('number', '=', e164)
      .orderBy('checked_on', 'desc')
      .limit(1)
      .executeTakeFirst(),
    readCrmSettings(tx),
  ]);
  const maxAgeDays = settings.registerCheckMaxAgeDays;
  const stale = check ? daysBetween(check.checked_on, today) > maxAgeDays : false;
  const reasons: ComplianceReason[] = [];
  if (listed) reasons.push('on_org_list');
  if (!check) reasons.push('register_check_missing');
  else {
    if (stale) reasons.push('register_check_stale');
    if (check.registered) reasons.push('registered_in_register');
  }
  return {
    number: e164,
    onOrgList: listed !== undefined,
    lastRegisterCheck: check ? { checkedOn: check.checked_on, registered: check.registered } : null,
    stale,
    maxAgeDays,
    callable: reasons.length === 0,
    reasons,
  };
}

/** Compliance on `on` ('YYYY-MM-DD'), by default today in the organization's time zone. */
export async function getPhoneCompliance(options: {
  db: Database;
  orgId: string;
  number: string;
  on?: string | undefined;
  now?: Date;
}) {
  const number = normalizeNumberOrThrow(options.number, 'params.number');
  return options.db.readForOrg(options.orgId, async (tx) => {
    let today = options.on;
    if (!today) {
      const org = await tx
        .selectFrom('organizations')
        .select('time_zone')
        .where('id', '=', options.orgId)
        .executeTakeFirstOrThrow();
      today = new Intl.DateTimeFormat('en-CA', { timeZone: org.time_zone }).format(options.now ?? new Date());
    }
    return phoneCompliance(tx, number, today);
  });
}

export async function addDncEntry(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  number: string;
  reason?: string | undefined;
  source?: string | undefined;
}): Promise<{ entry: DncEntry; created: boolean }> {
  const number = normalizeNumberOrThrow(options.number, 'body.number');
  return options.db.forOrg(options.orgId, async (tx) => {
    const inserted = await tx
      .insertInto('dnc_entries')
      .values({ org_id: options.orgId, number, reason: options.reason ?? '', source: options.source ?? '' })
      .onConflict((oc) => oc.columns(['org_id', 'number']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const existing = await tx
        .selectFrom('dnc_entries')
        .selectAll()
        .where('number', '=', number)
        .executeTakeFirstOrThrow();
      return { entry: toEntry(existing), created: false };
    }
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'dnc.added',
      target: number,
      details: { reason: inserted.reason, source: inserted.source },
    });
    return { entry: toEntry(inserted), created: true };
  });
}

export async function getDncEntry(options: { db: Database; orgId: string; number: string }) {
  const number = normalizeNumberOrThrow(options.number, 'params.number');
  const row = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('dnc_entries').selectAll().where('number', '=', number).executeTakeFirst(),
  );
  if (!row) throw supporterErrors.dncEntryNotFound();
  return toEntry(row);
}

export async function removeDncEntry(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  number: string;
}) {
  const number = normalizeNumberOrThrow(options.number, 'params.number');
  await options.db.forOrg(options.orgId, async (tx) => {
    const removed = await tx
      .deleteFrom('dnc_entries')
      .where('number', '=', number)
      .returning('number')
      .executeTakeFirst();
    if (!removed) throw supporterErrors.dncEntryNotFound();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'dnc.removed',
      target: number,
    });
  });
}

/** The list in number order, cursor-paginated. */
export async function listDncEntries(options: {
  db: Database;
  orgId: string;
  limit: number;
  cursor?: string | undefined;
}) {
  const after = options.cursor ? decodeCursor(options.cursor, 1)[0] : undefined;
  const rows = await options.db.readForOrg(options.orgId, (tx) => {
    let query = tx.selectFrom('dnc_entries').selectAll();
    if (after !== undefined) query = query.where('number', '>', after);
    return query
      .orderBy('number')
      .limit(options.limit + 1)
      .execute();
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.number]) : null,
  };
}

/** One check of a number against the register; the same number and day again replaces the result. */
export async function recordRegisterCheck(options: {
  db: Database;
  orgId: string;
  number: string;
  checkedOn: string;
  registered: boolean;
  source?: string | undefined;
}) {
  const number = normalizeNumberOrThrow(options.number, 'body.number');
  const row = await options.db.forOrg(options.orgId, (tx) =>
    tx
      .insertInto('register_checks')
      .values({
        org_id: options.orgId,
        number,
        checked_on: options.checkedOn,
        registered: options.registered,
        source: options.source ?? '',
      })
      .onConflict((oc) =>
        oc.columns(['org_id', 'number', 'checked_on']).doUpdateSet((eb) => ({
          registered: eb.ref('excluded.registered'),
          source: eb.ref('excluded.source'),
        })),
      )
      .returning(['number', 'checked_on', 'registered', 'source'])
      .executeTakeFirstOrThrow(),
  );
  return { number: row.number, checkedOn: row.checked_on, registered: row.registered, source: row.source };
}
