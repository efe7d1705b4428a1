// The SLA dashboard ("cruscotto SLA", GET …/sla/dashboard): the contract's
// current month so far, each metric against its minimum and target (bands on
// the daily trend), credits and bonus for the invoice the user types, the
// alerts of the month (live: alert.sla on the stream) and the monthly report
// as PDF, HTML or CSV. The organization is in the URL (/sla/:orgId).
import {
  Alert,
  Anchor,
  Badge,
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
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api } from '../api.ts';
import { AccessDenied, OrgSelect, problemText, useOrgRoute } from '../common/orgRoute.tsx';
import { type I18n, type MessageKey, useI18n } from '../i18n.ts';
import { type LiveEvent, throttle, useLiveStream } from '../live/stream.ts';
import { kpiName } from '../reports/Reports.tsx';
import { bandsOf, eurosToCents, type SlaStatus, STATUS_COLOR, scaleOf } from './bands.ts';

type Figure = { value: number | null; definition: { unit: string } };
type MetricResult = {
  id: string;
  kpi: string;
  kind: 'critical' | 'key';
  window: string;
  better: 'higher' | 'lower';
  minimum: number;
  target: number;
  figure: Figure | null;
  value: number | null;
  status: SlaStatus;
  allocationPercent?: number;
  creditPercent: number;
  creditCents: number | null;
  windows?: { shareMetMinimum: number | null; shareMetTarget: number | null; withData: number };
};
type Evaluation = {
  contract: { id: string; name: string; version: number };
  period: { from: string; to: string; month: string; timeZone: string };
  metrics: MetricResult[];
  minimumsMet: boolean;
  bonuses: {
    id: string;
    earned: boolean;
    reason: string;
    percentOfInvoice: number;
    bonusCents: number | null;
  }[];
  creditPercent: number;
  bonusPercent: number;
  netPercent: number;
  invoiceCents: number | null;
  creditCents: number | null;
  bonusCents: number | null;
  netCents: number | null;
};
type Point = { label: string; value: number | null; status: SlaStatus };
type Series = { metricId: string; kpi: string; minimum: number; target: number; points: Point[] };
export type SlaAlert = {
  id: string;
  metricId: string;
  organizationId: string;
  kpi: string;
  window: string;
  windowLabel: string;
  kind: 'below_minimum' | 'recovered';
  value: number | null;
  minimum: number;
  raisedAt: string;
};
type Dashboard = {
  at: string;
  month: string;
  evaluation: Evaluation;
  trend: Series[];
  today: { date: string };
  alerts: SlaAlert[];
};

const BASE = '/sla';

export function statusLabel(t: I18n['t'], status: SlaStatus): string {
  return t(`sla.status.${status}` as MessageKey);
}

export function SlaDashboard() {
  const i18n = useI18n();
  const { t, language } = i18n;
  const route = useOrgRoute(BASE);
  const { orgId, org, denied } = route;
  const [invoiceText, setInvoiceText] = useState('');
  const [invoice] = useDebouncedValue(invoiceText, 400);
  const invoiceCents = eurosToCents(invoice);
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [liveAlerts, setLiveAlerts] = useState<SlaAlert[]>([]);
  const [reloadTick, setReloadTick] = useState(0);

  const query = invoiceCents === null ? '' : `?invoiceCents=${invoiceCents}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadTick asks for a reload
  useEffect(() => {
    if (!org) return;
    const controller = new AbortController();
    setLoading(true);
    api<Dashboard>('GET', `/api/organizations/${org.id}/sla/dashboard${query}`, undefined, {
      signal: controller.signal,
    })
      .then((answer) => {
        setDashboard(answer);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (controller.signal.aborted) return;
        setDashboard(null);
        setError(problemText(failure, t('error.generic')));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [org, query, t, reloadTick]);

  const reload = useMemo(() => throttle(() => setReloadTick((n) => n + 1), 5_000), []);
  useEffect(() => () => reload.cancel(), [reload]);
  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type !== 'alert.sla' || event.organizationId !== orgId) return;
      setLiveAlerts((current) => [event.data as SlaAlert, ...current].slice(0, 50));
      reload();
    },
    [orgId, reload],
  );
  // The first `ready` follows the dashboard's own load; later resets (missed events) reload it.
  const firstReady = useRef(true);
  const onReset = useCallback(() => {
    if (firstReady.current) firstReady.current = false;
    else reload();
  }, [reload]);
  const streamStatus = useLiveStream({ types: ['alert.sla'], onEvent, onReset, enabled: !!org });

  if (denied) return <AccessDenied />;
  const evaluation = dashboard?.evaluation;
  const money = (cents: number | null | undefined) =>
    cents === null || cents === undefined
      ? '—'
      : i18n.formatNumber(cents / 100, { style: 'currency', currency: 'EUR' });
  const percent = (value: number) => `${i18n.formatNumber(value, { maximumFractionDigits: 2 })} %`;
  const month = dashboard?.month ?? new Date().toISOString().slice(0, 7);
  const reportQuery = `?lang=${language}${invoiceCents === null ? '' : `&invoiceCents=${invoiceCents}`}`;
  const mine = liveAlerts.filter((a) => a.organizationId === orgId);
  const seen = new Set(mine.map((a) => a.id));
  const alerts = [...mine, ...(dashboard?.alerts ?? []).filter((a) => !seen.has(a.id))];

  return (
    <Stack gap="md">
      <Title order={2}>{t('sla.title')}</Title>
      <Card withBorder padding="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <OrgSelect route={route} base={BASE} />
          <TextInput
            label={t('sla.invoice')}
            description={t('sla.invoice.hint')}
            value={invoiceText}
            onChange={(e) => setInvoiceText(e.currentTarget.value)}
            inputMode="decimal"
            error={invoice !== '' && invoiceCents === null ? t('sla.invoice.invalid') : undefined}
            w={220}
          />
          {org && (
            <Group gap="xs" aria-label={t('sla.report')} role="group">
              <Text size="sm" fw={500}>
                {t('sla.report')} {month}:
              </Text>
              {(['pdf', 'html', 'csv'] as const).map((ext) => (
                <Anchor
                  key={ext}
                  size="sm"
                  href={`/api/organizations/${org.id}/sla/report/${month}.${ext}${reportQuery}`}
                  {...(ext === 'html' ? { target: '_blank', rel: 'noopener' } : { download: true })}
                >
                  {ext.toUpperCase()}
                </Anchor>
              ))}
            </Group>
          )}
        </Group>
      </Card>
      {error && (
        <Alert color="yellow" role="alert" data-testid="sla-error">
          {error}
        </Alert>
      )}
      {loading && !dashboard && <Loader size="sm" aria-label={t('op.loading')} />}
      {evaluation && dashboard && (
        <>
          <Card withBorder padding="sm" data-testid="sla-summary">
            <Group justify="space-between" wrap="wrap">
              <div>
                <Text fw={600}>
                  {evaluation.contract.name} · v{evaluation.contract.version}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('sla.periodSoFar')} {dashboard.month} (
                  {new Date(evaluation.period.to).toLocaleString(language === 'it' ? 'it-IT' : 'en-GB')})
                </Text>
              </div>
              <Badge color={evaluation.minimumsMet ? 'green' : 'red'} size="lg" variant="light">
                {evaluation.minimumsMet ? t('sla.minimumsMet') : t('sla.minimumsMissed')}
              </Badge>
            </Group>
            <SimpleGrid cols={{ base: 2, md: 4 }} mt="sm">
              <Stat
                label={t('sla.credits')}
                value={`${percent(evaluation.creditPercent)} · ${money(evaluation.creditCents)}`}
                testId="sla-credit"
              />
              <Stat
                label={t('sla.bonus')}
                value={`${percent(evaluation.bonusPercent)} · ${money(evaluation.bonusCents)}`}
                testId="sla-bonus"
              />
              <Stat
                label={t('sla.net')}
                value={`${percent(evaluation.netPercent)} · ${money(evaluation.netCents)}`}
                testId="sla-net"
              />
              <Stat label={t('sla.invoice')} value={money(evaluation.invoiceCents)} testId="sla-invoice" />
            </SimpleGrid>
            {evaluation.bonuses.map((bonus) => (
              <Text key={bonus.id} size="xs" c="dimmed" mt={4}>
                {t('sla.bonus')} {bonus.id}: {bonus.earned ? t('sla.earned') : t('sla.notEarned')} —{' '}
                {bonus.reason}
              </Text>
            ))}
          </Card>
          <Card withBorder padding="sm" component="section" aria-labelledby="sla-metrics-title">
            <Title order={3} size="h4" id="sla-metrics-title" mb="xs">
              {t('sla.metrics')}
            </Title>
            <Table.ScrollContainer minWidth={700}>
              <Table fz="sm" data-testid="sla-metrics">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('sla.metric')}</Table.Th>
                    <Table.Th>{t('sla.window')}</Table.Th>
                    <Table.Th>{t('sla.value')}</Table.Th>
                    <Table.Th>{t('sla.minimum')}</Table.Th>
                    <Table.Th>{t('sla.target')}</Table.Th>
                    <Table.Th>{t('sla.status')}</Table.Th>
                    <Table.Th>{t('sla.credit')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {evaluation.metrics.map((m) => (
                    <Table.Tr key={m.id} data-testid={`sla-metric-${m.id}`}>
                      <Table.Td>
                        {kpiName(t, m.kpi)}
                        <Text span size="xs" c="dimmed">
                          {' '}
                          {m.kind === 'critical' ? t('sla.kind.critical') : t('sla.kind.key')}
                          {m.allocationPercent ? ` · ${m.allocationPercent} %` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>{t(`sla.window.${m.window}` as MessageKey)}</Table.Td>
                      <Table.Td>{formatLevel(i18n, m.figure?.definition.unit, m.value)}</Table.Td>
                      <Table.Td>{formatLevel(i18n, m.figure?.definition.unit, m.minimum)}</Table.Td>
                      <Table.Td>{formatLevel(i18n, m.figure?.definition.unit, m.target)}</Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[m.status]} variant="light">
                          {statusLabel(t, m.status)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {m.kind === 'critical'
                          ? `${percent(m.creditPercent)} · ${money(m.creditCents)}`
                          : '—'}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {dashboard.trend.map((series) => {
              const metric = evaluation.metrics.find((m) => m.id === series.metricId);
              return metric ? (
                <TrendChart
                  key={series.metricId}
                  series={series}
                  metric={metric}
                  today={dashboard.today.date}
                />
              ) : null;
            })}
          </SimpleGrid>
        </>
      )}
      <Card withBorder padding="sm" component="section" aria-labelledby="sla-alerts-title">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4" id="sla-alerts-title">
            {t('sla.alerts')}
          </Title>
          <Badge variant="dot" color={streamStatus === 'open' ? 'green' : 'gray'}>
            {streamStatus === 'open' ? t('sla.live') : t('sla.offline')}
          </Badge>
        </Group>
        {alerts.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('sla.noAlerts')}
          </Text>
        ) : (
          <Stack gap={4} data-testid="sla-alerts" aria-live="polite">
            {alerts.map((alert) => (
              <Group key={alert.id} gap="xs">
                <Badge color={alert.kind === 'below_minimum' ? 'red' : 'green'} variant="light">
                  {alert.kind === 'below_minimum' ? t('sla.alert.below') : t('sla.alert.recovered')}
                </Badge>
                <Text size="sm">
                  {kpiName(t, alert.kpi)} ({alert.windowLabel}):{' '}
                  {formatLevel(
                    i18n,
                    alert.kpi === 'asa' || alert.kpi === 'aht' ? 'seconds' : 'ratio',
                    alert.value,
                  )}{' '}
                  · {new Date(alert.raisedAt).toLocaleTimeString(language === 'it' ? 'it-IT' : 'en-GB')}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Card>
    </Stack>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

export function formatLevel(
  i18n: Pick<I18n, 'formatNumber'>,
  unit: string | undefined,
  value: number | null,
): string {
  if (value === null) return '—';
  if (unit === 'ratio') return i18n.formatNumber(value, { style: 'percent', maximumFractionDigits: 1 });
  if (unit === 'seconds') return `${i18n.formatNumber(value, { maximumFractionDigits: 1 })} s`;
  return i18n.formatNumber(value, { maximumFractionDigits: 2 });
}

const BAND_FILL: Record<string, string> = {
  below_minimum: 'var(--mantine-color-red-2)',
  between: 'var(--mantine-color-yellow-2)',
  at_target: 'var(--mantine-color-green-2)',
};

function TrendChart({ series, metric, today }: { series: Series; metric: MetricResult; today: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const unit = metric.figure?.definition.unit;
  const scale = scaleOf(unit);
  const points = series.points.map((p) => ({
    label: p.label.slice(5),
    value: p.value === null ? null : p.value * scale,
  }));
  // Before the month's first closed contact the trend is empty; a day without a value keeps
  // the axes and the bands (recharts draws no reference areas over an empty chart).
  const data = points.length > 0 ? points : [{ label: today.slice(5), value: null }];
  const top =
    unit === 'ratio'
      ? 100
      : Math.max(...data.map((d) => d.value ?? 0), metric.minimum * scale * 1.3, metric.target * scale * 1.3);
  const titleId = `sla-trend-${series.metricId}`;
  return (
    <Card withBorder padding="sm" component="figure" m={0} aria-labelledby={titleId} data-testid={titleId}>
      <Group justify="space-between">
        <Text fw={600} id={titleId}>
          {kpiName(t, series.kpi)} · {t(`sla.window.${metric.window}` as MessageKey)}
        </Text>
        <Badge color={STATUS_COLOR[metric.status]} variant="light">
          {statusLabel(t, metric.status)}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        {t('sla.trend')}
      </Text>
      <div style={{ width: '100%', height: 200 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            {bandsOf(metric.minimum * scale, metric.target * scale, metric.better, top).map((band) => (
              <ReferenceArea
                key={band.status}
                y1={band.y1}
                y2={band.y2}
                fill={BAND_FILL[band.status]}
                fillOpacity={0.5}
                ifOverflow="extendDomain"
              />
            ))}
            <ReferenceLine
              y={metric.minimum * scale}
              stroke="var(--mantine-color-red-7)"
              strokeDasharray="4 2"
              label={{ value: t('sla.minimum'), fontSize: 10, position: 'insideBottomRight' }}
            />
            <ReferenceLine
              y={metric.target * scale}
              stroke="var(--mantine-color-green-8)"
              strokeDasharray="4 2"
              label={{ value: t('sla.target'), fontSize: 10, position: 'insideTopRight' }}
            />
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis fontSize={11} unit={unit === 'ratio' ? '%' : ''} domain={[0, Math.ceil(top)]} />
            <Tooltip
              formatter={(value) =>
                typeof value === 'number'
                  ? `${i18n.formatNumber(value, { maximumFractionDigits: 1 })}${unit === 'ratio' ? ' %' : ''}`
                  : String(value)
              }
            />
            <Line
              type="monotone"
              dataKey="value"
              stroke="var(--mantine-color-blue-7)"
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
              connectNulls
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}
