-- Foundation: organizations (tenants and the center itself), accounts,
-- sessions, API keys and the audit trail, with row-level security.
--
-- Tenant context is set per transaction by the application:
--   app.org_id  the organization the unit of work runs for ('' = none)
--   app.scope   'tenant' (default), 'center' (center-wide administration) or
--               'auth' (credential verification before a tenant is known)
-- Policies read them through the two functions below. NULLIF matters: after a
-- transaction that set app.org_id ends, the setting reads as '' rather than
-- NULL, and ''::uuid would raise.

CREATE FUNCTION app_current_org() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;

CREATE FUNCTION app_scope() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT COALESCE(NULLIF(current_setting('app.scope', true), ''), 'tenant') $$;

CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind        text NOT NULL DEFAULT 'client' CHECK (kind IN ('center', 'client')),
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone   text NOT NULL DEFAULT 'Europe/Rome',
  locale      text NOT NULL DEFAULT 'it' CHECK (locale IN ('it', 'en')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Exactly one row describes the contact center itself.
CREATE UNIQUE INDEX organizations_one_center ON organizations (kind) WHERE kind = 'center';
INSERT INTO organizations (kind, slug, name) VALUES ('center', 'center', 'Contact center');

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY organizations_tenant ON organizations
  USING (id = app_current_org() OR app_scope() = 'center')
  WITH CHECK (id = app_current_org() OR app_scope() = 'center');

-- Users are center-level accounts. Center staff (org_id NULL) are assigned to
-- organizations through user_organizations; a client_viewer belongs to exactly
-- one organization. Only the center and auth scopes may read these tables: a
-- tenant unit of work never sees accounts.
CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email               text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  display_name        text NOT NULL DEFAULT '',
  role                text NOT NULL CHECK (role IN ('admin', 'supervisor', 'planner', 'quality', 'operator', 'client_viewer')),
  org_id              uuid REFERENCES organizations(id) ON DELETE CASCADE,
  password_hash       text NOT NULL,
  failed_login_count  integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  disabled_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'client_viewer') = (org_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE user_organizations (
  user_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  org_id   uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, org_id)
);
CREATE INDEX user_organizations_org ON user_organizations (org_id);

-- Sessions are stored by the SHA-256 of their token: a database leak does not
-- hand out live sessions.
CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  user_agent    text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_platform ON users USING (app_scope() IN ('center', 'auth'));
ALTER TABLE user_organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY user_organizations_platform ON user_organizations USING (app_scope() IN ('center', 'auth'));
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_platform ON sessions USING (app_scope() IN ('center', 'auth'));

-- API keys belong to one organization. The key itself is never stored: only
-- its SHA-256 and a visible prefix used to find it.
CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix        text NOT NULL UNIQUE,
  key_hash      text NOT NULL,
  created_by    uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_keys_org ON api_keys (org_id);

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY api_keys_tenant ON api_keys
  USING (org_id = app_current_org())
  WITH CHECK (org_id = app_current_org());
-- Verification looks a key up by prefix before the organization is known.
CREATE POLICY api_keys_auth_read ON api_keys FOR SELECT USING (app_scope() = 'auth');
CREATE POLICY api_keys_auth_touch ON api_keys FOR UPDATE USING (app_scope() = 'auth') WITH CHECK (app_scope() = 'auth');

-- The audit trail: who did what, for which organization. Center-wide events
-- (a user created) carry the center organization's id.
CREATE TABLE audit_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
  actor_id    text,
  action      text NOT NULL,
  target      text,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_org_at ON audit_events (org_id, at DESC);

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_events_tenant ON audit_events
  USING (org_id = app_current_org() OR app_scope() = 'center')
  WITH CHECK (org_id = app_current_org() OR app_scope() = 'center');

-- Instance-wide settings (for example whether the demo data was seeded).
CREATE TABLE instance_settings (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE instance_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE instance_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY instance_settings_platform ON instance_settings USING (app_scope() = 'center');
