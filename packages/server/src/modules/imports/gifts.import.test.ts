// Gift imports from real files: payments with their commitments and SEPA
// return codes, a later file that brings the bank's returns, re-import, and
// organizations apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditorId, setCreditorId } from '../giving/giving.fixtures.ts';
import { createImportWorld, type ImportWorld, seedSupporters } from './import-test-kit.ts';

let w: ImportWorld;
beforeAll(async () => {
  w = await createImportWorld();
  await seedSupporters(w, w.alpha, ['D001', 'D002']);
  await seedSupporters(w, w.beta, ['D001']);
  await setCreditorId(w.db, w.alpha, creditorId());
  const commitments = await w.importInto(
    w.alpha,
    'commitments',
    w.file(
      [
        'Codice impegno;Codice donatore;Importo;Frequenza;Metodo;Data inizio;IBAN;Data firma',
        'R001;D001;10,00;mensile;SDD;01/01/2025;IT60X0542811101000000123456;15/12/2024',
        'R002;D002;20,00;mensile;carta;01/01/2025;;',
      ].join('\n'),
    ),
  );
  expect(commitments).toMatchObject({ created: 2, rejected: 0 });
});
afterAll(async () => {
  await w.close();
});

const gifts = (orgId: string) =>
  w.db.readForOrg(orgId, (tx) =>
    tx
      .selectFrom('gifts')
      .leftJoin('commitments', 'commitments.id', 'gifts.commitment_id')
      .select(['gifts.external_id', 'gifts.gift_date', 'gifts.amount_cents', 'gifts.method', 'gifts.status'])
      .select(['gifts.return_code', 'gifts.campaign_code', 'commitments.external_id as commitment'])
      .orderBy('gifts.external_id')
      .execute(),
  );
const mandate = () =>
  w.db.readForOrg(w.alpha, (tx) =>
    tx.selectFrom('mandates').select(['last_collection_on', 'sequence_type']).executeTakeFirstOrThrow(),
  );

const HEADER =
  'ID versamento;Codice donatore;Data;Importo;Metodo;Esito;Causale insoluto;Campagna;Codice impegno';
const GIFTS = [
  HEADER,
  'V001;D001;05/01/2025;10,00;SDD;incassato;;;R001',
  'V002;D001;05/02/2025;10,00;SDD;insoluto;AM04;;R001',
  'V003;D002;15/01/2025;1.250,00;bonifico;;;NATALE24;',
  'V004;D002;20/01/2025;20;carta;;;;R002',
  'V005;D002;21/01/2025;5;contanti;;;;',
  'V006;D404;05/01/2025;10;bonifico;;;;',
  'V007;D001;05/03/2025;10;SDD;insoluto;;;R001',
  'V008;D001;05/03/2025;10;SDD;insoluto;ZZ99;;R001',
  'V009;D001;05/03/2025;10;SDD;incassato;AM04;;R001',
  'V010;D001;05/03/2025;10;SDD;;;;R999',
  'V011;D001;05/03/2025;10;carta;;;;R002',
  'V012;D001;01/01/2199;10;bonifico;;;;',
  'V013;D001;05/03/2025;10,505;bonifico;;;;',
  ';D001;05/03/2025;10;bonifico;;;;',
].join('\r\n');

describe('gifts import', () => {
  it('records the gifts with their commitments, return codes and campaigns, rejecting the bad rows', async () => {
    const summary = await w.importInto(w.alpha, 'gifts', w.file(`\uFEFF${GIFTS}\r\n`));
    expect(summary).toMatchObject({ read: 14, created: 5, updated: 0, unchanged: 0, rejected: 9 });
    expect(
      summary.errors.map((e) => [e.line, e.column, e.value, e.reason.split(/[(;:]/)[0]!.trim()]),
    ).toEqual([
      [8, 'Causale insoluto', '', 'a failed SEPA direct debit needs its return reason code'],
      [9, 'Causale insoluto', 'ZZ99', 'unknown SEPA return reason code'],
      [10, 'Causale insoluto', 'AM04', 'a return code needs the status failed or refunded'],
      [13, 'Data', '01/01/2199', 'date is in the future'],
      [14, 'Importo', '10,505', 'invalid amount'],
      [15, 'ID versamento', '', "the gift's id is missing"],
      [7, 'Codice donatore', 'D404', 'no supporter has this id in the system "import"'],
      [11, 'Codice impegno', 'R999', 'no commitment has this id'],
      [12, 'Codice impegno', 'R002', 'this commitment belongs to another supporter'],
    ]);
    expect(await gifts(w.alpha)).toEqual([
      {
        external_id: 'V001',
        gift_date: '2025-01-05',
        amount_cents: 1000,
        method: 'sepa_direct_debit',
        status: 'collected',
        return_code: null,
        campaign_code: null,
        commitment: 'R001',
      },
      {
        external_id: 'V002',
        gift_date: '2025-02-05',
        amount_cents: 1000,
        method: 'sepa_direct_debit',
        status: 'failed',
        return_code: 'AM04',
        campaign_code: null,
        commitment: 'R001',
      },
      {
        external_id: 'V003',
        gift_date: '2025-01-15',
        amount_cents: 125000,
        method: 'bank_transfer',
        status: 'collected',
        return_code: null,
        campaign_code: 'NATALE24',
        commitment: null,
      },
      expect.objectContaining({ external_id: 'V004', method: 'card', commitment: 'R002' }),
      expect.objectContaining({ external_id: 'V005', method: 'cash', amount_cents: 500 }),
    ]);
    // The collected debit kept the mandate alive and made the next one recurring, as the API does.
    expect(await mandate()).toEqual({ last_collection_on: '2025-01-05', sequence_type: 'RCUR' });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await gifts(w.alpha);
    const summary = await w.importInto(w.alpha, 'gifts', w.file(`${GIFTS}\r\n`));
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 5, rejected: 9 });
    expect(await gifts(w.alpha)).toEqual(before);
  });

  it("brings the bank's returns and refunds onto known gifts; empty cells keep what is stored", async () => {
    const summary = await w.importInto(
      w.alpha,
      'gifts',
      w.file(
        [
          'gift_id,supporter_id,date,amount,method,status,return_code,campaign_code,commitment_id',
          'V001,D001,2025-01-05,10.00,sdd,failed,MD06,,',
          'V003,D002,2025-01-15,1250.00,bank transfer,refunded,,,',
          'V004,D002,2025-01-20,20.00,card,,,,',
          'V006,D001,2025-02-05,10.00,sdd,collected,,,R001',
          'V003,D001,2025-01-15,1250.00,bank transfer,,,,',
        ].join('\n'),
      ),
    );
    expect(summary).toMatchObject({ created: 1, updated: 2, unchanged: 1, rejected: 1 });
    expect(summary.errors).toEqual([
      expect.objectContaining({
        line: 6,
        column: 'supporter_id',
        value: 'D001',
        reason: 'gift V003 belongs to another supporter; an import does not move gifts',
      }),
    ]);
    const rows = await gifts(w.alpha);
    expect(rows.find((g) => g.external_id === 'V001')).toMatchObject({
      status: 'failed',
      return_code: 'MD06',
      commitment: 'R001',
    });
    expect(rows.find((g) => g.external_id === 'V003')).toMatchObject({
      status: 'refunded',
      campaign_code: 'NATALE24',
    });
    expect(await mandate()).toEqual({ last_collection_on: '2025-02-05', sequence_type: 'RCUR' });
  });

  it('keeps organizations apart', async () => {
    const summary = await w.importInto(
      w.beta,
      'gifts',
      w.file(
        `${HEADER}\nV001;D001;05/01/2025;7,00;bonifico;;;;\nV002;D001;05/01/2025;7,00;bonifico;;;;R001\n`,
      ),
    );
    // Alpha's V001 is not beta's, and alpha's commitment R001 is unknown in beta.
    expect(summary).toMatchObject({ created: 1, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ line: 3, value: 'R001' });
    expect(await gifts(w.beta)).toEqual([
      expect.objectContaining({ external_id: 'V001', amount_cents: 700 }),
    ]);
    expect(await gifts(w.alpha)).toHaveLength(6);
  });
});
