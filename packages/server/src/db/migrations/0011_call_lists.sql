-- Call lists (issue 6, modules/campaigns/call-list.service.ts): when each
-- campaign's list was last rebuilt from its eligibility filters, so the
-- scheduler refreshes only the campaigns whose refresh_minutes have passed.
ALTER TABLE campaigns ADD COLUMN list_refreshed_at timestamptz;

-- The call list page by page in the order it was built (the API), by status.
CREATE INDEX campaign_contacts_list ON campaign_contacts (campaign_id, status, created_at, id);
