-- Service-level contracts between the center and a client organization
-- (issue 7, DOMAIN.md §8): the contract, its versions, and the alerts the
-- cruscotto raised. Evaluated by engine/sla over the KPI rollups of 0008.
--
-- A contract is valid for a range of local months; its terms (at-risk
-- percentage, metrics, bonus rules) live in versions, each taking effect on the
-- first day of a month. A month is evaluated with the version in effect on its
-- first day, and the API refuses a version taking effect in a closed month (one
-- before the current month), so a change never rewrites a closed month's
-- evaluation (modules/sla/sla-contracts.service.ts).

CREATE TABLE sla_contracts (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- First days of local months: valid from the month of valid_from to the month of valid_to (inclusive).
  valid_from  date NOT NULL CHECK (extract(day FROM valid_from) = 1),
  valid_to    date CHECK (valid_to IS NULL OR (extract(day FROM valid_to) = 1 AND valid_to >= valid_from)),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sla_contracts_org ON sla_contracts (org_id, valid_from);

CREATE TABLE sla_contract_versions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contract_id      uuid NOT NULL REFERENCES sla_contracts(id) ON DELETE CASCADE,
  org_id           uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  version          integer NOT NULL CHECK (version >= 1),
  -- The first day of the local month the terms take effect.
  effective_from   date NOT NULL CHECK (extract(day FROM effective_from) = 1),
  -- Percent of the monthly invoice at risk (engine SlaContract.atRiskPercent).
  at_risk_percent  numeric(5, 2) NOT NULL CHECK (at_risk_percent BETWEEN 0 AND 100),
  -- engine SlaMetric[]: kpi, minimum, target, window, kind, allocationPercent…
  -- (validated by validateSlaContract before it is stored).
  metrics          jsonb NOT NULL CHECK (jsonb_typeof(metrics) = 'array'),
  -- engine SlaBonusRule[]: all or nothing on the minimums.
  bonus_rules      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(bonus_rules) = 'array'),
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by       text,
  UNIQUE (contract_id, version)
);
CREATE INDEX sla_contract_versions_effective ON sla_contract_versions (contract_id, effective_from DESC, version DESC);

-- Alerts of the cruscotto: a metric fell below its minimum in its current
-- window (interval, local day or local month). One row per metric, window and
-- kind: an alert is raised once per window, never repeated. published_at: sent
-- on the realtime hub (the webhook goes through the outbox in the same
-- transaction as the row).
CREATE TABLE sla_alerts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  contract_id   uuid NOT NULL REFERENCES sla_contracts(id) ON DELETE CASCADE,
  version       integer NOT NULL,
  metric_id     text NOT NULL,
  kpi           text NOT NULL,
  "window"      text NOT NULL CHECK ("window" IN ('interval', 'day', 'month')),
  window_label  text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('below_minimum', 'recovered')),
  value         double precision,
  minimum       double precision NOT NULL,
  raised_at     timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz,
  UNIQUE (org_id, contract_id, metric_id, window_label, kind)
);
CREATE INDEX sla_alerts_unpublished ON sla_alerts (id) WHERE published_at IS NULL;
CREATE INDEX sla_alerts_org ON sla_alerts (org_id, raised_at DESC);

DO $$
DECLARE
  t text;
BEGIN
  -- The organization's own rows, and every organization's for the center scope
  -- (alerts are checked in the live runtime's transactions and published by the app).
  FOREACH t IN ARRAY ARRAY['sla_contracts', 'sla_contract_versions', 'sla_alerts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org() OR app_scope() = ''center'') '
      'WITH CHECK (org_id = app_current_org() OR app_scope() = ''center'')',
      t || '_tenant', t);
  END LOOP;
END $$;
