// CRM rows for the call-list and dialing tests, written straight to the
// tables (in a unit of work of the organization, so row-level security holds):
// supporters with phones, register checks and phone consents.
import type { Database, Tx } from '../../db/database.ts';

export type PhoneSpec = {
  number?: string;
  kind?: 'mobile' | 'fixed_line' | 'toll_free';
  valid?: boolean;
  primary?: boolean;
  /** Register check: days before `checkedBefore`, or null for none; default 1 day, not registered. */
  checkedDaysAgo?: number | null;
  registered?: boolean;
};

let phoneSeq = 0;
/** A fresh Italian mobile number in E.164. */
export function newNumber(): string {
  phoneSeq += 1;
  return `+39347${String(1_000_000 + phoneSeq).slice(1)}`;
}

export const daysBefore = (at: Date, days: number) =>
  new Date(at.getTime() - days * 86_400_000).toISOString().slice(0, 10);

export async function addRegisterCheck(
  tx: Tx,
  orgId: string,
  number: string,
  checkedOn: string,
  registered = false,
) {
  await tx
    .insertInto('register_checks')
    .values({ org_id: orgId, number, checked_on: checkedOn, registered })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function addSupporter(
  db: Database,
  orgId: string,
  lastName: string,
  options: {
    status?: 'active' | 'lapsed' | 'deceased' | 'do_not_contact';
    tags?: string[];
    source?: 'drtv' | 'web';
    phones?: PhoneSpec[];
    /** Register checks are dated before this moment. */
    checkedBefore: Date;
  },
): Promise<{ id: string; numbers: string[] }> {
  return db.forOrg(orgId, async (tx) => {
    const row = await tx
      .insertInto('supporters')
      .values({
        org_id: orgId,
        first_name: 'Test',
        last_name: lastName,
        status: options.status ?? 'active',
        tags: options.tags ?? [],
        source: options.source ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const numbers: string[] = [];
    for (const phone of options.phones ?? [{}]) {
      const number = phone.number ?? newNumber();
      numbers.push(number);
      await tx
        .insertInto('supporter_phones')
        .values({
          org_id: orgId,
          supporter_id: row.id,
          number,
          kind: phone.kind ?? 'mobile',
          valid: phone.valid ?? true,
          is_primary: phone.primary ?? false,
        })
        .execute();
      const daysAgo = phone.checkedDaysAgo === undefined ? 1 : phone.checkedDaysAgo;
      if (daysAgo !== null)
        await addRegisterCheck(
          tx,
          orgId,
          number,
          daysBefore(options.checkedBefore, daysAgo),
          phone.registered,
        );
    }
    return { id: row.id, numbers };
  });
}

export async function addPhoneConsent(
  db: Database,
  orgId: string,
  supporterId: string,
  granted: boolean,
  recordedAt: Date,
) {
  await db.forOrg(orgId, (tx) =>
    tx
      .insertInto('consent_events')
      .values({
        org_id: orgId,
        supporter_id: supporterId,
        channel: 'phone',
        purpose: 'marketing',
        granted,
        source: 'test',
        recorded_at: recordedAt,
      })
      .execute(),
  );
}
