// Consent imports from real files: one event per row, appended to the
// supporter's history, never twice; the current consent follows the history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentConsents } from '../supporters/consents.service.ts';
import { createImportWorld, type ImportWorld, seedSupporters, supporterIdOf } from './import-test-kit.ts';

let w: ImportWorld;
beforeAll(async () => {
  w = await createImportWorld();
  await seedSupporters(w, w.alpha, ['D001', 'D002']);
  await seedSupporters(w, w.beta, ['B001']);
});
afterAll(async () => {
  await w.close();
});

const events = (orgId: string) =>
  w.db.readForOrg(orgId, (tx) =>
    tx
      .selectFrom('consent_events')
      .select(['channel', 'purpose', 'granted', 'source', 'evidence', 'recorded_at'])
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),
  );

const CONSENTS = [
  'Codice donatore;Canale;Finalità;Consenso;Fonte;Data;Evidenza',
  'D001;Telefono;marketing;Sì;modulo F2F;01/03/2024;modulo n. 123',
  'D001;SMS;Marketing;no;modulo F2F;01/03/2024;',
  'D001;telefono;marketing;revocato;call center;2024-06-10 14:30;registrazione 2024-06-10',
  'D002;E-mail;raccolta fondi;1;web;2024-05-02T09:15:00Z;ip 192.0.2.1',
  'D002;posta;marketing;x;;02/05/2024;',
  'D404;telefono;marketing;sì;web;01/03/2024;',
  'D002;piccione;marketing;sì;web;01/03/2024;',
  'D002;telefono;marketing;forse;web;01/03/2024;',
  'D002;telefono;marketing;sì;web;31/02/2024;',
  'D002;telefono;;sì;web;01/03/2024;',
  'D001;telefono;marketing;revocato;call center;2024-06-10 14:30;la stessa riga, di nuovo',
].join('\r\n');

describe('consents import', () => {
  it('appends the events, reporting unknown supporters and bad values', async () => {
    const summary = await w.importInto(w.alpha, 'consents', w.file(`\uFEFF${CONSENTS}\r\n`));
    expect(summary).toMatchObject({ read: 11, created: 5, updated: 0, unchanged: 1, rejected: 5 });
    expect(summary.errors.map((e) => [e.line, e.column, e.value, e.reason.split(/[;(]/)[0]!.trim()])).toEqual(
      [
        [8, 'Canale', 'piccione', 'unknown channel'],
        [9, 'Consenso', 'forse', 'unknown consent value'],
        [10, 'Data', '31/02/2024', 'invalid date: 31/02/2024 is not a date of the calendar'],
        [11, 'Finalità', '', 'the purpose is missing'],
        [7, 'Codice donatore', 'D404', 'no supporter has this id in the system "import"'],
      ],
    );
    const stored = await events(w.alpha);
    expect(
      stored.map((e) => [e.channel, e.purpose, e.granted, e.source, e.recorded_at.toISOString()]),
    ).toEqual([
      // Dates without a time are midnight in Rome (UTC+1 in winter, +2 in summer).
      ['phone', 'marketing', true, 'modulo F2F', '2024-02-29T23:00:00.000Z'],
      ['sms', 'marketing', false, 'modulo F2F', '2024-02-29T23:00:00.000Z'],
      ['post', 'marketing', true, 'import', '2024-05-01T22:00:00.000Z'],
      ['email', 'raccolta_fondi', true, 'web', '2024-05-02T09:15:00.000Z'],
      ['phone', 'marketing', false, 'call center', '2024-06-10T12:30:00.000Z'],
    ]);
    expect(stored[0]!.evidence).toBe('modulo n. 123');
    // The later revocation is the current phone consent.
    const current = await currentConsents({
      db: w.db,
      orgId: w.alpha,
      supporterId: await supporterIdOf(w, w.alpha, 'D001'),
    });
    expect(current.find((c) => c.channel === 'phone')).toMatchObject({
      purpose: 'marketing',
      granted: false,
    });
  });

  it('adds nothing when the same file is imported again', async () => {
    const before = await events(w.alpha);
    const summary = await w.importInto(w.alpha, 'consents', w.file(`${CONSENTS}\r\n`));
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 6, rejected: 5 });
    expect(await events(w.alpha)).toEqual(before);
    // The same instant written another way is the same event.
    const same = await w.importInto(
      w.alpha,
      'consents',
      w.file(
        'supporter_id,channel,purpose,granted,recorded_at\nD002,email,raccolta fondi,yes,2024-05-02T11:15:00+02:00\n',
      ),
    );
    expect(same).toMatchObject({ created: 0, unchanged: 1 });
  });

  it('keeps organizations apart: a donor code of another organization is unknown', async () => {
    const summary = await w.importInto(
      w.beta,
      'consents',
      w.file(
        'codice donatore;canale;finalità;consenso;data\nB001;sms;marketing;sì;01/01/2025\nD001;sms;marketing;sì;01/01/2025\n',
      ),
    );
    expect(summary).toMatchObject({ created: 1, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ line: 3, value: 'D001' });
    expect(await events(w.beta)).toHaveLength(1);
    expect(await events(w.alpha)).toHaveLength(5);
  });

  it('reads donor codes of another system when told', async () => {
    const summary = await w.importInto(
      w.alpha,
      'consents',
      w.file('codice donatore;canale;finalità;consenso;data\nD001;sms;marketing;sì;01/01/2025\n'),
      { system: 'crm-vecchio' },
    );
    expect(summary).toMatchObject({ created: 0, rejected: 1 });
    expect(summary.errors[0]?.reason).toContain('"crm-vecchio"');
  });
});
