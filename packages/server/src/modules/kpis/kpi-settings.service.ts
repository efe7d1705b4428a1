// The organization's KPI counting settings (DOMAIN.md §3–§4): stored as given
// in kpi_settings.settings, read through the engine's resolveKpiSettings so
// every reader gets the defaults filled in and a checked value.
import { KpiError, type KpiSettings, resolveKpiSettings } from '@centralino/engine';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { kpisErrors } from './kpis.errors.ts';

export async function loadKpiSettings(tx: Tx, orgId: string): Promise<KpiSettings> {
  const row = await sql<{ settings: Partial<KpiSettings> }>`
    select settings from kpi_settings where org_id = ${orgId}::uuid`.execute(tx);
  return resolveKpiSettings(row.rows[0]?.settings ?? {});
}

/** Checks and stores settings; the caller rebuilds the rollups when a counting setting changed. */
export async function saveKpiSettings(
  tx: Tx,
  orgId: string,
  settings: Partial<KpiSettings>,
): Promise<KpiSettings> {
  let resolved: KpiSettings;
  try {
    resolved = resolveKpiSettings(settings);
  } catch (error) {
    if (error instanceof KpiError) {
      throw kpisErrors.settingsInvalid(error.issues.map((i) => ({ field: i.field, message: i.message })));
    }
    throw error;
  }
  await sql`
    insert into kpi_settings (org_id, settings) values (${orgId}::uuid, ${JSON.stringify(settings)}::jsonb)
    on conflict (org_id) do update set settings = excluded.settings, updated_at = now()`.execute(tx);
  return resolved;
}
