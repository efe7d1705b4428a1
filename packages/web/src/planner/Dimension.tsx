// Dimensioning of a new client (POST /api/wfm/dimension): the client's donor
// base, its growth and inbound line, with the usual supporter-care cycles
// (welcome of new regular donors, a yearly upgrade call, recapture of lapsed
// donors), month by month: contacts, paid hours, operators and seats.
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';

type Figures = {
  month: string;
  contacts: number;
  paidHours: number;
  operatorsFte: number;
  operators: number;
  seats: number;
};
type DimensionResult = { total: Figures[] };

type Inputs = {
  regular: number | string;
  oneOff: number | string;
  lapsed: number | string;
  newRegularPerMonth: number | string;
  inboundCallsPerMonth: number | string;
  inboundAhtSeconds: number | string;
  openHoursPerMonth: number | string;
  months: number | string;
  paidHoursPerOperatorMonth: number | string;
  shrinkagePercent: number | string;
};

const num = (value: number | string) => (typeof value === 'number' ? value : Number.NaN);
const nextMonth = () => {
  const day = new Date();
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
};

export function Dimension() {
  const { t, language, formatNumber } = useI18n();
  const [name, setName] = useState('');
  const [inputs, setInputs] = useState<Inputs>({
    regular: 20_000,
    oneOff: 30_000,
    lapsed: 15_000,
    newRegularPerMonth: 600,
    inboundCallsPerMonth: 1_500,
    inboundAhtSeconds: 240,
    openHoursPerMonth: 220,
    months: 12,
    paidHoursPerOperatorMonth: 165,
    shrinkagePercent: 30,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<DimensionResult | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (Object.values(inputs).some((value) => !Number.isFinite(num(value)))) return;
    const v = (key: keyof Inputs) => num(inputs[key]);
    setBusy(true);
    setError(null);
    try {
      const value = await api<DimensionResult>('POST', '/api/wfm/dimension', {
        startMonth: nextMonth(),
        months: v('months'),
        workforce: {
          paidHoursPerOperatorMonth: v('paidHoursPerOperatorMonth'),
          shrinkage: v('shrinkagePercent') / 100,
        },
        organizations: [
          {
            id: 'new-client',
            name: name.trim() || t('planner.dimension.newClient'),
            supporters: { regular: v('regular'), oneOff: v('oneOff'), lapsed: v('lapsed') },
            growth: { newRegularPerMonth: v('newRegularPerMonth'), regularAttritionPerMonth: 0.01 },
            cycles: [
              {
                cycle: 'welcome',
                withinDays: 7,
                reachRate: 0.65,
                attemptsPerRecord: 2.5,
                talkSeconds: 180,
                wrapSeconds: 60,
              },
              {
                cycle: 'upgrade',
                perYear: 1,
                withinDays: 30,
                reachRate: 0.5,
                attemptsPerRecord: 2,
                talkSeconds: 240,
                wrapSeconds: 60,
              },
              {
                cycle: 'recapture',
                audience: 'lapsed',
                perYear: 1,
                withinDays: 30,
                reachRate: 0.4,
                attemptsPerRecord: 2,
                talkSeconds: 200,
                wrapSeconds: 60,
              },
            ],
            inbound:
              v('inboundCallsPerMonth') > 0
                ? [
                    {
                      name: 'inbound',
                      callsPerMonth: v('inboundCallsPerMonth'),
                      ahtSeconds: v('inboundAhtSeconds'),
                      openHoursPerMonth: v('openHoursPerMonth'),
                    },
                  ]
                : [],
          },
        ],
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
      thousandSeparator={language === 'it' ? '.' : ','}
      decimalSeparator={language === 'it' ? ',' : '.'}
    />
  );
  const n = (value: number, digits = 0) => formatNumber(value, { maximumFractionDigits: digits });
  const peak = result ? Math.max(...result.total.map((m) => m.operators)) : 0;

  return (
    <Stack>
      <Title order={2}>{t('planner.tab.dimension')}</Title>
      <Card withBorder component="form" onSubmit={submit}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <TextInput
              label={t('planner.dimension.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            {field('regular', 'planner.dimension.regular')}
            {field('oneOff', 'planner.dimension.oneOff')}
            {field('lapsed', 'planner.dimension.lapsed')}
            {field('newRegularPerMonth', 'planner.dimension.newRegular')}
            {field('inboundCallsPerMonth', 'planner.dimension.inboundCalls')}
            {field('inboundAhtSeconds', 'planner.dimension.inboundAht', { min: 1 })}
            {field('openHoursPerMonth', 'planner.dimension.openHours', { min: 1 })}
            {field('months', 'planner.dimension.months', { min: 1, max: 60 })}
            {field('paidHoursPerOperatorMonth', 'planner.dimension.paidHours', { min: 1 })}
            {field('shrinkagePercent', 'erlang.shrinkage', { max: 99 })}
          </SimpleGrid>
          <Text size="sm" c="dimmed">
            {t('planner.dimension.cycles')}
          </Text>
          <Group>
            <Button type="submit" loading={busy}>
              {t('planner.dimension.run')}
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
          <Stack>
            <Text>
              {t('planner.dimension.peak')}: <b data-testid="dimension-peak">{peak}</b>
            </Text>
            <div role="img" aria-label={t('planner.dimension.chart')}>
              <ResponsiveContainer width="100%" height={240}>
                <BarChart data={result.total}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="month" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar
                    dataKey="operators"
                    name={t('planner.dimension.operators')}
                    fill="#1c7ed6"
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="seats"
                    name={t('planner.dimension.seats')}
                    fill="#fab005"
                    isAnimationActive={false}
                  />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <Table striped data-testid="dimension-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('planner.dimension.month')}</Table.Th>
                  <Table.Th>{t('planner.dimension.contacts')}</Table.Th>
                  <Table.Th>{t('planner.dimension.paidHoursTotal')}</Table.Th>
                  <Table.Th>{t('planner.dimension.fte')}</Table.Th>
                  <Table.Th>{t('planner.dimension.operators')}</Table.Th>
                  <Table.Th>{t('planner.dimension.seats')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.total.map((m) => (
                  <Table.Tr key={m.month}>
                    <Table.Td>{m.month}</Table.Td>
                    <Table.Td>{n(m.contacts)}</Table.Td>
                    <Table.Td>{n(m.paidHours)}</Table.Td>
                    <Table.Td>{n(m.operatorsFte, 1)}</Table.Td>
                    <Table.Td>{m.operators}</Table.Td>
                    <Table.Td>{m.seats}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
