// Pages of one organization carry it in the URL (/sla/:orgId, /supporters/:orgId/…),
// so a link can be shared and a direct URL is checked: an organization the
// signed-in user does not work for shows "access denied", never its data (the
// server refuses it anyway: 403/404). Without one, the first organization opens.
import { Alert, Select } from '@mantine/core';
import { useEffect } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useI18n } from '../i18n.ts';
import { useOrganizations } from '../live/organizations.ts';
import type { Organization } from '../live/types.ts';

export type OrgRoute = {
  organizations: Organization[];
  orgId: string | undefined;
  org: Organization | undefined;
  /** The URL names an organization that is not the user's (or does not exist). */
  denied: boolean;
  loaded: boolean;
};

/** The client organizations first (the center's own one has no supporters, SLA or campaigns). */
export function useOrgRoute(base: string): OrgRoute {
  const { orgId } = useParams();
  const navigate = useNavigate();
  const { search } = useLocation();
  const { organizations: all, error } = useOrganizations();
  const organizations = [...all].sort((a, b) => Number(b.kind === 'client') - Number(a.kind === 'client'));
  const loaded = all.length > 0 || error;
  const first = organizations[0]?.id;
  useEffect(() => {
    if (!orgId && first) navigate(`${base}/${first}${search}`, { replace: true });
  }, [orgId, first, base, search, navigate]);
  const org = organizations.find((o) => o.id === orgId);
  return { organizations, orgId, org, denied: loaded && orgId !== undefined && !org, loaded };
}

export function OrgSelect({ route, base }: { route: OrgRoute; base: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Select
      label={t('rep.organization')}
      data={route.organizations.map((o) => ({ value: o.id, label: o.name }))}
      value={route.org ? route.orgId : null}
      onChange={(value) => value && navigate(`${base}/${value}`)}
      allowDeselect={false}
      w={260}
    />
  );
}

export function AccessDenied() {
  const { t } = useI18n();
  return (
    <Alert color="red" role="alert" title={t('common.denied')} data-testid="access-denied">
      {t('common.denied.detail')}
    </Alert>
  );
}

/** The message of a failed call: the problem's detail, else a generic one. */
export function problemText(failure: unknown, fallback: string): string {
  if (failure && typeof failure === 'object' && 'problem' in failure) {
    const problem = (failure as { problem: { detail?: string; title?: string } }).problem;
    return problem.detail ?? problem.title ?? fallback;
  }
  return fallback;
}
