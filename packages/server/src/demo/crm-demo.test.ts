// The demo's supporters are fictional but must pass every check the product
// makes on real data: valid fiscal codes, phones, e-mails and IBANs, a year of
// gifts, and the same people for the same seed.
import { normalizePhone, validateEmail, validateFiscalCode, validateIban } from '@centralino/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../test/test-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import type { Database } from '../db/database.ts';
import { createOrganization } from '../modules/organizations/organizations.service.ts';
import { seedCrmDemo } from './crm-demo.ts';

let db: Database;
let one: string;
let two: string;
const today = new Date('2026-11-30T12:00:00Z');

beforeAll(async () => {
  db = await openTestDatabase();
  one = (await createOrganization({ db, principal: null, slug: 'one', name: 'One' })).id;
  two = (await createOrganization({ db, principal: null, slug: 'two', name: 'Two' })).id;
  for (const orgId of [one, two]) {
    await seedCrmDemo({ db, secrets: testSecrets, orgId, prefix: 'T', supporters: 300, seed: 7, today });
  }
});
afterAll(() => db.close());

const people = (orgId: string) =>
  db.readForOrg(orgId, async (tx) => {
    const result = await sql<{
      first_name: string;
      last_name: string;
      fiscal_code: string;
      birth_date: string;
    }>`
      select first_name, last_name, fiscal_code, birth_date from supporters order by fiscal_code, first_name`.execute(
      tx,
    );
    return result.rows;
  });

describe('CRM demo data', () => {
  it('is the same for the same seed', async () => {
    expect(await people(one)).toEqual(await people(two));
    expect((await people(one)).length).toBe(300);
  });

  it('passes the validators: fiscal codes, phones, e-mails, IBANs', async () => {
    for (const person of await people(one)) {
      expect(validateFiscalCode(person.fiscal_code)).toMatchObject({ ok: true });
    }
    await db.readForOrg(one, async (tx) => {
      const phones = await tx.selectFrom('supporter_phones').select(['number', 'kind']).execute();
      for (const phone of phones) {
        const checked = normalizePhone(phone.number);
        expect(checked).toMatchObject({ ok: true, e164: phone.number, valid: true });
      }
      const emails = await tx.selectFrom('supporter_emails').select('email').execute();
      for (const { email } of emails) expect(validateEmail(email).ok).toBe(true);
      const mandates = await tx
        .selectFrom('mandates')
        .select(['iban_encrypted', 'iban_last4', 'reference'])
        .execute();
      expect(mandates.length).toBeGreaterThan(100);
      for (const mandate of mandates) {
        const iban = testSecrets.open(mandate.iban_encrypted, one);
        expect(validateIban(iban).ok).toBe(true);
        expect(iban.endsWith(mandate.iban_last4)).toBe(true);
      }
      expect(new Set(mandates.map((m) => m.reference)).size).toBe(mandates.length);
    });
  });

  it('has a year of gifts, regular and one-off, with some returned debits', async () => {
    const gifts = await db.readForOrg(one, (tx) =>
      tx.selectFrom('gifts').select(['gift_date', 'status', 'return_code', 'commitment_id']).execute(),
    );
    expect(gifts.length).toBeGreaterThan(1000);
    expect(gifts.every((g) => g.gift_date > '2025-11-01' && g.gift_date <= '2026-11-30')).toBe(true);
    expect(gifts.some((g) => g.commitment_id === null)).toBe(true);
    const failed = gifts.filter((g) => g.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((g) => /^[A-Z]{2}\d{2}$/.test(g.return_code ?? ''))).toBe(true);
  });
});
