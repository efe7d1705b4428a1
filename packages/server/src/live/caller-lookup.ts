// Caller identification for the runtime, batched: the calls that arrive
// while a read is under way are identified together in the next one (one
// query per organization), so a burst of calls costs a few reads instead of
// one connection each — reads that would otherwise fill the pool and hold up
// the runtime's writes behind them.
import type { Database } from '../db/database.ts';
import { type CallerMatch, findSupportersByPhones } from '../modules/supporters/caller-id.service.ts';

type Waiting = { phone: string; resolve: (m: CallerMatch[]) => void; reject: (e: unknown) => void };

export type CallerLookup = (orgId: string, phone: string | null) => Promise<CallerMatch[]>;

export function createCallerLookup(db: Database): CallerLookup {
  const waiting = new Map<string, Waiting[]>();
  let reading = false;
  let scheduled = false;

  async function readAll() {
    reading = true;
    try {
      while (waiting.size > 0) {
        const batch = [...waiting];
        waiting.clear();
        await Promise.all(
          batch.map(async ([orgId, list]) => {
            try {
              const found = await findSupportersByPhones({ db, orgId, phones: list.map((w) => w.phone) });
              for (const w of list) w.resolve(found.get(w.phone) ?? []);
            } catch (error) {
              for (const w of list) w.reject(error);
            }
          }),
        );
      }
    } finally {
      reading = false;
    }
  }

  return (orgId, phone) => {
    if (phone === null) return Promise.resolve([]);
    return new Promise<CallerMatch[]>((resolve, reject) => {
      let list = waiting.get(orgId);
      if (!list) {
        list = [];
        waiting.set(orgId, list);
      }
      list.push({ phone, resolve, reject });
      // The calls of this turn of the event loop join the read.
      if (!reading && !scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          if (!reading) void readAll();
        });
      }
    });
  };
}
