// Staffing per interval (POST /api/wfm/staffing): the first day of the
// forecast (or an example day) through Erlang C or A with the service-level
// target, recalculated as you type: agents per interval as a chart and a table.
import {
  Alert,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import type { ForecastRun } from './Forecast.tsx';
import { exampleHistory } from './history.ts';
import type { Requirements } from './Schedule.tsx';

type Inputs = {
  model: 'c' | 'a';
  thresholdSeconds: number | string;
  targetServiceLevelPercent: number | string;
  patienceSeconds: number | string;
  shrinkagePercent: number | string;
};
type StaffedInterval = {
  start: string | null;
  calls: number;
  ahtSeconds: number;
  agents: number;
  scheduledAgents: number;
  serviceLevel: number;
};
type StaffingResult = {
  requiredAgents: number[];
  intervals: StaffedInterval[];
  totals: { calls: number; scheduledAgentHours: number; serviceLevel: number; peakAgents: number };
};

const num = (value: number | string) => (typeof value === 'number' ? value : Number.NaN);

/** The intervals of the first forecast day (96 of 15 minutes), or of the example's last day. */
function dayOfVolumes(run: ForecastRun | null) {
  const source = run?.queues[0]?.intervals.slice(0, 96);
  if (source?.length)
    return source.map((i) => ({ start: i.intervalStart, calls: i.offered, ahtSeconds: i.ahtSeconds }));
  return exampleHistory(1).map((o) => ({
    start: o.intervalStart,
    calls: o.offered,
    ahtSeconds: o.ahtSeconds ?? 180,
  }));
}

export function Staffing({
  run,
  onRequirements,
}: {
  run: ForecastRun | null;
  onRequirements: (requirements: Requirements | null) => void;
}) {
  const { t, language, formatNumber } = useI18n();
  const [inputs, setInputs] = useState<Inputs>({
    model: 'c',
    thresholdSeconds: 20,
    targetServiceLevelPercent: 80,
    patienceSeconds: 120,
    shrinkagePercent: 30,
  });
  const [debounced] = useDebouncedValue(inputs, 200);
  const [result, setResult] = useState<StaffingResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const volumes = useMemo(() => dayOfVolumes(run), [run]);

  useEffect(() => {
    const values = [
      debounced.thresholdSeconds,
      debounced.targetServiceLevelPercent,
      debounced.shrinkagePercent,
    ].map(num);
    if (values.some((value) => !Number.isFinite(value))) return;
    if (debounced.model === 'a' && !(num(debounced.patienceSeconds) > 0)) return;
    const controller = new AbortController();
    api<StaffingResult>(
      'POST',
      '/api/wfm/staffing',
      {
        intervalSeconds: 900,
        intervals: volumes,
        thresholdSeconds: num(debounced.thresholdSeconds),
        targetServiceLevel: num(debounced.targetServiceLevelPercent) / 100,
        shrinkage: num(debounced.shrinkagePercent) / 100,
        ...(debounced.model === 'a' ? { patienceSeconds: num(debounced.patienceSeconds) } : {}),
      },
      { signal: controller.signal },
    )
      .then((value) => {
        setResult(value);
        setError(null);
        const start = volumes[0]?.start;
        onRequirements(start ? { start, requiredAgents: value.requiredAgents } : null);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setResult(null);
        onRequirements(null);
        setError(reason instanceof ApiError ? reason.message : t('error.generic'));
      });
    return () => controller.abort();
  }, [debounced, volumes, t, onRequirements]);

  const time = (iso: string | null) =>
    iso
      ? new Date(iso).toLocaleTimeString(language === 'it' ? 'it-IT' : 'en-GB', {
          hour: '2-digit',
          minute: '2-digit',
        })
      : '—';
  const busyIntervals = result?.intervals.filter((i) => i.calls > 0) ?? [];
  const percent = (value: number) => formatNumber(value, { style: 'percent', maximumFractionDigits: 1 });
  const field = (key: Exclude<keyof Inputs, 'model'>, label: MessageKey, max?: number) => (
    <NumberInput
      label={t(label)}
      value={inputs[key]}
      onChange={(value) => setInputs((current) => ({ ...current, [key]: value }))}
      min={0}
      {...(max !== undefined ? { max } : {})}
      allowNegative={false}
      decimalSeparator={language === 'it' ? ',' : '.'}
    />
  );

  return (
    <Stack>
      <Title order={2}>{t('planner.tab.staffing')}</Title>
      <Text c="dimmed">
        {run?.queues[0] ? t('planner.staffing.source') : t('planner.staffing.sourceExample')}
      </Text>
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
          <div>
            <Text size="sm" fw={500} mb={4} id="staffing-model-label">
              {t('erlang.model')}
            </Text>
            <SegmentedControl
              aria-labelledby="staffing-model-label"
              value={inputs.model}
              onChange={(value) => setInputs((current) => ({ ...current, model: value as 'c' | 'a' }))}
              data={[
                { value: 'c', label: t('erlang.model.c') },
                { value: 'a', label: t('erlang.model.a') },
              ]}
            />
          </div>
          {field('thresholdSeconds', 'erlang.thresholdSeconds')}
          {field('targetServiceLevelPercent', 'erlang.targetServiceLevel', 100)}
          {inputs.model === 'a' && field('patienceSeconds', 'erlang.patienceSeconds')}
          {field('shrinkagePercent', 'erlang.shrinkage', 99)}
        </SimpleGrid>
      </Card>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {result && (
        <Card withBorder aria-live="polite">
          <Stack>
            <Group gap="xl">
              <Text>
                {t('planner.staffing.peak')}: <b data-testid="staffing-peak">{result.totals.peakAgents}</b>
              </Text>
              <Text>
                {t('planner.staffing.hours')}:{' '}
                <b>{formatNumber(result.totals.scheduledAgentHours, { maximumFractionDigits: 1 })}</b>
              </Text>
              <Text>
                {t('planner.staffing.totalServiceLevel')}: <b>{percent(result.totals.serviceLevel)}</b>
              </Text>
            </Group>
            <div role="img" aria-label={t('planner.staffing.chart')}>
              <ResponsiveContainer width="100%" height={280}>
                <BarChart data={busyIntervals.map((i) => ({ ...i, label: time(i.start) }))}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="label" minTickGap={20} />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar
                    dataKey="agents"
                    name={t('planner.staffing.agents')}
                    fill="#1c7ed6"
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="scheduledAgents"
                    name={t('planner.staffing.scheduled')}
                    fill="#94d82d"
                    isAnimationActive={false}
                  />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <Table.ScrollContainer minWidth={500} mah={400}>
              <Table striped stickyHeader data-testid="staffing-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('planner.staffing.start')}</Table.Th>
                    <Table.Th>{t('planner.staffing.calls')}</Table.Th>
                    <Table.Th>{t('planner.staffing.aht')}</Table.Th>
                    <Table.Th>{t('planner.staffing.agents')}</Table.Th>
                    <Table.Th>{t('planner.staffing.scheduled')}</Table.Th>
                    <Table.Th>{t('planner.staffing.serviceLevel')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {busyIntervals.map((i) => (
                    <Table.Tr key={i.start ?? ''}>
                      <Table.Td>{time(i.start)}</Table.Td>
                      <Table.Td>{formatNumber(i.calls, { maximumFractionDigits: 1 })}</Table.Td>
                      <Table.Td>{formatNumber(i.ahtSeconds, { maximumFractionDigits: 0 })}</Table.Td>
                      <Table.Td>{i.agents}</Table.Td>
                      <Table.Td>{i.scheduledAgents}</Table.Td>
                      <Table.Td>{percent(i.serviceLevel)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
