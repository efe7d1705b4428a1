// SEPA Direct Debit mandates (DOMAIN.md §6). The IBAN is validated by the
// engine, stored sealed with the organization's id as context, and shown
// masked; the full IBAN leaves only on an explicit, permitted, audited reveal.
import type { Tx } from '../../db/database.ts';
import type { MandatesTable, SequenceType } from '../../db/schema.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import {
  mandateExpiryDate,
  maskIban,
  validateCreditorId,
  validateIban,
  validateMandateReference,
} from './crm-engine.ts';
import { givingErrors } from './giving.errors.ts';

export type MandateStatus = 'active' | 'revoked' | 'expired';

export type Mandate = {
  id: string;
  creditorId: string;
  reference: string;
  signatureDate: string;
  /** `IT…3456`: country and last four characters only. */
  ibanMasked: string;
  ibanCountry: string;
  ibanLast4: string;
  /** Present only on an explicit reveal by a principal with bank-data access. */
  iban?: string;
  sequenceType: SequenceType;
  status: MandateStatus;
  lastCollectionOn: string | null;
  /** The first day the mandate can no longer be used: 36 months after the last collection or the signature. */
  expiresOn: string | null;
};

export type MandateInput = {
  iban: string;
  signatureDate: string;
  /** Generated when absent: `<ORGPREFIX>-<yyyymmdd>-<short commitment id>`. */
  reference?: string | undefined;
  /** Defaults to the organization's crm_settings.creditor_id. */
  creditorId?: string | undefined;
  sequenceType?: SequenceType | undefined;
};

export const MANDATE_COLUMNS = [
  'id',
  'commitment_id',
  'creditor_id',
  'reference',
  'signature_date',
  'iban_encrypted',
  'iban_country',
  'iban_last4',
  'sequence_type',
  'status',
  'last_collection_on',
] as const satisfies readonly (keyof MandatesTable)[];

export type MandateRow = {
  id: string;
  commitment_id: string;
  creditor_id: string;
  reference: string;
  signature_date: string;
  iban_encrypted: string;
  iban_country: string;
  iban_last4: string;
  sequence_type: SequenceType;
  status: MandateStatus;
  last_collection_on: string | null;
};

/** The mandate as an answer shows it; the IBAN opened only to mask it (or to reveal it when asked). */
export function mandateView(
  row: MandateRow,
  options: { secrets: SecretBox; orgId: string; reveal?: boolean },
): Mandate {
  const iban = options.secrets.open(row.iban_encrypted, options.orgId);
  return {
    id: row.id,
    creditorId: row.creditor_id,
    reference: row.reference,
    signatureDate: row.signature_date,
    ibanMasked: maskIban(iban),
    ibanCountry: row.iban_country,
    ibanLast4: row.iban_last4,
    ...(options.reveal ? { iban } : {}),
    sequenceType: row.sequence_type,
    status: row.status,
    lastCollectionOn: row.last_collection_on,
    expiresOn:
      mandateExpiryDate({
        signedOn: row.signature_date,
        ...(row.last_collection_on ? { lastCollectionOn: row.last_collection_on } : {}),
      }) ?? null,
  };
}

/** Readable organization prefix for generated references: the slug's letters and digits, at most 8. */
export function referencePrefix(slug: string): string {
  return (
    slug
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 8) || 'CNTR'
  );
}

/**
 * A generated mandate reference: deterministic for a commitment and readable on a
 * bank statement, `ALPHA-20250301-9F3A1C2B` (at most 8 + 1 + 8 + 1 + 16 = 34 characters,
 * all in the SEPA character set). `length` lets a caller lengthen the id part after a collision.
 */
export function generatedReference(options: {
  slug: string;
  signatureDate: string;
  commitmentId: string;
  idLength?: 8 | 16;
}): string {
  const id = options.commitmentId
    .replaceAll('-', '')
    .toUpperCase()
    .slice(0, options.idLength ?? 8);
  return `${referencePrefix(options.slug)}-${options.signatureDate.replaceAll('-', '')}-${id}`;
}

/**
 * Validates and stores the mandate of a new SEPA commitment, in the caller's unit of
 * work. Throws 400 problems naming the failing field (IBAN: checksum, length,
 * country or format), 409 when the reference is taken for the creditor.
 */
export async function insertMandate(
  tx: Tx,
  secrets: SecretBox,
  options: { orgId: string; commitmentId: string; mandate: MandateInput },
): Promise<MandateRow> {
  const { orgId, commitmentId, mandate } = options;
  const iban = validateIban(mandate.iban);
  if (!iban.ok) throw givingErrors.ibanInvalid(iban.reason, iban.message);

  let creditorId = mandate.creditorId;
  if (creditorId === undefined) {
    const settings = await tx
      .selectFrom('crm_settings')
      .select('creditor_id')
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    creditorId = settings?.creditor_id ?? undefined;
  }
  if (!creditorId) throw givingErrors.creditorIdMissing();
  const creditor = validateCreditorId(creditorId);
  if (!creditor.ok) throw givingErrors.creditorIdInvalid(creditor.reason, creditor.message);

  const referenceTaken = async (reference: string) =>
    (await tx
      .selectFrom('mandates')
      .select('id')
      .where('org_id', '=', orgId)
      .where('creditor_id', '=', creditor.creditorId)
      .where('reference', '=', reference)
      .executeTakeFirst()) !== undefined;

  let reference: string;
  if (mandate.reference !== undefined) {
    const checked = validateMandateReference(mandate.reference);
    if (!checked.ok) throw givingErrors.mandateReferenceInvalid(checked.reason, checked.message);
    reference = checked.reference;
    if (await referenceTaken(reference)) throw givingErrors.mandateReferenceTaken(reference);
  } else {
    const org = await tx
      .selectFrom('organizations')
      .select('slug')
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow();
    const base = { slug: org.slug, signatureDate: mandate.signatureDate, commitmentId };
    reference = generatedReference(base);
    // 32 random bits on one signature day rarely collide; 64 make it negligible.
    if (await referenceTaken(reference)) reference = generatedReference({ ...base, idLength: 16 });
  }

  return tx
    .insertInto('mandates')
    .values({
      org_id: orgId,
      commitment_id: commitmentId,
      creditor_id: creditor.creditorId,
      reference,
      signature_date: mandate.signatureDate,
      iban_encrypted: secrets.seal(iban.iban, orgId),
      iban_country: iban.countryCode,
      iban_last4: iban.iban.slice(-4),
      sequence_type: mandate.sequenceType ?? 'FRST',
    })
    .returning(MANDATE_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Refuses a reveal without the bank-data permission; records a permitted one in the audit trail. */
export async function auditIbanReveal(
  tx: Tx,
  options: { orgId: string; principal: Principal; mandateId: string; commitmentId: string },
): Promise<void> {
  if (!options.principal.bankDataAccess) throw givingErrors.bankDataAccessRequired();
  await recordAudit(tx, {
    orgId: options.orgId,
    principal: options.principal,
    action: 'mandate.iban_revealed',
    target: options.mandateId,
    details: { commitmentId: options.commitmentId },
  });
}
