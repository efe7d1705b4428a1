// Closing an interaction with a disposition whose effect reaches the CRM: the
// effect, the close and their outbox events commit together, once.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeInteraction, insertInteraction, updateInteraction } from './interactions.store.ts';
import { buildCenter, type Center, KNOWN_CALLER, NUMBER, START } from './live-test-kit.ts';

let center: Center;
beforeAll(async () => {
  center = await buildCenter();
}, 120_000);
afterAll(() => center.k.close());

async function endedCall(supporterId: string | null) {
  const id = randomUUID();
  const { db, alpha } = center.k;
  await insertInteraction({
    db,
    orgId: alpha,
    id,
    number: NUMBER,
    remoteNumber: KNOWN_CALLER,
    supporterId,
    createdAt: new Date(START),
  });
  await updateInteraction({
    db,
    orgId: alpha,
    id,
    patch: { operator_id: center.skilled, ended_at: new Date(START + 60_000) },
  });
  return id;
}

const close = (id: string, effect: 'do_not_call' | 'wrong_number' | 'deceased', code = effect) =>
  closeInteraction({
    db: center.k.db,
    orgId: center.k.alpha,
    id,
    patch: { wrap_ended_at: new Date(START + 90_000), disposition: code, end_cause: 'completed' },
    effect: { effect, operatorId: center.skilled },
  });

async function outbox(type: string) {
  const rows = await center.k.db.asCenter((tx) =>
    sql<{
      payload: Record<string, unknown>;
    }>`select payload from outbox_events where type = ${type} order by id`.execute(tx),
  );
  return rows.rows.map((row) => row.payload);
}

const supporter = () =>
  center.k.db.readForOrg(center.k.alpha, (tx) =>
    tx
      .selectFrom('supporters')
      .select(['status', 'version'])
      .where('id', '=', center.supporterId)
      .executeTakeFirstOrThrow(),
  );

describe('interaction close with a CRM effect', () => {
  it('do not call revokes the phone consent, with the interaction it came from', async () => {
    const id = await endedCall(center.supporterId);
    await close(id, 'do_not_call');
    const consents = await center.k.db.readForOrg(center.k.alpha, (tx) =>
      tx.selectFrom('consent_events').selectAll().where('interaction_id', '=', id).execute(),
    );
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      channel: 'phone',
      granted: false,
      source: 'operator',
      supporter_id: center.supporterId,
    });
    expect((await outbox('consent.changed')).at(-1)).toMatchObject({
      supporterId: center.supporterId,
      granted: false,
    });
    expect((await outbox('interaction.completed')).at(-1)).toMatchObject({
      interactionId: id,
      disposition: 'do_not_call',
    });
  });

  it('wrong number marks the caller id invalid on the supporter, and only once', async () => {
    const before = await supporter();
    const id = await endedCall(center.supporterId);
    await close(id, 'wrong_number');
    const phone = await center.k.db.readForOrg(center.k.alpha, (tx) =>
      tx
        .selectFrom('supporter_phones')
        .select(['valid', 'invalid_since'])
        .where('supporter_id', '=', center.supporterId)
        .where('number', '=', KNOWN_CALLER)
        .executeTakeFirstOrThrow(),
    );
    expect(phone).toEqual({ valid: false, invalid_since: new Date(START + 90_000) });
    expect((await supporter()).version).toBe(before.version + 1);
    expect((await outbox('supporter.updated')).at(-1)).toMatchObject({
      supporterId: center.supporterId,
      changedFields: ['phones'],
    });
    // Closing the same interaction again changes nothing and emits nothing.
    const events = (await outbox('interaction.completed')).length;
    await close(id, 'wrong_number');
    expect((await outbox('interaction.completed')).length).toBe(events);
    expect((await supporter()).version).toBe(before.version + 1);
  });

  it('deceased sets the status; without an identified supporter nothing but the close happens', async () => {
    const anonymous = await endedCall(null);
    await close(anonymous, 'deceased');
    expect((await supporter()).status).toBe('active');
    expect((await outbox('interaction.completed')).at(-1)).toMatchObject({ interactionId: anonymous });

    const id = await endedCall(center.supporterId);
    await close(id, 'deceased');
    expect((await supporter()).status).toBe('deceased');
    expect((await outbox('supporter.updated')).at(-1)).toMatchObject({
      changedFields: ['status'],
      status: 'deceased',
    });
  });
});
