// SLA contracts of an organization and their versions (0010_sla_contracts.sql).
// The terms are checked by the engine's validateSlaContract (allocations of the
// critical metrics at most 100 %, minimum and target the right way round,
// windows consistent) and stored as given. A change is a new version taking
// effect on the first day of a month that is not closed: the current month or
// a later one. So the evaluation of a closed month always reads the terms it was
// run with.
import {
  localMonthOf,
  type SlaBonusRule,
  type SlaContract,
  SlaError,
  type SlaMetric,
  validateSlaContract,
} from '@centralino/engine';
import { sql } from 'kysely';
import type { Database, Tx } from '../../db/database.ts';
import { loadKpiSettings } from '../kpis/kpi-settings.service.ts';
import { slaErrors } from './sla.errors.ts';

export type SlaTermsInput = {
  atRiskPercent: number;
  metrics: SlaMetric[];
  bonusRules?: SlaBonusRule[] | undefined;
};

export type SlaContractVersion = SlaContract & {
  version: number;
  /** `YYYY-MM`: the first month these terms apply to. */
  effectiveFrom: string;
  createdAt: string;
  createdBy: string | null;
};

export type SlaContractInfo = {
  id: string;
  name: string;
  /** `YYYY-MM`, inclusive. */
  validFrom: string;
  validTo: string | null;
  createdAt: string;
  updatedAt: string;
  /** The latest version (the terms of the current and later months). */
  current: SlaContractVersion;
  versions?: SlaContractVersion[];
};

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthDate = (month: string) => `${month}-01`;
const monthOfDate = (date: string) => date.slice(0, 7);

function checkMonth(
  field: string,
  value: string | null | undefined,
  fields: { field: string; message: string }[],
) {
  if (value !== undefined && value !== null && !MONTH.test(value))
    fields.push({ field, message: `must be a month YYYY-MM, got ${JSON.stringify(value)}` });
}

/** The terms checked by the engine; SLA_CONTRACT_INVALID with every failing field. */
export function checkTerms(terms: SlaTermsInput): SlaContract {
  const contract: SlaContract = {
    atRiskPercent: terms.atRiskPercent,
    metrics: terms.metrics,
    ...(terms.bonusRules ? { bonusRules: terms.bonusRules } : {}),
  };
  try {
    validateSlaContract(contract);
  } catch (error) {
    if (error instanceof SlaError) throw slaErrors.contractInvalid(error.issues);
    throw error;
  }
  return contract;
}

type ContractRow = {
  id: string;
  name: string;
  valid_from: string;
  valid_to: string | null;
  created_at: Date;
  updated_at: Date;
};
type VersionRow = {
  contract_id: string;
  version: number;
  effective_from: string;
  at_risk_percent: string | number;
  metrics: SlaMetric[];
  bonus_rules: SlaBonusRule[];
  created_at: Date;
  created_by: string | null;
};

function versionOf(row: VersionRow): SlaContractVersion {
  return {
    version: row.version,
    effectiveFrom: monthOfDate(String(row.effective_from)),
    atRiskPercent: Number(row.at_risk_percent),
    metrics: row.metrics,
    bonusRules: row.bonus_rules,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
  };
}

function infoOf(row: ContractRow, versions: VersionRow[], withHistory: boolean): SlaContractInfo {
  const sorted = versions.map(versionOf).sort((a, b) => a.version - b.version);
  return {
    id: row.id,
    name: row.name,
    validFrom: monthOfDate(String(row.valid_from)),
    validTo: row.valid_to === null ? null : monthOfDate(String(row.valid_to)),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    current: sorted[sorted.length - 1]!,
    ...(withHistory ? { versions: sorted } : {}),
  };
}

async function selectContracts(tx: Tx, orgId: string, contractId?: string) {
  const contracts = await sql<ContractRow>`
    select id, name, valid_from::text as valid_from, valid_to::text as valid_to, created_at, updated_at
    from sla_contracts where org_id = ${orgId}::uuid
    ${contractId === undefined ? sql`` : sql`and id = ${contractId}::uuid`}
    order by valid_from`.execute(tx);
  const ids = contracts.rows.map((c) => c.id);
  const versions =
    ids.length === 0
      ? []
      : (
          await sql<VersionRow>`
            select contract_id, version, effective_from::text as effective_from, at_risk_percent, metrics,
                   bonus_rules, created_at, created_by
            from sla_contract_versions where contract_id = any(${ids}::uuid[])`.execute(tx)
        ).rows;
  return contracts.rows.map((c) => ({ row: c, versions: versions.filter((v) => v.contract_id === c.id) }));
}

async function checkNoOverlap(
  tx: Tx,
  orgId: string,
  validFrom: string,
  validTo: string | null,
  exceptId: string | null,
) {
  const other = await sql<{ name: string }>`
    select name from sla_contracts
    where org_id = ${orgId}::uuid and (${exceptId}::uuid is null or id <> ${exceptId}::uuid)
      and valid_from <= coalesce(${validTo === null ? null : monthDate(validTo)}::date, 'infinity'::date)
      and coalesce(valid_to, 'infinity'::date) >= ${monthDate(validFrom)}::date
    limit 1`.execute(tx);
  if (other.rows[0]) throw slaErrors.overlap(other.rows[0].name);
}

async function currentMonth(tx: Tx, orgId: string, nowMs: number): Promise<string> {
  const settings = await loadKpiSettings(tx, orgId);
  return localMonthOf(nowMs, settings.timeZone);
}

async function insertVersion(
  tx: Tx,
  options: {
    orgId: string;
    contractId: string;
    version: number;
    effectiveFrom: string;
    terms: SlaContract;
    actor: string | null;
  },
) {
  const { terms } = options;
  await sql`
    insert into sla_contract_versions
      (contract_id, org_id, version, effective_from, at_risk_percent, metrics, bonus_rules, created_by)
    values (${options.contractId}::uuid, ${options.orgId}::uuid, ${options.version},
            ${monthDate(options.effectiveFrom)}::date, ${terms.atRiskPercent},
            ${JSON.stringify(terms.metrics)}::jsonb, ${JSON.stringify(terms.bonusRules ?? [])}::jsonb,
            ${options.actor})`.execute(tx);
}

/** A new contract; its first version takes effect in its first month (a contract already running can be entered late). */
export async function createSlaContract(options: {
  db: Database;
  orgId: string;
  input: SlaTermsInput & { name: string; validFrom: string; validTo?: string | null | undefined };
  actor: string | null;
}): Promise<SlaContractInfo> {
  const { db, orgId, input } = options;
  const fields: { field: string; message: string }[] = [];
  checkMonth('validFrom', input.validFrom, fields);
  checkMonth('validTo', input.validTo, fields);
  if (fields.length === 0 && input.validTo && input.validTo < input.validFrom)
    fields.push({ field: 'validTo', message: 'is before validFrom' });
  if (fields.length > 0) throw slaErrors.inputInvalid(fields);
  const terms = checkTerms(input);
  return db.forOrg(orgId, async (tx) => {
    await checkNoOverlap(tx, orgId, input.validFrom, input.validTo ?? null, null);
    const created = await sql<{ id: string }>`
      insert into sla_contracts (org_id, name, valid_from, valid_to)
      values (${orgId}::uuid, ${input.name}, ${monthDate(input.validFrom)}::date,
              ${input.validTo ? monthDate(input.validTo) : null}::date)
      returning id`.execute(tx);
    const contractId = created.rows[0]!.id;
    await insertVersion(tx, {
      orgId,
      contractId,
      version: 1,
      effectiveFrom: input.validFrom,
      terms,
      actor: options.actor,
    });
    const [found] = await selectContracts(tx, orgId, contractId);
    return infoOf(found!.row, found!.versions, true);
  });
}

export async function listSlaContracts(options: { db: Database; orgId: string }): Promise<SlaContractInfo[]> {
  return options.db.readForOrg(options.orgId, async (tx) =>
    (await selectContracts(tx, options.orgId)).map((c) => infoOf(c.row, c.versions, false)),
  );
}

export async function getSlaContract(options: {
  db: Database;
  orgId: string;
  contractId: string;
}): Promise<SlaContractInfo> {
  return options.db.readForOrg(options.orgId, async (tx) => {
    const [found] = await selectContracts(tx, options.orgId, options.contractId);
    if (!found) throw slaErrors.contractNotFound();
    return infoOf(found.row, found.versions, true);
  });
}

/**
 * New terms from `effectiveFrom` (default: the current month) on, as a new
 * version; the name and the validity can change too. A closed month is refused.
 */
export async function updateSlaContract(options: {
  db: Database;
  orgId: string;
  contractId: string;
  input: SlaTermsInput & {
    effectiveFrom?: string | undefined;
    name?: string | undefined;
    validTo?: string | null | undefined;
  };
  actor: string | null;
  nowMs: number;
}): Promise<SlaContractInfo> {
  const { db, orgId, contractId, input } = options;
  const fields: { field: string; message: string }[] = [];
  checkMonth('effectiveFrom', input.effectiveFrom, fields);
  checkMonth('validTo', input.validTo, fields);
  if (fields.length > 0) throw slaErrors.inputInvalid(fields);
  const terms = checkTerms(input);
  return db.forOrg(orgId, async (tx) => {
    const [found] = await selectContracts(tx, orgId, contractId);
    if (!found) throw slaErrors.contractNotFound();
    const current = await currentMonth(tx, orgId, options.nowMs);
    const effectiveFrom = input.effectiveFrom ?? current;
    const validFrom = monthOfDate(String(found.row.valid_from));
    if (effectiveFrom < current) throw slaErrors.monthClosed(effectiveFrom, current);
    const validTo =
      input.validTo === undefined
        ? found.row.valid_to === null
          ? null
          : monthOfDate(String(found.row.valid_to))
        : input.validTo;
    if (validTo !== null && validTo < current) throw slaErrors.monthClosed(validTo, current);
    if (validTo !== null && validTo < validFrom)
      throw slaErrors.inputInvalid([{ field: 'validTo', message: 'is before validFrom' }]);
    if (effectiveFrom < validFrom || (validTo !== null && effectiveFrom > validTo))
      throw slaErrors.inputInvalid([
        {
          field: 'effectiveFrom',
          message: `is outside the contract's months ${validFrom}–${validTo ?? '…'}`,
        },
      ]);
    await checkNoOverlap(tx, orgId, validFrom, validTo, contractId);
    await sql`
      update sla_contracts set name = ${input.name ?? found.row.name},
        valid_to = ${validTo === null ? null : monthDate(validTo)}::date, updated_at = now()
      where id = ${contractId}::uuid`.execute(tx);
    const version = Math.max(...found.versions.map((v) => v.version)) + 1;
    await insertVersion(tx, { orgId, contractId, version, effectiveFrom, terms, actor: options.actor });
    const [updated] = await selectContracts(tx, orgId, contractId);
    return infoOf(updated!.row, updated!.versions, true);
  });
}

/** Only a contract that has not started (no month of it closed or running) can be deleted. */
export async function deleteSlaContract(options: {
  db: Database;
  orgId: string;
  contractId: string;
  nowMs: number;
}): Promise<void> {
  const { db, orgId, contractId } = options;
  await db.forOrg(orgId, async (tx) => {
    const [found] = await selectContracts(tx, orgId, contractId);
    if (!found) throw slaErrors.contractNotFound();
    const current = await currentMonth(tx, orgId, options.nowMs);
    const validFrom = monthOfDate(String(found.row.valid_from));
    if (validFrom <= current) throw slaErrors.monthClosed(validFrom, current);
    await sql`delete from sla_contracts where id = ${contractId}::uuid`.execute(tx);
  });
}

/** The contract and the version in effect in a local month, or null. */
export async function contractForMonth(
  tx: Tx,
  orgId: string,
  month: string,
): Promise<{ id: string; name: string; terms: SlaContractVersion } | null> {
  const found = await sql<ContractRow & VersionRow>`
    select c.id, c.name, v.contract_id, v.version, v.effective_from::text as effective_from, v.at_risk_percent,
           v.metrics, v.bonus_rules, v.created_at, v.created_by
    from sla_contracts c join sla_contract_versions v on v.contract_id = c.id
    where c.org_id = ${orgId}::uuid
      and c.valid_from <= ${monthDate(month)}::date
      and coalesce(c.valid_to, 'infinity'::date) >= ${monthDate(month)}::date
      and v.effective_from <= ${monthDate(month)}::date
    order by v.effective_from desc, v.version desc
    limit 1`.execute(tx);
  const row = found.rows[0];
  return row ? { id: row.id, name: row.name, terms: versionOf(row) } : null;
}
