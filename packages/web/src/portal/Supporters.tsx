// Supporters, read-only (GET …/supporters with search, GET …/supporters/:id,
// its timeline): for the client's viewer and the center's staff. The
// organization is in the URL (/supporters/:orgId[/:supporterId]); another
// organization's URL, or a supporter that is not the organization's, shows
// "access denied" (the server answers 403/404 for them anyway).
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../api.ts';
import { AccessDenied, OrgSelect, problemText, useOrgRoute } from '../common/orgRoute.tsx';
import { useI18n } from '../i18n.ts';

type SupporterSummary = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  status: string;
  source: string | null;
  primaryPhone: string | null;
  primaryEmail: string | null;
  updatedAt: string;
};
type Supporter = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  fiscalCode: string | null;
  language: string | null;
  source: string | null;
  status: string;
  phones: { number: string; kind: string; valid: boolean; primary: boolean }[];
  emails: { email: string; valid: boolean; primary: boolean }[];
  addresses: {
    line1?: string;
    postalCode?: string;
    city?: string;
    province?: string;
    country?: string;
    kind?: string;
  }[];
  externalIds: { system: string; externalId: string }[];
  tags: string[];
  consents: { id: string; channel: string; purpose: string; granted: boolean; recordedAt: string }[];
  createdAt: string;
  updatedAt: string;
};
type TimelineItem = { type: string; id: string; at: string; kind: string; actor: string };

const BASE = '/supporters';

export function Supporters() {
  const { supporterId } = useParams();
  const route = useOrgRoute(BASE);
  if (route.denied) return <AccessDenied />;
  if (route.org && supporterId) return <SupporterDetail orgId={route.org.id} supporterId={supporterId} />;
  return <SupporterList route={route} />;
}

function SupporterList({ route }: { route: ReturnType<typeof useOrgRoute> }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [query] = useDebouncedValue(q.trim(), 300);
  const [rows, setRows] = useState<SupporterSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const orgId = route.org?.id;

  async function load(cursor?: string) {
    if (!orgId) return;
    setBusy(true);
    try {
      const params = new URLSearchParams({ limit: '50' });
      if (query) params.set('q', query);
      if (cursor) params.set('cursor', cursor);
      const page = await api<{ items: SupporterSummary[]; nextCursor: string | null }>(
        'GET',
        `/api/organizations/${orgId}/supporters?${params}`,
      );
      setRows((current) => (cursor ? [...current, ...page.items] : page.items));
      setNext(page.nextCursor);
      setError(null);
    } catch (failure) {
      setError(problemText(failure, t('error.generic')));
    } finally {
      setBusy(false);
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search or organization starts over
  useEffect(() => {
    void load();
  }, [orgId, query]);

  return (
    <Stack gap="md">
      <Title order={2}>{t('sup.title')}</Title>
      <Card withBorder padding="sm">
        <Group align="flex-end" gap="sm">
          <OrgSelect route={route} base={BASE} />
          <TextInput
            type="search"
            label={t('common.search')}
            description={t('sup.search.hint')}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={320}
          />
        </Group>
      </Card>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Card withBorder padding="sm">
        <Table.ScrollContainer minWidth={700}>
          <Table fz="sm" striped data-testid="supporters-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th>
                <Table.Th>{t('sup.status')}</Table.Th>
                <Table.Th>{t('sup.phone')}</Table.Th>
                <Table.Th>{t('sup.email')}</Table.Th>
                <Table.Th>{t('sup.source')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`${BASE}/${orgId}/${row.id}`} size="sm">
                      {[row.lastName, row.firstName].filter(Boolean).join(' ') || row.id.slice(0, 8)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{row.status}</Table.Td>
                  <Table.Td>{row.primaryPhone ?? '—'}</Table.Td>
                  <Table.Td>{row.primaryEmail ?? '—'}</Table.Td>
                  <Table.Td>{row.source ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!busy && rows.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('common.none')}
          </Text>
        )}
        {busy && <Loader size="sm" aria-label={t('op.loading')} />}
        {next && !busy && (
          <Button mt="xs" size="xs" variant="default" onClick={() => void load(next)}>
            {t('common.more')}
          </Button>
        )}
      </Card>
    </Stack>
  );
}

function SupporterDetail({ orgId, supporterId }: { orgId: string; supporterId: string }) {
  const { t, language } = useI18n();
  const [supporter, setSupporter] = useState<Supporter | null>(null);
  const [timeline, setTimeline] = useState<TimelineItem[]>([]);
  const [state, setState] = useState<'loading' | 'ok' | 'denied' | 'error'>('loading');
  const [error, setError] = useState('');
  useEffect(() => {
    const controller = new AbortController();
    setState('loading');
    const base = `/api/organizations/${orgId}/supporters/${supporterId}`;
    Promise.all([
      api<Supporter>('GET', base, undefined, { signal: controller.signal }),
      api<{ items: TimelineItem[] }>('GET', `${base}/timeline?limit=20`, undefined, {
        signal: controller.signal,
      }),
    ])
      .then(([record, page]) => {
        setSupporter(record);
        setTimeline(page.items);
        setState('ok');
      })
      .catch((failure: unknown) => {
        if (controller.signal.aborted) return;
        const status = failure instanceof ApiError ? failure.status : 0;
        setState(status === 400 || status === 403 || status === 404 ? 'denied' : 'error');
        setError(problemText(failure, t('error.generic')));
      });
    return () => controller.abort();
  }, [orgId, supporterId, t]);
  const date = (iso: string) => new Date(iso).toLocaleString(language === 'it' ? 'it-IT' : 'en-GB');

  if (state === 'denied') return <AccessDenied />;
  if (state === 'error')
    return (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    );
  if (!supporter) return <Loader size="sm" aria-label={t('op.loading')} />;
  const name = [supporter.firstName, supporter.lastName].filter(Boolean).join(' ');
  return (
    <Stack gap="md" data-testid="supporter-detail">
      <Anchor component={Link} to={`${BASE}/${orgId}`} size="sm">
        ← {t('sup.back')}
      </Anchor>
      <Group>
        <Title order={2}>{name || supporter.id}</Title>
        <Badge variant="light">{supporter.status}</Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Card withBorder padding="sm" component="section" aria-labelledby="sup-identity">
          <Title order={3} size="h5" id="sup-identity" mb="xs">
            {t('sup.identity')}
          </Title>
          <Field label={t('sup.fiscalCode')} value={supporter.fiscalCode} />
          <Field label={t('sup.birthDate')} value={supporter.birthDate} />
          <Field label={t('sup.source')} value={supporter.source} />
          <Field label={t('sup.language')} value={supporter.language} />
          <Field
            label={t('sup.externalIds')}
            value={supporter.externalIds.map((e) => `${e.system}: ${e.externalId}`).join(', ')}
          />
          <Field label={t('sup.tags')} value={supporter.tags.join(', ')} />
        </Card>
        <Card withBorder padding="sm" component="section" aria-labelledby="sup-contacts">
          <Title order={3} size="h5" id="sup-contacts" mb="xs">
            {t('sup.contacts')}
          </Title>
          <Field
            label={t('sup.phone')}
            value={supporter.phones.map((p) => `${p.number} (${p.kind}${p.valid ? '' : ', ✗'})`).join(', ')}
          />
          <Field label={t('sup.email')} value={supporter.emails.map((e) => e.email).join(', ')} />
          <Field
            label={t('sup.address')}
            value={supporter.addresses
              .map((a) => [a.line1, a.postalCode, a.city, a.province, a.country].filter(Boolean).join(' '))
              .join('; ')}
          />
        </Card>
        <Card withBorder padding="sm" component="section" aria-labelledby="sup-consents">
          <Title order={3} size="h5" id="sup-consents" mb="xs">
            {t('sup.consents')}
          </Title>
          {supporter.consents.length === 0 && <Text size="sm">{t('common.none')}</Text>}
          {supporter.consents.map((c) => (
            <Text size="sm" key={c.id}>
              {c.channel} · {c.purpose}: {c.granted ? t('sup.granted') : t('sup.refused')} (
              {date(c.recordedAt)})
            </Text>
          ))}
        </Card>
        <Card withBorder padding="sm" component="section" aria-labelledby="sup-timeline">
          <Title order={3} size="h5" id="sup-timeline" mb="xs">
            {t('sup.timeline')}
          </Title>
          {timeline.map((item) => (
            <Text size="sm" key={`${item.type}-${item.id}`}>
              {date(item.at)} · {item.kind}
            </Text>
          ))}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: string | null }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={140}>
        {label}
      </Text>
      <Text size="sm">{value || '—'}</Text>
    </Group>
  );
}
