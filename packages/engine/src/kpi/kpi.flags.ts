// Facts that depend on a contact's history, derived over a batch of records.
// The batch must reach back far enough: the FCR window before the period for
// repeats, and the campaign's start for first attempts; records outside the
// period still count as history (computeKpis filters by period afterwards).

import type { ContactFlags } from './kpi.contributions.ts';
import type { NormalizedInteraction } from './kpi.records.ts';
import type { CountingSettings } from './kpi.settings.ts';
import { localDateOf } from './kpi.time.ts';
import type { FcrWindow } from './kpi.types.ts';

const DAY_MS = 86_400_000;
const NO_FLAGS: ContactFlags = Object.freeze({
  repeatContact: false,
  firstAttempt: false,
  firstRightPartyContact: false,
});

function byTimeThenId(a: { t: number; id: string }, b: { t: number; id: string }): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A repeat contact (DOMAIN.md §3, FCR): an answered inbound contact of a supporter
 * who had another answered inbound contact, on any channel, within W before it:
 * the same local calendar day for `same_day`, at most 2 × 24 h or 7 × 24 h earlier
 * otherwise (measured between creation times).
 */
export function isWithinFcrWindow(
  previousMs: number,
  currentMs: number,
  window: FcrWindow,
  timeZone: string,
): boolean {
  if (window === 'same_day') return localDateOf(previousMs, timeZone) === localDateOf(currentMs, timeZone);
  const days = window === '2_days' ? 2 : 7;
  return currentMs - previousMs <= days * DAY_MS;
}

/** Flags for every record, by id. */
export function deriveContactFlags(
  records: readonly NormalizedInteraction[],
  settings: Pick<CountingSettings, 'fcrWindow' | 'timeZone'>,
): Map<string, ContactFlags> {
  const flags = new Map<string, ContactFlags>();
  const get = (id: string): ContactFlags => {
    let f = flags.get(id);
    if (!f || f === NO_FLAGS) {
      f = { repeatContact: false, firstAttempt: false, firstRightPartyContact: false };
      flags.set(id, f);
    }
    return f;
  };
  for (const r of records) flags.set(r.id, NO_FLAGS);

  const fcr: { t: number; id: string; who: string }[] = [];
  const attempts: {
    t: number;
    id: string;
    who: string;
    rpc: boolean;
    attemptNumber: number | null | undefined;
  }[] = [];
  for (const r of records) {
    if (r.direction === 'inbound' && r.answeredAt !== undefined && r.supporterId) {
      fcr.push({ t: r.createdAt, id: r.id, who: `${r.orgId}\u0000${r.supporterId}` });
    }
    if (r.direction === 'outbound') {
      const listRecord = r.listRecordId ?? r.supporterId;
      // Without a list record (or supporter) an attempt cannot be tied to others; only attemptNumber can mark it first.
      const who = listRecord ? `${r.orgId}\u0000${r.campaign ?? ''}\u0000${listRecord}` : `\u0001${r.id}`;
      attempts.push({
        t: r.dialedAt ?? r.createdAt,
        id: r.id,
        who,
        rpc: r.rightPartyContact === true,
        attemptNumber: listRecord ? r.attemptNumber : (r.attemptNumber ?? 0),
      });
    }
  }

  fcr.sort(byTimeThenId);
  const lastContact = new Map<string, number>();
  for (const c of fcr) {
    const previous = lastContact.get(c.who);
    if (previous !== undefined && isWithinFcrWindow(previous, c.t, settings.fcrWindow, settings.timeZone)) {
      get(c.id).repeatContact = true;
    }
    lastContact.set(c.who, c.t);
  }

  attempts.sort(byTimeThenId);
  const attempted = new Set<string>();
  const reached = new Set<string>();
  for (const a of attempts) {
    const first = a.attemptNumber != null ? a.attemptNumber === 1 : !attempted.has(a.who);
    attempted.add(a.who);
    if (first) get(a.id).firstAttempt = true;
    if (a.rpc && !reached.has(a.who)) {
      reached.add(a.who);
      get(a.id).firstRightPartyContact = true;
    }
  }
  return flags;
}
