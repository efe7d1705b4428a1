// Request and answer schemas of the supporters module (TypeBox → validation and OpenAPI).
import { Type } from 'typebox';
import { Uuid } from '../../http/schemas.ts';
import type { Role } from '../auth/principal.ts';

/** Who may read supporters, consents and do-not-call data. */
export const CRM_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'operator',
  'quality',
  'client_viewer',
  'integration',
];
/** Who may change them: operators change data during calls. */
export const CRM_WRITERS: readonly Role[] = ['admin', 'supervisor', 'operator', 'integration'];
/** Custom-field definitions and CRM settings. */
export const CRM_CONFIG_READERS: readonly Role[] = ['admin', 'supervisor'];
export const CRM_CONFIG_WRITERS: readonly Role[] = ['admin'];

export const SOURCES = [
  'face_to_face',
  'drtv',
  'web',
  'event',
  'lead_generation',
  'telephone',
  'other',
] as const;
export const STATUSES = ['active', 'lapsed', 'deceased', 'do_not_contact'] as const;
export const PHONE_KINDS = ['mobile', 'fixed_line', 'voip', 'toll_free', 'other', 'unknown'] as const;
export const CHANNELS = ['phone', 'sms', 'email', 'post'] as const;

export const Source = Type.Enum(SOURCES);
export const Status = Type.Enum(STATUSES);
export const PhoneKind = Type.Enum(PHONE_KINDS);
export const Channel = Type.Enum(CHANNELS);
export const IsoDate = Type.String({ format: 'date', examples: ['1980-01-31'] });
export const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const SupporterParams = Type.Object(
  { orgId: Uuid, supporterId: Uuid },
  { additionalProperties: false },
);

const Address = Type.Object(
  {
    kind: Type.Optional(Type.String({ maxLength: 40 })),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    province: Type.Optional(Type.String({ maxLength: 40 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', examples: ['IT'] })),
  },
  { additionalProperties: false },
);
const PhoneInput = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 40, examples: ['+39 347 123 4567'] }),
    kind: Type.Optional(PhoneKind),
    primary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const EmailInput = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, examples: ['mario.rossi@example.it'] }),
    primary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ExternalId = Type.Object(
  {
    system: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$', examples: ['crm'] }),
    externalId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
const Tag = Type.String({ minLength: 1, maxLength: 60 });

const writableFields = {
  firstName: Type.Optional(Type.String({ maxLength: 100 })),
  lastName: Type.Optional(Type.String({ maxLength: 100 })),
  birthDate: Type.Optional(Nullable(IsoDate)),
  fiscalCode: Type.Optional(Nullable(Type.String({ maxLength: 20, description: 'Italian codice fiscale' }))),
  language: Type.Optional(Type.String({ pattern: '^[a-z]{2}$', examples: ['it'] })),
  source: Type.Optional(Nullable(Source)),
  status: Type.Optional(Status),
  phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 20 })),
  emails: Type.Optional(Type.Array(EmailInput, { maxItems: 20 })),
  externalIds: Type.Optional(Type.Array(ExternalId, { maxItems: 20 })),
  addresses: Type.Optional(Type.Array(Address, { maxItems: 10 })),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
  customFields: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
      description: 'Values of the custom fields defined for the organization; null clears one',
    }),
  ),
};

export const CreateSupporterBody = Type.Object(writableFields, { additionalProperties: false });
export const UpdateSupporterBody = Type.Object(
  {
    ...writableFields,
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'The version you read (or send it as If-Match)',
        examples: [1],
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Consent = Type.Object({
  id: Type.String(),
  channel: Channel,
  purpose: Type.String(),
  granted: Type.Boolean(),
  source: Type.String(),
  evidence: Type.String(),
  recordedAt: DateTime,
  interactionId: Nullable(Uuid),
});

export const Supporter = Type.Object(
  {
    id: Uuid,
    firstName: Type.String(),
    lastName: Type.String(),
    birthDate: Nullable(Type.String()),
    fiscalCode: Nullable(Type.String()),
    language: Type.String(),
    source: Nullable(Source),
    status: Status,
    phones: Type.Array(
      Type.Object({
        number: Type.String(),
        kind: PhoneKind,
        valid: Type.Boolean(),
        primary: Type.Boolean(),
        invalidSince: Nullable(DateTime),
      }),
    ),
    emails: Type.Array(Type.Object({ email: Type.String(), valid: Type.Boolean(), primary: Type.Boolean() })),
    externalIds: Type.Array(Type.Object({ system: Type.String(), externalId: Type.String() })),
    addresses: Type.Array(Type.Record(Type.String(), Type.String())),
    tags: Type.Array(Type.String()),
    customFields: Type.Record(Type.String(), Type.Unknown()),
    consents: Type.Array(Consent, { description: 'Current consent per channel and purpose' }),
    mergedInto: Nullable(Uuid),
    version: Type.Integer(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Supporter' },
);

export const SupporterSummary = Type.Object({
  id: Uuid,
  firstName: Type.String(),
  lastName: Type.String(),
  birthDate: Nullable(Type.String()),
  fiscalCode: Nullable(Type.String()),
  status: Status,
  source: Nullable(Source),
  primaryPhone: Nullable(Type.String()),
  primaryEmail: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  version: Type.Integer(),
  updatedAt: DateTime,
});

export const Cursor = Type.String({
  maxLength: 500,
  description: 'Opaque: the nextCursor of the previous page',
});
export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });

export const ListSupportersQuery = Type.Object(
  {
    limit: Limit,
    cursor: Type.Optional(Cursor),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Name, phone (any format), e-mail or fiscal code; every word must match',
      }),
    ),
    status: Type.Optional(Type.Array(Status, { description: 'One or more (repeat the parameter)' })),
    source: Type.Optional(Source),
    tag: Type.Optional(Tag),
    updatedSince: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
