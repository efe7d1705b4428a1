// What-if simulation (POST /api/wfm/simulate): one queue open 08:00–20:00 with
// a day's calls spread over a morning and an afternoon peak, handle time and
// caller patience (exponential) and a number of operators; the simulated day's
// KPIs (service level, ASA, abandon rate, occupancy) with their confidence
// intervals over the replications.
import { Alert, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';

type Estimate = { value: number | null; low: number | null; high: number | null };
type SimulationResult = {
  replications: number;
  confidenceLevel: number;
  center: {
    totals: {
      offered: Estimate;
      serviceLevel: Estimate;
      asaSeconds: Estimate;
      abandonRate: Estimate;
      occupancy: Estimate;
    };
  };
};
type Inputs = {
  callsPerDay: number | string;
  ahtSeconds: number | string;
  patienceSeconds: number | string;
  operators: number | string;
  thresholdSeconds: number | string;
  replications: number | string;
};

const num = (value: number | string) => (typeof value === 'number' ? value : Number.NaN);

/** A day's calls over 48 half hours, open 08:00–20:00, peaks at 10:30 and 15:30. */
export function callsPerHalfHour(callsPerDay: number): number[] {
  const shape = Array.from({ length: 48 }, (_, i) => {
    const hour = i / 2 + 0.25;
    if (hour < 8 || hour >= 20) return 0;
    return Math.exp(-((hour - 10.5) ** 2) / 4) + 0.8 * Math.exp(-((hour - 15.5) ** 2) / 5) + 0.1;
  });
  const sum = shape.reduce((a, b) => a + b, 0);
  return shape.map((s) => Math.round(((callsPerDay * s) / sum) * 10) / 10);
}

export function Simulation() {
  const { t, language, formatNumber } = useI18n();
  const [inputs, setInputs] = useState<Inputs>({
    callsPerDay: 1_200,
    ahtSeconds: 240,
    patienceSeconds: 120,
    operators: 12,
    thresholdSeconds: 20,
    replications: 20,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SimulationResult | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (Object.values(inputs).some((value) => !Number.isFinite(num(value)))) return;
    const v = (key: keyof Inputs) => num(inputs[key]);
    setBusy(true);
    setError(null);
    try {
      const value = await api<SimulationResult>('POST', '/api/wfm/simulate', {
        replications: v('replications'),
        seed: 1,
        scenario: {
          name: 'what-if',
          intervalMinutes: 30,
          intervals: 48,
          kpi: { thresholdSeconds: v('thresholdSeconds') },
          organizations: [{ id: 'org', name: 'what-if' }],
          queues: [
            {
              id: 'queue',
              organization: 'org',
              callsPerInterval: callsPerHalfHour(v('callsPerDay')),
              handleTime: { kind: 'exponential', meanSeconds: v('ahtSeconds') },
              patience: { kind: 'exponential', meanSeconds: v('patienceSeconds') },
            },
          ],
          operators: [
            {
              id: 'team',
              count: v('operators'),
              skills: ['queue'],
              shifts: [{ startMinutes: 480, endMinutes: 1200 }],
            },
          ],
        },
      });
      setResult(value);
    } catch (reason) {
      setResult(null);
      setError(reason instanceof ApiError ? reason.message : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof Inputs, label: MessageKey, props: { min?: number; max?: number } = {}) => (
    <NumberInput
      label={t(label)}
      value={inputs[key]}
      onChange={(value) => setInputs((current) => ({ ...current, [key]: value }))}
      min={props.min ?? 0}
      {...(props.max !== undefined ? { max: props.max } : {})}
      allowNegative={false}
      allowDecimal={false}
      thousandSeparator={language === 'it' ? '.' : ','}
      decimalSeparator={language === 'it' ? ',' : '.'}
    />
  );
  const percent = (value: number | null) =>
    value === null ? '—' : formatNumber(value, { style: 'percent', maximumFractionDigits: 1 });
  const seconds = (value: number | null) =>
    value === null ? '—' : `${formatNumber(value, { maximumFractionDigits: 1 })} s`;
  const kpi = (
    label: MessageKey,
    estimate: Estimate,
    format: (value: number | null) => string,
    testId: string,
  ) => (
    <Group justify="space-between">
      <Text>{t(label)}</Text>
      <Text>
        <b data-testid={testId}>{format(estimate.value)}</b>{' '}
        <Text span c="dimmed" size="sm">
          ({format(estimate.low)} – {format(estimate.high)})
        </Text>
      </Text>
    </Group>
  );

  return (
    <Stack>
      <Title order={2}>{t('planner.tab.simulation')}</Title>
      <Card withBorder component="form" onSubmit={submit}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {field('callsPerDay', 'planner.simulation.callsPerDay')}
            {field('ahtSeconds', 'planner.simulation.aht', { min: 1 })}
            {field('patienceSeconds', 'erlang.patienceSeconds', { min: 1 })}
            {field('operators', 'planner.simulation.operators', { max: 1000 })}
            {field('thresholdSeconds', 'erlang.thresholdSeconds')}
            {field('replications', 'planner.simulation.replications', { min: 1, max: 200 })}
          </SimpleGrid>
          <Text size="sm" c="dimmed">
            {t('planner.simulation.hint')}
          </Text>
          <Group>
            <Button type="submit" loading={busy}>
              {t('planner.simulation.run')}
            </Button>
          </Group>
        </Stack>
      </Card>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {result && (
        <Card withBorder aria-live="polite">
          <Stack gap="xs">
            <Text size="sm" c="dimmed">
              {t('planner.simulation.ci')
                .replace('{level}', percent(result.confidenceLevel))
                .replace('{n}', String(result.replications))}
            </Text>
            {kpi(
              'erlang.serviceLevel',
              result.center.totals.serviceLevel,
              percent,
              'simulation-service-level',
            )}
            {kpi('erlang.asa', result.center.totals.asaSeconds, seconds, 'simulation-asa')}
            {kpi('erlang.abandonRate', result.center.totals.abandonRate, percent, 'simulation-abandon')}
            {kpi('erlang.occupancy', result.center.totals.occupancy, percent, 'simulation-occupancy')}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
