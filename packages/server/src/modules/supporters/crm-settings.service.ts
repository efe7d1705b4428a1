// Per-organization CRM settings: the SEPA creditor identifier, the rules that
// decide when an imported row is an existing supporter, and how fresh a
// do-not-call register check must be. Without a row, the defaults apply.
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { checkCreditorId } from './crm-validation.ts';
import { supporterErrors } from './supporters.errors.ts';

export const DEDUPE_RULES = ['email', 'phone', 'fiscal_code', 'name_birth_date'] as const;
export type DedupeRule = (typeof DEDUPE_RULES)[number];

export type CrmSettings = {
  creditorId: string | null;
  dedupeRules: DedupeRule[];
  registerCheckMaxAgeDays: number;
  updatedAt: string | null;
};

export const DEFAULT_CRM_SETTINGS: CrmSettings = {
  creditorId: null,
  dedupeRules: [...DEDUPE_RULES],
  registerCheckMaxAgeDays: 30,
  updatedAt: null,
};

/** The settings inside a unit of work (defaults when the organization has none). */
export async function readCrmSettings(tx: Tx): Promise<CrmSettings> {
  const row = await tx.selectFrom('crm_settings').selectAll().executeTakeFirst();
  if (!row) return { ...DEFAULT_CRM_SETTINGS, dedupeRules: [...DEFAULT_CRM_SETTINGS.dedupeRules] };
  return {
    creditorId: row.creditor_id,
    dedupeRules: row.dedupe_rules as DedupeRule[],
    registerCheckMaxAgeDays: row.register_check_max_age_days,
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getCrmSettings(options: { db: Database; orgId: string }) {
  return options.db.readForOrg(options.orgId, readCrmSettings);
}

export async function updateCrmSettings(options: {
  db: Database;
  principal: Principal;
  orgId: string;
  changes: {
    creditorId?: string | null | undefined;
    dedupeRules?: DedupeRule[] | undefined;
    registerCheckMaxAgeDays?: number | undefined;
  };
}) {
  const { changes } = options;
  let creditorId = changes.creditorId;
  if (typeof creditorId === 'string') {
    const checked = checkCreditorId(creditorId);
    if (!checked.ok) throw supporterErrors.creditorIdInvalid(checked.message);
    creditorId = checked.value;
  }
  const dedupeRules = changes.dedupeRules ? [...new Set(changes.dedupeRules)] : undefined;
  return options.db.forOrg(options.orgId, async (tx) => {
    const current = await readCrmSettings(tx);
    const next = {
      creditor_id: creditorId !== undefined ? creditorId : current.creditorId,
      dedupe_rules: JSON.stringify(dedupeRules ?? current.dedupeRules),
      register_check_max_age_days: changes.registerCheckMaxAgeDays ?? current.registerCheckMaxAgeDays,
      updated_at: new Date(),
    };
    await tx
      .insertInto('crm_settings')
      .values({ org_id: options.orgId, ...next })
      .onConflict((oc) => oc.column('org_id').doUpdateSet(next))
      .execute();
    await recordAudit(tx, {
      orgId: options.orgId,
      principal: options.principal,
      action: 'crm_settings.updated',
      details: {
        ...changes,
        ...(creditorId !== undefined ? { creditorId } : {}),
        ...(dedupeRules ? { dedupeRules } : {}),
      },
    });
    return readCrmSettings(tx);
  });
}
