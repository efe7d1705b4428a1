// Test fixtures of the giving module: people, organizations, supporters and
// known-good bank identifiers. Supporters are inserted directly: this module
// only needs them to exist (the supporters module owns their API).
import { creditorIdCheckDigits } from '@centralino/engine';
import { asUser, createTestApp, seedPeople, signIn, type TestApp } from '../../../test/test-app.ts';
import type { Database } from '../../db/database.ts';

/** The ECBS example IBAN (valid check digits), and two more from the SWIFT IBAN Registry. */
export const IBAN_IT = 'IT60X0542811101000000123456';
export const IBAN_DE = 'DE89370400440532013000';
export const IBAN_GB = 'GB82WEST12345698765432';

/** A creditor identifier with correct check digits (EPC262-08) over an Italian tax number. */
export function creditorId(nationalId = '01234567890'): string {
  return `IT${creditorIdCheckDigits('IT', nationalId)}ZZZ${nationalId}`;
}

export async function insertSupporter(
  db: Database,
  orgId: string,
  names: { firstName?: string; lastName?: string } = {},
): Promise<string> {
  return db.forOrg(orgId, async (tx) => {
    const row = await tx
      .insertInto('supporters')
      .values({ org_id: orgId, first_name: names.firstName ?? 'Maria', last_name: names.lastName ?? 'Rossi' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function setCreditorId(db: Database, orgId: string, value: string | null): Promise<void> {
  await db.forOrg(orgId, (tx) =>
    tx
      .insertInto('crm_settings')
      .values({ org_id: orgId, creditor_id: value })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ creditor_id: value }))
      .execute(),
  );
}

export type GivingWorld = {
  t: TestApp;
  alpha: string;
  beta: string;
  admin: Record<string, string>;
  operator: Record<string, string>;
  clientViewer: Record<string, string>;
  supporter: string;
  otherSupporter: string;
  betaSupporter: string;
};

export async function createGivingWorld(): Promise<GivingWorld> {
  const t = await createTestApp();
  const { alpha, beta } = await seedPeople(t.db);
  await setCreditorId(t.db, alpha.id, creditorId());
  return {
    t,
    alpha: alpha.id,
    beta: beta.id,
    admin: asUser(await signIn(t.app, 'admin@example.test')),
    operator: asUser(await signIn(t.app, 'operator@example.test')),
    clientViewer: asUser(await signIn(t.app, 'client_viewer@example.test')),
    supporter: await insertSupporter(t.db, alpha.id),
    otherSupporter: await insertSupporter(t.db, alpha.id, { firstName: 'Luca', lastName: 'Bianchi' }),
    betaSupporter: await insertSupporter(t.db, beta.id),
  };
}

export const sepaCommitment = (overrides: Record<string, unknown> = {}) => ({
  amountCents: 1500,
  frequency: 'monthly',
  method: 'sepa_direct_debit',
  startDate: '2025-03-01',
  mandate: { iban: IBAN_IT, signatureDate: '2025-03-01' },
  ...overrides,
});
