// Erlang C and A as you type: each change asks POST /api/wfm/erlang (the same
// calculation as `centralino erlang`) after a short pause, cancelling the
// previous request, so the figures follow the inputs without a button.
import {
  Alert,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';

type Inputs = {
  model: 'c' | 'a';
  calls: number | string;
  intervalMinutes: number | string;
  ahtSeconds: number | string;
  thresholdSeconds: number | string;
  targetServiceLevelPercent: number | string;
  patienceSeconds: number | string;
  shrinkagePercent: number | string;
};

type ErlangResult = {
  agents: number;
  scheduledAgents?: number;
  metrics: {
    serviceLevel: number;
    asaSeconds: number | null;
    occupancy: number;
    probabilityOfWaiting: number;
    probabilityOfAbandon: number;
  };
};

// The reference case of the shared test vectors (pyworkforce; CRAN ErlangC):
// 100 calls in 30 minutes, 180 s handle time, 80 % within 20 s → 14 operators.
const INITIAL: Inputs = {
  model: 'c',
  calls: 100,
  intervalMinutes: 30,
  ahtSeconds: 180,
  thresholdSeconds: 20,
  targetServiceLevelPercent: 80,
  patienceSeconds: 120,
  shrinkagePercent: 30,
};

const num = (value: number | string) => (typeof value === 'number' ? value : Number.NaN);

export function ErlangCalculator() {
  const { t, language, formatNumber } = useI18n();
  const [inputs, setInputs] = useState<Inputs>(INITIAL);
  const [debounced] = useDebouncedValue(inputs, 150);
  const [result, setResult] = useState<ErlangResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const fields = [
      debounced.calls,
      debounced.intervalMinutes,
      debounced.ahtSeconds,
      debounced.thresholdSeconds,
      debounced.targetServiceLevelPercent,
      debounced.shrinkagePercent,
    ].map(num);
    if (fields.some((value) => !Number.isFinite(value))) return;
    const controller = new AbortController();
    setBusy(true);
    api<ErlangResult>(
      'POST',
      '/api/wfm/erlang',
      {
        model: debounced.model,
        calls: num(debounced.calls),
        intervalSeconds: num(debounced.intervalMinutes) * 60,
        ahtSeconds: num(debounced.ahtSeconds),
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
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setResult(null);
        setError(reason instanceof ApiError ? reason.message : t('error.generic'));
      })
      .finally(() => {
        if (!controller.signal.aborted) setBusy(false);
      });
    return () => controller.abort();
  }, [debounced, t]);

  const field = (
    key: Exclude<keyof Inputs, 'model'>,
    label: MessageKey,
    props: { min?: number; max?: number } = {},
  ) => (
    <NumberInput
      label={t(label)}
      value={inputs[key]}
      onChange={(value) => setInputs((current) => ({ ...current, [key]: value }))}
      min={props.min ?? 0}
      {...(props.max !== undefined ? { max: props.max } : {})}
      allowNegative={false}
      decimalSeparator={language === 'it' ? ',' : '.'}
    />
  );
  const percent = (value: number) => formatNumber(value, { style: 'percent', maximumFractionDigits: 1 });

  return (
    <Stack>
      <Title order={2}>{t('erlang.title')}</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack>
            <div>
              <Text size="sm" fw={500} mb={4} id="erlang-model-label">
                {t('erlang.model')}
              </Text>
              <SegmentedControl
                aria-labelledby="erlang-model-label"
                value={inputs.model}
                onChange={(value) => setInputs((current) => ({ ...current, model: value as 'c' | 'a' }))}
                data={[
                  { value: 'c', label: t('erlang.model.c') },
                  { value: 'a', label: t('erlang.model.a') },
                ]}
              />
            </div>
            {field('calls', 'erlang.calls')}
            {field('intervalMinutes', 'erlang.intervalMinutes', { min: 1 })}
            {field('ahtSeconds', 'erlang.ahtSeconds', { min: 1 })}
            {field('thresholdSeconds', 'erlang.thresholdSeconds')}
            {field('targetServiceLevelPercent', 'erlang.targetServiceLevel', { max: 100 })}
            {inputs.model === 'a' && field('patienceSeconds', 'erlang.patienceSeconds', { min: 1 })}
            {field('shrinkagePercent', 'erlang.shrinkage', { max: 99 })}
          </Stack>
        </Card>
        <Card withBorder aria-live="polite" aria-busy={busy}>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {result && (
            <Stack gap="xs">
              <Group justify="space-between">
                <Text>{t('erlang.agents')}</Text>
                <Text fw={700} size="xl" data-testid="erlang-agents">
                  {result.agents}
                </Text>
              </Group>
              {result.scheduledAgents !== undefined && (
                <Group justify="space-between">
                  <Text>{t('erlang.scheduledAgents')}</Text>
                  <Text fw={700} size="xl" data-testid="erlang-scheduled-agents">
                    {result.scheduledAgents}
                  </Text>
                </Group>
              )}
              <Group justify="space-between">
                <Text>{t('erlang.serviceLevel')}</Text>
                <Text data-testid="erlang-service-level">{percent(result.metrics.serviceLevel)}</Text>
              </Group>
              <Group justify="space-between">
                <Text>{t('erlang.asa')}</Text>
                <Text data-testid="erlang-asa">
                  {result.metrics.asaSeconds === null
                    ? '—'
                    : `${formatNumber(result.metrics.asaSeconds, { maximumFractionDigits: 1 })} s`}
                </Text>
              </Group>
              <Group justify="space-between">
                <Text>{t('erlang.occupancy')}</Text>
                <Text>{percent(result.metrics.occupancy)}</Text>
              </Group>
              <Group justify="space-between">
                <Text>{t('erlang.probabilityOfWaiting')}</Text>
                <Text>{percent(result.metrics.probabilityOfWaiting)}</Text>
              </Group>
              {inputs.model === 'a' && (
                <Group justify="space-between">
                  <Text>{t('erlang.abandonRate')}</Text>
                  <Text>{percent(result.metrics.probabilityOfAbandon)}</Text>
                </Group>
              )}
            </Stack>
          )}
          {!result && !error && <Text c="dimmed">{t('erlang.calculating')}</Text>}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
