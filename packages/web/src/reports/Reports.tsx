// The reports page ("cruscotto"): KPI figures of an organization over a
// period, per 15-minute interval, day or month (GET …/kpis), as charts and as a
// table whose every figure opens the interactions behind it (GET
// …/kpis/:kpi/interactions: numerator and denominator), exportable as CSV and XLSX (built in the browser, xlsx.ts).
// A client viewer's organization list holds only its own organization (the
// server answers for no other anyway).
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  MultiSelect,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ApiError, api } from '../api.ts';
import { AccessDenied } from '../common/orgRoute.tsx';
import { type I18n, type MessageKey, messages, useI18n } from '../i18n.ts';
import { useOrganizations } from '../live/organizations.ts';
import { toCsv } from './csv.ts';
import { dayStart, nextDay } from './period.ts';
import { toXlsx, XLSX_TYPE } from './xlsx.ts';

type Figure = {
  kpi: string;
  value: number | null;
  numerator: number;
  denominator: number | null;
  reason?: string;
  definition: { unit: string; better: 'higher' | 'lower' | null; formula: string };
};
type Report = {
  from: string;
  to: string;
  group: string;
  timeZone: string;
  groups: { label: string; from: string; to: string; figures: Record<string, Figure> }[];
  total: Record<string, Figure>;
};
type DrillRow = {
  id: string;
  externalId: string | null;
  channel: string;
  direction: string;
  queue: string | null;
  campaign: string | null;
  operator: string | null;
  supporterId: string | null;
  countedAt: string;
  answeredAt: string | null;
  abandonedAt: string | null;
  waitSeconds: number | null;
  inNumerator: boolean;
  inDenominator: boolean;
};
type Drill = { kpi: string; label: string; from: string; to: string; rows: DrillRow[]; next: string | null };

const DEFAULT_KPIS = ['service_level', 'abandon_rate', 'asa', 'aht'];
/** The service-level target drawn on its chart (contracts carry their own; see the SLA dashboard). */
const SERVICE_LEVEL_TARGET = 0.8;
type GroupBy = 'interval' | 'day' | 'month';

const todayIso = () => new Date().toLocaleDateString('en-CA');

export function kpiName(t: I18n['t'], kpi: string): string {
  const key = `kpi.${kpi}`;
  return key in messages.it ? t(key as MessageKey) : kpi.replaceAll('_', ' ');
}

export function formatFigure(i18n: Pick<I18n, 'formatNumber'>, figure: Figure | undefined): string {
  if (!figure || figure.value === null) return '—';
  const { value } = figure;
  const f = i18n.formatNumber;
  switch (figure.definition.unit) {
    case 'ratio':
      return f(value, { style: 'percent', maximumFractionDigits: 1 });
    case 'seconds':
      return `${f(value, { maximumFractionDigits: 1 })} s`;
    case 'hours':
      return `${f(value, { maximumFractionDigits: 1 })} h`;
    case 'per_hour':
      return `${f(value, { maximumFractionDigits: 2 })}/h`;
    case 'cents':
      return f(value / 100, { style: 'currency', currency: 'EUR' });
    default:
      return f(value, { maximumFractionDigits: 2 });
  }
}

export function Reports() {
  const i18n = useI18n();
  const { t, language } = i18n;
  const { organizations, error: orgError } = useOrganizations();
  const [orgId, setOrgId] = useState<string | null>(null);
  const [from, setFrom] = useState(todayIso());
  const [to, setTo] = useState(todayIso());
  const [group, setGroup] = useState<GroupBy>('interval');
  const [direction, setDirection] = useState<string>('all');
  const [kpis, setKpis] = useState<string[]>(DEFAULT_KPIS);
  const [report, setReport] = useState<Report | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);
  const [drillBusy, setDrillBusy] = useState(false);
  const [operatorNames, setOperatorNames] = useState<Map<string, string>>(new Map());

  // "Today" is the center's day: its live clock may be simulated (the demo, started at night at
  // the lines' next opening), and the browser's date would then show the day before its calls.
  const initialDay = useRef(from);
  useEffect(() => {
    api<{ date: string }>('GET', '/api/center/clock')
      .then(({ date }) => {
        setFrom((current) => (current === initialDay.current ? date : current));
        setTo((current) => (current === initialDay.current ? date : current));
      })
      .catch(() => undefined);
  }, []);

  // Operators by name where the role may read them (center staff); else their ids.
  useEffect(() => {
    api<{ items: { userId: string; displayName: string }[] }>('GET', '/api/live/operators')
      .then((page) => setOperatorNames(new Map(page.items.map((o) => [o.userId, o.displayName]))))
      .catch(() => undefined);
  }, []);

  // /reports/:orgId opens that organization; one the user does not work for is denied.
  const { orgId: urlOrgId } = useParams();
  const urlDenied =
    urlOrgId !== undefined &&
    (organizations.length > 0 || orgError) &&
    !organizations.some((o) => o.id === urlOrgId);
  useEffect(() => {
    if (urlOrgId && organizations.some((o) => o.id === urlOrgId)) setOrgId(urlOrgId);
    else if (!orgId && organizations[0] && !urlOrgId) setOrgId(organizations[0].id);
  }, [organizations, orgId, urlOrgId]);
  const org = organizations.find((o) => o.id === orgId);
  const timeZone = org?.timeZone ?? 'Europe/Rome';

  const filter = useMemo(() => (direction === 'all' ? '' : `&direction=${direction}`), [direction]);

  useEffect(() => {
    if (!orgId || !from || !to || to < from) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setDrill(null);
    const period = `from=${encodeURIComponent(dayStart(from, timeZone))}&to=${encodeURIComponent(
      dayStart(nextDay(to), timeZone),
    )}`;
    api<Report>('GET', `/api/organizations/${orgId}/kpis?${period}&group=${group}${filter}`, undefined, {
      signal: controller.signal,
    })
      .then(setReport)
      .catch((failure: unknown) => {
        if (controller.signal.aborted) return;
        setReport(null);
        setError(failure instanceof ApiError ? failure.message : t('error.generic'));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [orgId, from, to, group, filter, timeZone, t]);

  const openDrill = useCallback(
    async (kpi: string, label: string, periodFrom: string, periodTo: string, cursor?: string) => {
      if (!orgId) return;
      setDrillBusy(true);
      try {
        const query = `from=${encodeURIComponent(periodFrom)}&to=${encodeURIComponent(periodTo)}&limit=200${filter}${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`;
        const page = await api<{ items: DrillRow[]; nextCursor: string | null }>(
          'GET',
          `/api/organizations/${orgId}/kpis/${kpi}/interactions?${query}`,
        );
        setDrill((current) => ({
          kpi,
          label,
          from: periodFrom,
          to: periodTo,
          rows: cursor && current ? [...current.rows, ...page.items] : page.items,
          next: page.nextCursor,
        }));
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : t('error.generic'));
      } finally {
        setDrillBusy(false);
      }
    },
    [orgId, filter, t],
  );

  const kpiOptions = report
    ? Object.keys(report.total).map((k) => ({ value: k, label: kpiName(t, k) }))
    : DEFAULT_KPIS.map((k) => ({ value: k, label: kpiName(t, k) }));
  const groupLabel = (label: string) => (group === 'interval' ? label.slice(11, 16) || label : label);

  if (urlDenied) return <AccessDenied />;
  return (
    <Stack gap="md">
      <Title order={2}>{t('rep.title')}</Title>
      <Card withBorder padding="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('rep.organization')}
            data={organizations.map((o) => ({ value: o.id, label: o.name }))}
            value={orgId}
            onChange={setOrgId}
            allowDeselect={false}
            w={240}
          />
          <TextInput
            type="date"
            label={t('rep.from')}
            value={from}
            max={to}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('rep.to')}
            value={to}
            min={from}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="rep-group-label">
              {t('rep.groupBy')}
            </Text>
            <SegmentedControl
              aria-labelledby="rep-group-label"
              value={group}
              onChange={(value) => setGroup(value as GroupBy)}
              data={[
                { value: 'interval', label: t('rep.group.interval') },
                { value: 'day', label: t('rep.group.day') },
                { value: 'month', label: t('rep.group.month') },
              ]}
            />
          </Stack>
          <Select
            label={t('rep.direction')}
            data={[
              { value: 'all', label: t('rep.direction.all') },
              { value: 'inbound', label: t('rep.direction.inbound') },
              { value: 'outbound', label: t('rep.direction.outbound') },
            ]}
            value={direction}
            onChange={(value) => setDirection(value ?? 'all')}
            allowDeselect={false}
            w={150}
          />
        </Group>
        <MultiSelect
          mt="sm"
          label={t('rep.kpis')}
          data={kpiOptions}
          value={kpis}
          onChange={setKpis}
          searchable
          maxValues={6}
        />
      </Card>
      {(error || orgError) && (
        <Alert color="red" role="alert">
          {error ?? t('error.generic')}
        </Alert>
      )}
      {loading && <Loader size="sm" aria-label={t('op.loading')} />}
      {report && (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {kpis.map((kpi) => (
              <KpiChart
                key={kpi}
                kpi={kpi}
                report={report}
                groupLabel={groupLabel}
                onPick={(g) => void openDrill(kpi, groupLabel(g.label), g.from, g.to)}
              />
            ))}
          </SimpleGrid>
          <Card withBorder padding="sm" component="section" aria-labelledby="rep-table-title">
            <Title order={3} size="h4" id="rep-table-title" mb="xs">
              {t('rep.figures')}
            </Title>
            <Text size="xs" c="dimmed" mb="xs">
              {t('rep.drillHint')}
            </Text>
            <Table.ScrollContainer minWidth={500} maxHeight={360}>
              <Table stickyHeader fz="sm" data-testid="kpi-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('rep.period')}</Table.Th>
                    {kpis.map((kpi) => (
                      <Table.Th key={kpi} title={report.total[kpi]?.definition.formula}>
                        {kpiName(t, kpi)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  <Table.Tr fw={600}>
                    <Table.Td>{t('rep.total')}</Table.Td>
                    {kpis.map((kpi) => (
                      <Table.Td key={kpi}>
                        <FigureButton
                          figure={report.total[kpi]}
                          onClick={() => void openDrill(kpi, t('rep.total'), report.from, report.to)}
                        />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                  {report.groups
                    .filter((g) =>
                      kpis.some((kpi) => (g.figures[kpi]?.denominator ?? g.figures[kpi]?.numerator ?? 0) > 0),
                    )
                    .map((g) => (
                      <Table.Tr key={g.from}>
                        <Table.Td>{groupLabel(g.label)}</Table.Td>
                        {kpis.map((kpi) => (
                          <Table.Td key={kpi}>
                            <FigureButton
                              figure={g.figures[kpi]}
                              onClick={() => void openDrill(kpi, groupLabel(g.label), g.from, g.to)}
                            />
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </>
      )}
      {(drill || drillBusy) && (
        <DrillTable
          drill={drill}
          busy={drillBusy}
          language={language}
          operatorNames={operatorNames}
          onMore={() =>
            drill?.next && void openDrill(drill.kpi, drill.label, drill.from, drill.to, drill.next)
          }
        />
      )}
    </Stack>
  );
}

function FigureButton({ figure, onClick }: { figure: Figure | undefined; onClick: () => void }) {
  const i18n = useI18n();
  const text = formatFigure(i18n, figure);
  if (!figure || (figure.denominator ?? figure.numerator) === 0) return <span>{text}</span>;
  return (
    <Button
      variant="subtle"
      size="compact-sm"
      onClick={onClick}
      title={`${figure.numerator}${figure.denominator === null ? '' : ` / ${figure.denominator}`}`}
      data-testid={`figure-${figure.kpi}`}
    >
      {text}
    </Button>
  );
}

function KpiChart({
  kpi,
  report,
  groupLabel,
  onPick,
}: {
  kpi: string;
  report: Report;
  groupLabel: (label: string) => string;
  onPick: (group: Report['groups'][number]) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const unit = report.total[kpi]?.definition.unit ?? 'count';
  const scale = unit === 'ratio' ? 100 : unit === 'cents' ? 0.01 : 1;
  const data = report.groups.map((g) => ({
    label: groupLabel(g.label),
    value:
      g.figures[kpi]?.value === null || g.figures[kpi] === undefined
        ? null
        : (g.figures[kpi].value ?? 0) * scale,
    group: g,
  }));
  const titleId = `chart-${kpi}`;
  return (
    <Card
      withBorder
      padding="sm"
      component="figure"
      m={0}
      aria-labelledby={titleId}
      data-testid={`chart-${kpi}`}
    >
      <Group justify="space-between">
        <Text fw={600} id={titleId}>
          {kpiName(t, kpi)}
        </Text>
        <Badge variant="light">
          {t('rep.total')}: {formatFigure(i18n, report.total[kpi])}
        </Badge>
      </Group>
      <div style={{ width: '100%', height: 200 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={11} minTickGap={12} />
            <YAxis fontSize={11} unit={unit === 'ratio' ? '%' : ''} />
            <Tooltip
              formatter={(value) =>
                typeof value === 'number'
                  ? `${i18n.formatNumber(value, { maximumFractionDigits: 1 })}${unit === 'ratio' ? ' %' : ''}`
                  : String(value)
              }
            />
            {kpi === 'service_level' && (
              <ReferenceLine
                y={SERVICE_LEVEL_TARGET * 100}
                stroke="var(--mantine-color-green-7)"
                strokeDasharray="4 2"
                label={{ value: t('rep.target'), fontSize: 11, position: 'insideTopRight' }}
              />
            )}
            <Bar
              dataKey="value"
              fill="var(--mantine-color-blue-6)"
              cursor="pointer"
              isAnimationActive={false}
              onClick={(entry) => {
                const group = (entry as unknown as { payload?: { group?: Report['groups'][number] } }).payload
                  ?.group;
                if (group) onPick(group);
              }}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}

const DRILL_COLUMNS = [
  'countedAt',
  'channel',
  'direction',
  'queue',
  'campaign',
  'operator',
  'waitSeconds',
  'inNumerator',
  'inDenominator',
  'id',
] as const;

function DrillTable({
  drill,
  busy,
  language,
  operatorNames,
  onMore,
}: {
  drill: Drill | null;
  busy: boolean;
  language: string;
  operatorNames: Map<string, string>;
  onMore: () => void;
}) {
  const { t } = useI18n();
  const time = (iso: string) => new Date(iso).toLocaleString(language === 'it' ? 'it-IT' : 'en-GB');
  const cell = (row: DrillRow, column: (typeof DRILL_COLUMNS)[number]) => {
    const value = row[column];
    if (column === 'countedAt') return time(row.countedAt);
    if (typeof value === 'boolean') return value ? '✓' : '';
    if (column === 'id') return row.id.slice(0, 8);
    if (column === 'operator' && row.operator) return operatorNames.get(row.operator) ?? row.operator;
    return value ?? '—';
  };
  const [xlsxBusy, setXlsxBusy] = useState(false);
  const exportColumns = [
    'id',
    'externalId',
    ...DRILL_COLUMNS.filter((c) => c !== 'id'),
    'supporterId',
    'answeredAt',
    'abandonedAt',
  ];
  const save = (blob: Blob, extension: string) => {
    if (!drill) return;
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${drill.kpi}-${drill.from.slice(0, 16).replace(/[:T]/g, '')}.${extension}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  function download() {
    if (!drill) return;
    const csv = toCsv(exportColumns, drill.rows as unknown as Record<string, unknown>[]);
    save(new Blob([csv], { type: 'text/csv;charset=utf-8' }), 'csv');
  }
  async function downloadXlsx() {
    if (!drill) return;
    setXlsxBusy(true);
    try {
      const bytes = await toXlsx(
        drill.kpi,
        exportColumns,
        drill.rows as unknown as Record<string, unknown>[],
      );
      save(new Blob([bytes as BlobPart], { type: XLSX_TYPE }), 'xlsx');
    } finally {
      setXlsxBusy(false);
    }
  }
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="drill-title" data-testid="drill">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="drill-title">
          {t('rep.drill.title')}
          {drill ? ` · ${kpiName(t, drill.kpi)} · ${drill.label}` : ''}
        </Title>
        <Group gap="xs">
          {drill && (
            <Text size="sm" c="dimmed" data-testid="drill-count">
              {drill.rows.length} {t('rep.drill.rows')}
            </Text>
          )}
          <Button size="xs" variant="light" onClick={download} disabled={!drill || drill.rows.length === 0}>
            {t('rep.drill.csv')}
          </Button>
          <Button
            size="xs"
            variant="light"
            onClick={() => void downloadXlsx()}
            loading={xlsxBusy}
            disabled={!drill || drill.rows.length === 0}
          >
            {t('desk.xlsx')}
          </Button>
        </Group>
      </Group>
      {busy && !drill && <Loader size="sm" aria-label={t('op.loading')} />}
      {drill && (
        <Table.ScrollContainer minWidth={900} maxHeight={400}>
          <Table stickyHeader striped fz="xs" data-testid="drill-table">
            <Table.Thead>
              <Table.Tr>
                {DRILL_COLUMNS.map((c) => (
                  <Table.Th key={c}>{t(`rep.col.${c}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {drill.rows.map((row) => (
                <Table.Tr key={row.id}>
                  {DRILL_COLUMNS.map((c) => (
                    <Table.Td key={c}>{cell(row, c)}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {drill?.next && (
        <Button mt="xs" size="xs" variant="default" onClick={onMore} loading={busy}>
          {t('rep.drill.more')}
        </Button>
      )}
    </Card>
  );
}
