// Forecast from history (POST /api/wfm/forecast): the organization's offered
// contacts per 15-minute interval over the last days (from the KPI report) or
// an example history, forecast for the next days with the method the backtest
// chose per queue, drawn as one line: history, then forecast.
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import { useOrganizations } from '../live/organizations.ts';
import { dayStart, nextDay } from '../reports/period.ts';
import { exampleHistory, historyFromKpis, type Observation } from './history.ts';

export type ForecastInterval = { intervalStart: string; offered: number; ahtSeconds: number };
export type QueueForecast = {
  queue: string;
  method: 'seasonal_naive' | 'weighted_average' | 'holt_winters';
  wape: number;
  intervals: ForecastInterval[];
};
export type ForecastRun = { history: Observation[]; queues: QueueForecast[] };

const BACKTEST_DAYS = 3;
const num = (value: number | string) => (typeof value === 'number' ? value : Number.NaN);
const localDate = (offsetDays: number) => {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  return day.toLocaleDateString('en-CA');
};

export function Forecast({ run, onRun }: { run: ForecastRun | null; onRun: (run: ForecastRun) => void }) {
  const { t, language, formatNumber } = useI18n();
  const { organizations } = useOrganizations();
  const [source, setSource] = useState<'org' | 'example'>('org');
  const [orgId, setOrgId] = useState<string | null>(null);
  const [queue, setQueue] = useState('');
  const [historyDays, setHistoryDays] = useState<number | string>(14);
  const [horizonDays, setHorizonDays] = useState<number | string>(7);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!orgId && organizations[0]) setOrgId(organizations[0].id);
  }, [organizations, orgId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const days = num(historyDays);
    const horizon = num(horizonDays);
    if (!Number.isInteger(days) || !Number.isInteger(horizon)) return;
    setBusy(true);
    setError(null);
    try {
      let history: Observation[];
      if (source === 'example') history = exampleHistory(days);
      else {
        const org = organizations.find((o) => o.id === orgId);
        if (!org) return;
        const zone = org.timeZone ?? 'Europe/Rome';
        const from = dayStart(localDate(-days), zone);
        const to = dayStart(nextDay(localDate(-1)), zone);
        const filter = queue.trim() ? `&queue=${encodeURIComponent(queue.trim())}` : '';
        const report = await api<{ groups: Parameters<typeof historyFromKpis>[0] }>(
          'GET',
          `/api/organizations/${org.id}/kpis?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&group=interval${filter}`,
        );
        history = historyFromKpis(report.groups);
      }
      if (!history.some((o) => o.offered > 0)) {
        setError(t('planner.forecast.empty'));
        return;
      }
      const result = await api<{ queues: QueueForecast[] }>('POST', '/api/wfm/forecast', {
        history,
        horizonDays: horizon,
        intervalMinutes: 15,
        backtestDays: BACKTEST_DAYS,
      });
      onRun({ history, queues: result.queues });
    } catch (reason) {
      setError(reason instanceof ApiError ? reason.message : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };

  const queueForecast = run?.queues[0];
  const data = useMemo(() => {
    if (!run || !queueForecast) return [];
    const label = (iso: string) =>
      new Date(iso).toLocaleString(language === 'it' ? 'it-IT' : 'en-GB', {
        weekday: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
    // The last week of history, then the forecast.
    const recent = run.history.slice(-7 * 96);
    return [
      ...recent.map((o) => ({ label: label(o.intervalStart), history: o.offered })),
      ...queueForecast.intervals.map((i) => ({
        label: label(i.intervalStart),
        forecast: Math.round(i.offered * 10) / 10,
      })),
    ];
  }, [run, queueForecast, language]);
  const total = queueForecast?.intervals.reduce((sum, i) => sum + i.offered, 0) ?? 0;
  const decimal = language === 'it' ? ',' : '.';

  return (
    <Stack>
      <Title order={2}>{t('planner.tab.forecast')}</Title>
      <Card withBorder component="form" onSubmit={submit}>
        <Stack>
          <div>
            <Text size="sm" fw={500} mb={4} id="forecast-source-label">
              {t('planner.source')}
            </Text>
            <SegmentedControl
              aria-labelledby="forecast-source-label"
              value={source}
              onChange={(value) => setSource(value as 'org' | 'example')}
              data={[
                { value: 'org', label: t('planner.source.org') },
                { value: 'example', label: t('planner.source.example') },
              ]}
            />
          </div>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <Select
              label={t('planner.organization')}
              data={organizations.map((o) => ({ value: o.id, label: o.name }))}
              value={orgId}
              onChange={setOrgId}
              disabled={source === 'example'}
              allowDeselect={false}
            />
            <TextInput
              label={t('planner.queue')}
              value={queue}
              onChange={(event) => setQueue(event.currentTarget.value)}
              disabled={source === 'example'}
            />
            <NumberInput
              label={t('planner.historyDays')}
              value={historyDays}
              onChange={setHistoryDays}
              min={7 + BACKTEST_DAYS}
              max={90}
              allowDecimal={false}
              decimalSeparator={decimal}
            />
            <NumberInput
              label={t('planner.horizonDays')}
              value={horizonDays}
              onChange={setHorizonDays}
              min={1}
              max={31}
              allowDecimal={false}
              decimalSeparator={decimal}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy}>
              {t('planner.forecast.run')}
            </Button>
          </Group>
        </Stack>
      </Card>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {queueForecast && (
        <Card withBorder aria-live="polite">
          <Stack>
            <Group gap="xl">
              <Text>
                {t('planner.forecast.method')}:{' '}
                <b data-testid="forecast-method">
                  {t(`planner.method.${queueForecast.method}` as MessageKey)}
                </b>
              </Text>
              <Text>
                {t('planner.forecast.wape')}:{' '}
                <b>{formatNumber(queueForecast.wape, { style: 'percent', maximumFractionDigits: 1 })}</b>
              </Text>
              <Text>
                {t('planner.forecast.total')}:{' '}
                <b data-testid="forecast-total">{formatNumber(total, { maximumFractionDigits: 0 })}</b>
              </Text>
            </Group>
            <div role="img" aria-label={t('planner.forecast.chart')}>
              <ResponsiveContainer width="100%" height={320}>
                <LineChart data={data}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="label" minTickGap={40} />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Line
                    type="monotone"
                    dataKey="history"
                    name={t('planner.forecast.history')}
                    stroke="#1c7ed6"
                    dot={false}
                    isAnimationActive={false}
                  />
                  <Line
                    type="monotone"
                    dataKey="forecast"
                    name={t('planner.forecast.forecast')}
                    stroke="#e8590c"
                    strokeDasharray="5 3"
                    dot={false}
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            </div>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
