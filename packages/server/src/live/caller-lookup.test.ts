// Batched caller identification answers each call as the one-call lookup does,
// for calls arriving together on several organizations' lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSupportersByPhone } from '../modules/supporters/caller-id.service.ts';
import { createCallerLookup } from './caller-lookup.ts';
import { buildCenter, type Center, KNOWN_CALLER } from './live-test-kit.ts';

let center: Center;
beforeAll(async () => {
  center = await buildCenter();
  // A second supporter on the same home line, and one in the other organization.
  for (const [orgId, lastName] of [
    [center.k.alpha, 'Bianchi'],
    [center.k.beta, 'Neri'],
  ] as const) {
    const response = await center.k.call({
      method: 'POST',
      url: `/api/organizations/${orgId}/supporters`,
      payload: { firstName: 'Anna', lastName, phones: [{ number: KNOWN_CALLER }] },
    });
    expect(response.status).toBe(201);
  }
}, 120_000);
afterAll(() => center.k.close());

describe('batched caller identification', () => {
  it('gives each call the matches of its own organization, as one lookup per call would', async () => {
    const lookup = createCallerLookup(center.k.db);
    const { alpha, beta } = center.k;
    const asked: [string, string | null][] = [
      [alpha, KNOWN_CALLER],
      [alpha, '347 123 4567'], // the same number as a caller may present it
      [alpha, '+39021234567'], // nobody
      [beta, KNOWN_CALLER],
      [alpha, null], // withheld
      [alpha, 'not a number'],
    ];
    const batched = await Promise.all(asked.map(([orgId, phone]) => lookup(orgId, phone)));
    const single = await Promise.all(
      asked.map(([orgId, phone]) => findSupportersByPhone({ db: center.k.db, orgId, phone })),
    );
    expect(batched).toEqual(single);
    expect(batched[0]!.map((m) => m.lastName)).toEqual(['Bianchi', 'Rossi']);
    expect(batched[3]!.map((m) => m.lastName)).toEqual(['Neri']);
  });
});
