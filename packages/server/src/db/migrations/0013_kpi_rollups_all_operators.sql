-- KPI report speed (issue 7): the 15-minute rollups summed over operators.
--
-- kpi_rollups (0008) has the operator in its key, so a month of a center's
-- rollups is about 160,000 rows at 10 M interactions a year (82 operators),
-- and a report by day or month, or an SLA evaluation, sums every one of them
-- even when it asks nothing about operators. kpi_rollups_all_operators holds
-- the same counters with the operator summed away (the maximum wait by max):
-- a row per interval and queue/campaign/channel/direction, about a fifth of
-- the rows. Reports and SLA evaluations that do not filter on an operator
-- read it (kpi-report.service.ts, sla-rollup.ts); the rest read kpi_rollups.
--
-- Same interval, same counters, so it is written by the same operations as
-- kpi_rollups, in the same statements' transaction (kpi-rollups.service.ts
-- deleteRange and insertRows): a rebuild of a range deletes and inserts both,
-- a first close adds its counters to both. It always equals kpi_rollups
-- summed over operator (tested).
--
-- Row-level security: the policy reads the unit of work's settings in
-- sub-selects, which PostgreSQL evaluates once per statement (an InitPlan),
-- instead of calling app_current_org() and app_scope() on each row. kpi_rollups'
-- policy is rewritten the same way: same rows visible, the same check on
-- writes.

CREATE TABLE kpi_rollups_all_operators (
  org_id                     uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  interval_start             timestamptz NOT NULL,
  queue                      text NOT NULL DEFAULT '',
  campaign                   text NOT NULL DEFAULT '',
  channel                    text NOT NULL DEFAULT '',
  direction                  text NOT NULL DEFAULT '' CHECK (direction IN ('', 'inbound', 'outbound')),
  offered                    bigint NOT NULL DEFAULT 0,
  answered                   bigint NOT NULL DEFAULT 0,
  abandoned                  bigint NOT NULL DEFAULT 0,
  answered_within_t          bigint NOT NULL DEFAULT 0,
  abandoned_within_t         bigint NOT NULL DEFAULT 0,
  abandoned_short            bigint NOT NULL DEFAULT 0,
  abandoned_short_within_t   bigint NOT NULL DEFAULT 0,
  answered_wait_ms           bigint NOT NULL DEFAULT 0,
  abandoned_wait_ms          bigint NOT NULL DEFAULT 0,
  max_queue_wait_ms          bigint NOT NULL DEFAULT 0,
  operator_answered          bigint NOT NULL DEFAULT 0,
  transferred                bigint NOT NULL DEFAULT 0,
  handled                    bigint NOT NULL DEFAULT 0,
  talk_ms                    bigint NOT NULL DEFAULT 0,
  hold_ms                    bigint NOT NULL DEFAULT 0,
  wrap_ms                    bigint NOT NULL DEFAULT 0,
  fcr_contacts               bigint NOT NULL DEFAULT 0,
  fcr_repeats                bigint NOT NULL DEFAULT 0,
  attempts                   bigint NOT NULL DEFAULT 0,
  dials                      bigint NOT NULL DEFAULT 0,
  connects                   bigint NOT NULL DEFAULT 0,
  rpc                        bigint NOT NULL DEFAULT 0,
  successes                  bigint NOT NULL DEFAULT 0,
  first_attempts             bigint NOT NULL DEFAULT 0,
  drops                      bigint NOT NULL DEFAULT 0,
  upgrade_dials              bigint NOT NULL DEFAULT 0,
  upgrade_connects           bigint NOT NULL DEFAULT 0,
  upgrade_rpc                bigint NOT NULL DEFAULT 0,
  upgrades                   bigint NOT NULL DEFAULT 0,
  upgrade_amount_cents       bigint NOT NULL DEFAULT 0,
  conversion_dials           bigint NOT NULL DEFAULT 0,
  conversion_connects        bigint NOT NULL DEFAULT 0,
  conversion_rpc             bigint NOT NULL DEFAULT 0,
  conversions                bigint NOT NULL DEFAULT 0,
  recapture_dials            bigint NOT NULL DEFAULT 0,
  recapture_connects         bigint NOT NULL DEFAULT 0,
  recapture_rpc              bigint NOT NULL DEFAULT 0,
  recaptures                 bigint NOT NULL DEFAULT 0,
  welcome_records            bigint NOT NULL DEFAULT 0,
  welcome_reached            bigint NOT NULL DEFAULT 0,
  agent_handle_ms            bigint NOT NULL DEFAULT 0,
  agent_available_ms         bigint NOT NULL DEFAULT 0,
  agent_logged_in_ms         bigint NOT NULL DEFAULT 0,
  billable_not_ready_ms      bigint NOT NULL DEFAULT 0,
  scheduled_ms               bigint NOT NULL DEFAULT 0,
  CHECK (extract(epoch FROM interval_start)::bigint % 900 = 0)
);
CREATE UNIQUE INDEX kpi_rollups_all_operators_key
  ON kpi_rollups_all_operators (org_id, interval_start, queue, campaign, channel, direction);

-- The rollups already built, summed over operator (migrations run in the center scope).
INSERT INTO kpi_rollups_all_operators
SELECT org_id, interval_start, queue, campaign, channel, direction,
       sum(offered), sum(answered), sum(abandoned), sum(answered_within_t), sum(abandoned_within_t),
       sum(abandoned_short), sum(abandoned_short_within_t), sum(answered_wait_ms), sum(abandoned_wait_ms),
       max(max_queue_wait_ms), sum(operator_answered), sum(transferred), sum(handled), sum(talk_ms),
       sum(hold_ms), sum(wrap_ms), sum(fcr_contacts), sum(fcr_repeats), sum(attempts), sum(dials),
       sum(connects), sum(rpc), sum(successes), sum(first_attempts), sum(drops), sum(upgrade_dials),
       sum(upgrade_connects), sum(upgrade_rpc), sum(upgrades), sum(upgrade_amount_cents),
       sum(conversion_dials), sum(conversion_connects), sum(conversion_rpc), sum(conversions),
       sum(recapture_dials), sum(recapture_connects), sum(recapture_rpc), sum(recaptures),
       sum(welcome_records), sum(welcome_reached), sum(agent_handle_ms), sum(agent_available_ms),
       sum(agent_logged_in_ms), sum(billable_not_ready_ms), sum(scheduled_ms)
FROM kpi_rollups
GROUP BY org_id, interval_start, queue, campaign, channel, direction;

ALTER TABLE kpi_rollups_all_operators ENABLE ROW LEVEL SECURITY;
ALTER TABLE kpi_rollups_all_operators FORCE ROW LEVEL SECURITY;
CREATE POLICY kpi_rollups_all_operators_tenant ON kpi_rollups_all_operators
  USING (org_id = (SELECT app_current_org()) OR (SELECT app_scope()) = 'center')
  WITH CHECK (org_id = (SELECT app_current_org()) OR (SELECT app_scope()) = 'center');

DROP POLICY kpi_rollups_tenant ON kpi_rollups;
CREATE POLICY kpi_rollups_tenant ON kpi_rollups
  USING (org_id = (SELECT app_current_org()) OR (SELECT app_scope()) = 'center')
  WITH CHECK (org_id = (SELECT app_current_org()) OR (SELECT app_scope()) = 'center');
