// Kysely table types, kept by hand beside the SQL migrations they describe.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type OrganizationKind = 'center' | 'client';
export type UserRole = 'admin' | 'supervisor' | 'planner' | 'quality' | 'operator' | 'client_viewer';
export const USER_ROLES: readonly UserRole[] = [
  'admin',
  'supervisor',
  'planner',
  'quality',
  'operator',
  'client_viewer',
];

export type OrganizationsTable = {
  id: Generated<string>;
  kind: ColumnType<OrganizationKind, OrganizationKind | undefined, never>;
  slug: string;
  name: string;
  time_zone: ColumnType<string, string | undefined, string>;
  locale: ColumnType<'it' | 'en', 'it' | 'en' | undefined, 'it' | 'en'>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type UsersTable = {
  id: Generated<string>;
  email: string;
  display_name: ColumnType<string, string | undefined, string>;
  role: UserRole;
  org_id: string | null;
  password_hash: string;
  failed_login_count: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
};

export type UserOrganizationsTable = { user_id: string; org_id: string };

export type SessionsTable = {
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  user_agent: ColumnType<string, string | undefined, string>;
};

export type ApiKeysTable = {
  id: Generated<string>;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
};

export type AuditEventsTable = {
  id: ColumnType<string, never, never>;
  org_id: string;
  at: CreatedAt;
  actor_kind: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  target: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
};

export type InstanceSettingsTable = {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type SchemaMigrationsTable = {
  version: string;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
};

export type DB = {
  organizations: OrganizationsTable;
  users: UsersTable;
  user_organizations: UserOrganizationsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  instance_settings: InstanceSettingsTable;
  schema_migrations: SchemaMigrationsTable;
};
