// Request and answer schemas of regular gifts, mandates and gifts (OpenAPI).
import { Type } from 'typebox';
import { Uuid } from '../../http/schemas.ts';

// Type.Union over a mapped array types as never; Unsafe keeps the literal union.
const lit = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));

export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const AmountCents = Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Integer cents' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, default EUR' });
export const CampaignCode = Type.String({ minLength: 1, maxLength: 60 });
export const ExternalId = Type.String({
  minLength: 1,
  maxLength: 100,
  description: "The id in the organization's own system; unique per organization",
});
export const Reason = Type.String({ maxLength: 500 });

export const Frequency = lit(['monthly', 'bimonthly', 'quarterly', 'semiannual', 'annual']);
export const CommitmentMethod = lit(['sepa_direct_debit', 'card', 'bank_transfer', 'postal']);
export const CommitmentStatus = lit(['active', 'paused', 'cancelled', 'lapsed']);
export const SequenceType = lit(['FRST', 'RCUR', 'OOFF', 'FNAL']);
export const GiftMethod = lit(['sepa_direct_debit', 'card', 'bank_transfer', 'postal', 'cash', 'other']);
export const GiftStatus = lit(['collected', 'failed', 'refunded']);

export const MandateBody = Type.Object(
  {
    iban: Type.String({ minLength: 1, maxLength: 64, description: 'Validated (checksum, length, country)' }),
    signatureDate: IsoDate,
    reference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          "Unique mandate reference (≤ 35 characters of A-Z a-z 0-9 / - ? : ( ) . , ' + and space); generated when absent",
      }),
    ),
    creditorId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "Default: the organization's CRM settings" }),
    ),
    sequenceType: Type.Optional(SequenceType),
  },
  { additionalProperties: false },
);

export const Mandate = Type.Object({
  id: Uuid,
  creditorId: Type.String(),
  reference: Type.String(),
  signatureDate: IsoDate,
  ibanMasked: Type.String({ description: 'Country and last four characters, e.g. IT…3456' }),
  ibanCountry: Type.String(),
  ibanLast4: Type.String(),
  iban: Type.Optional(Type.String({ description: 'Only with ?reveal=iban and bank-data access' })),
  sequenceType: SequenceType,
  status: lit(['active', 'revoked', 'expired']),
  lastCollectionOn: Nullable(IsoDate),
  expiresOn: Nullable(IsoDate),
});

export const Commitment = Type.Object({
  id: Uuid,
  supporterId: Uuid,
  externalId: Nullable(Type.String()),
  amountCents: Type.Integer(),
  currency: Type.String(),
  frequency: Frequency,
  method: CommitmentMethod,
  startDate: IsoDate,
  endDate: Nullable(IsoDate),
  status: CommitmentStatus,
  campaignCode: Nullable(Type.String()),
  version: Type.Integer({ description: 'Send it back with a PATCH (optimistic concurrency)' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  mandate: Nullable(Mandate),
});

export const CommitmentEvent = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  kind: lit(['created', 'status_changed', 'amount_changed', 'mandate_revoked', 'mandate_expired']),
  fromStatus: Nullable(CommitmentStatus),
  toStatus: Nullable(CommitmentStatus),
  fromAmountCents: Nullable(Type.Integer()),
  toAmountCents: Nullable(Type.Integer()),
  effectiveDate: Nullable(IsoDate),
  reason: Type.String(),
  interactionId: Nullable(Uuid),
  actor: Type.String({ description: 'user:<id>, api_key:<id> or system' }),
});

export const Gift = Type.Object({
  id: Uuid,
  supporterId: Uuid,
  commitmentId: Nullable(Uuid),
  externalId: Nullable(Type.String()),
  giftDate: IsoDate,
  amountCents: Type.Integer(),
  currency: Type.String(),
  method: GiftMethod,
  status: GiftStatus,
  returnCode: Nullable(Type.String()),
  returnReason: Nullable(Type.String({ description: 'The return code in words (English)' })),
  campaignCode: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
};
export const NextCursor = Nullable(Type.String({ description: 'Pass as cursor for the next page' }));

export const SupporterParams = Type.Object(
  { orgId: Uuid, supporterId: Uuid },
  { additionalProperties: false },
);
export const CommitmentParams = Type.Object(
  { orgId: Uuid, commitmentId: Uuid },
  { additionalProperties: false },
);
export const MandateParams = Type.Object({ orgId: Uuid, mandateId: Uuid }, { additionalProperties: false });
