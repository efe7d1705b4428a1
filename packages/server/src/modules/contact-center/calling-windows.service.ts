// Calling windows: when an organization's outbound calls may be placed
// (checked by the dialer at dial time): weekly periods, holidays, a time zone.
import type { Selectable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { CallingWindowsTable, WeeklyPeriod } from '../../db/schema.ts';
import type { ProblemField } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { contactCenterErrors, isForeignKeyViolation } from './contact-center.errors.ts';
import { dateListProblems, timeZoneProblems, weeklyProblems } from './weekly-hours.ts';

export type CallingWindow = {
  id: string;
  name: string;
  timeZone: string;
  weekly: WeeklyPeriod[];
  holidays: string[];
  createdAt: string;
  updatedAt: string;
};
export type CallingWindowInput = {
  name: string;
  timeZone: string;
  weekly: WeeklyPeriod[];
  holidays: string[];
};

const toWindow = (row: Selectable<CallingWindowsTable>): CallingWindow => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  weekly: row.weekly,
  holidays: row.holidays,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export function callingWindowProblems(input: Omit<CallingWindowInput, 'name'>): ProblemField[] {
  return [
    ...timeZoneProblems(input.timeZone, 'body.timeZone'),
    ...weeklyProblems(input.weekly, 'body.weekly'),
    ...dateListProblems(input.holidays, 'body.holidays'),
  ];
}

function validate(input: CallingWindowInput) {
  const problems = callingWindowProblems(input);
  if (problems.length > 0) throw contactCenterErrors.callingWindowInvalid(problems);
}

const columns = (input: CallingWindowInput) => ({
  name: input.name,
  time_zone: input.timeZone,
  weekly: JSON.stringify(input.weekly),
  // Kept sorted: the list reads as a calendar.
  holidays: JSON.stringify([...input.holidays].sort()),
});

export async function listCallingWindows(options: { db: Database; orgId: string }): Promise<CallingWindow[]> {
  const rows = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('calling_windows').selectAll().orderBy('name').orderBy('id').execute(),
  );
  return rows.map(toWindow);
}

export async function getCallingWindow(options: {
  db: Database;
  orgId: string;
  callingWindowId: string;
}): Promise<CallingWindow> {
  const row = await options.db.readForOrg(options.orgId, (tx) =>
    tx.selectFrom('calling_windows').selectAll().where('id', '=', options.callingWindowId).executeTakeFirst(),
  );
  if (!row) throw contactCenterErrors.callingWindowNotFound();
  return toWindow(row);
}

export async function createCallingWindow(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  input: CallingWindowInput;
}): Promise<CallingWindow> {
  validate(options.input);
  return options.db.forOrg(options.orgId, async (tx) => {
    const row = await tx
      .insertInto('calling_windows')
      .values({ org_id: options.orgId, ...columns(options.input) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'calling_window.created',
      target: row.id,
      details: { ...options.input },
    });
    return toWindow(row);
  });
}

export async function updateCallingWindow(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  callingWindowId: string;
  changes: Partial<CallingWindowInput>;
}): Promise<CallingWindow> {
  return options.db.forOrg(options.orgId, async (tx) => {
    const current = await tx
      .selectFrom('calling_windows')
      .selectAll()
      .where('id', '=', options.callingWindowId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw contactCenterErrors.callingWindowNotFound();
    const { id: _, createdAt: __, updatedAt: ___, ...before } = toWindow(current);
    const next = { ...before, ...options.changes };
    validate(next);
    const row = await tx
      .updateTable('calling_windows')
      .set({ ...columns(next), updated_at: new Date() })
      .where('id', '=', options.callingWindowId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'calling_window.updated',
      target: row.id,
      details: { changes: options.changes },
    });
    return toWindow(row);
  });
}

/** Refused (409) while a campaign dials within it. */
export async function deleteCallingWindow(options: {
  db: Database;
  principal: Principal | null;
  orgId: string;
  callingWindowId: string;
}): Promise<void> {
  await options.db.forOrg(options.orgId, async (tx) => {
    let removed: { id: string; name: string } | undefined;
    try {
      removed = await tx
        .deleteFrom('calling_windows')
        .where('id', '=', options.callingWindowId)
        .returning(['id', 'name'])
        .executeTakeFirst();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw contactCenterErrors.callingWindowInUse();
      throw error;
    }
    if (!removed) throw contactCenterErrors.callingWindowNotFound();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'calling_window.deleted',
      target: removed.id,
      details: { name: removed.name },
    });
  });
}
