// Schedule proposal (POST /api/wfm/schedule): shifts that cover the staffing
// tab's required agents per interval at least cost, from two shift templates
// (full and part time) with a common start window. Coverage is soft (an
// agent-interval short costs a penalty), so a proposal always comes back and
// its gaps show in the coverage chart.
import {
  Alert,
  Badge,
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
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ApiError, api } from '../api.ts';
import { useI18n } from '../i18n.ts';

export type Requirements = { start: string; requiredAgents: number[] };
type ScheduleResult = {
  status: 'optimal' | 'within_gap' | 'feasible';
  shiftCostCents: number;
  gapPercent: number | null;
  totals: { shifts: number; underAgentIntervals: number };
  shifts: { templateId: string; start: string; end: string; agents: number; costCents: number }[];
  coverage: { start: string; required: number; scheduled: number }[];
};

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const num = (value: number | string) => (typeof value === 'number' ? value : Number.NaN);

export function Schedule({ requirements }: { requirements: Requirements | null }) {
  const { t, language, formatNumber } = useI18n();
  const [fullHours, setFullHours] = useState<number | string>(8);
  const [partHours, setPartHours] = useState<number | string>(4);
  const [earliest, setEarliest] = useState('07:00');
  const [latest, setLatest] = useState('16:00');
  const [costPerHour, setCostPerHour] = useState<number | string>(18);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ScheduleResult | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!requirements) return;
    if (!HHMM.test(earliest) || !HHMM.test(latest)) {
      setError(t('planner.schedule.badTime'));
      return;
    }
    const hourly = Math.round(num(costPerHour) * 100);
    const template = (id: string, hours: number) => ({
      id,
      lengthMinutes: Math.round(hours * 60),
      startWindow: { earliest, latest, stepMinutes: 30 },
      costCents: Math.round(hourly * hours),
    });
    setBusy(true);
    setError(null);
    try {
      const value = await api<ScheduleResult>('POST', '/api/wfm/schedule', {
        requirements: {
          start: requirements.start,
          intervalMinutes: 15,
          requiredAgents: requirements.requiredAgents,
        },
        templates: [
          template(t('planner.schedule.full'), num(fullHours)),
          template(t('planner.schedule.part'), num(partHours)),
        ],
        // Soft coverage: a short agent-interval costs two hours of pay.
        underCoveragePenaltyCents: hourly * 2,
        timeLimitSeconds: 10,
      });
      setResult(value);
    } catch (reason) {
      setResult(null);
      setError(reason instanceof ApiError ? reason.message : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };

  const locale = language === 'it' ? 'it-IT' : 'en-GB';
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  const euros = (cents: number) => formatNumber(cents / 100, { style: 'currency', currency: 'EUR' });
  const decimal = language === 'it' ? ',' : '.';
  const coverage = (result?.coverage ?? [])
    .filter((c) => c.required > 0 || c.scheduled > 0)
    .map((c) => ({ ...c, label: time(c.start) }));

  return (
    <Stack>
      <Title order={2}>{t('planner.tab.schedule')}</Title>
      <Text c="dimmed">{t('planner.schedule.source')}</Text>
      <Card withBorder component="form" onSubmit={submit}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
            <NumberInput
              label={t('planner.schedule.fullHours')}
              value={fullHours}
              onChange={setFullHours}
              min={1}
              max={12}
              decimalSeparator={decimal}
            />
            <NumberInput
              label={t('planner.schedule.partHours')}
              value={partHours}
              onChange={setPartHours}
              min={1}
              max={12}
              decimalSeparator={decimal}
            />
            <TextInput
              label={t('planner.schedule.earliest')}
              value={earliest}
              onChange={(e) => setEarliest(e.currentTarget.value)}
              placeholder="07:00"
            />
            <TextInput
              label={t('planner.schedule.latest')}
              value={latest}
              onChange={(e) => setLatest(e.currentTarget.value)}
              placeholder="16:00"
            />
            <NumberInput
              label={t('planner.schedule.costPerHour')}
              value={costPerHour}
              onChange={setCostPerHour}
              min={0}
              decimalSeparator={decimal}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy} disabled={!requirements}>
              {t('planner.schedule.run')}
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
            <Group gap="xl">
              <Badge data-testid="schedule-status">{t(`planner.schedule.status.${result.status}`)}</Badge>
              <Text>
                {t('planner.schedule.shifts')}: <b data-testid="schedule-shifts">{result.totals.shifts}</b>
              </Text>
              <Text>
                {t('planner.schedule.cost')}: <b>{euros(result.shiftCostCents)}</b>
              </Text>
              <Text>
                {t('planner.schedule.under')}: <b>{result.totals.underAgentIntervals}</b>
              </Text>
            </Group>
            <div role="img" aria-label={t('planner.schedule.chart')}>
              <ResponsiveContainer width="100%" height={260}>
                <ComposedChart data={coverage}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="label" minTickGap={20} />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar
                    dataKey="scheduled"
                    name={t('planner.schedule.scheduled')}
                    fill="#94d82d"
                    isAnimationActive={false}
                  />
                  <Line
                    dataKey="required"
                    name={t('planner.schedule.required')}
                    stroke="#e03131"
                    dot={false}
                    isAnimationActive={false}
                  />
                </ComposedChart>
              </ResponsiveContainer>
            </div>
            <Table striped data-testid="schedule-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('planner.schedule.template')}</Table.Th>
                  <Table.Th>{t('planner.schedule.start')}</Table.Th>
                  <Table.Th>{t('planner.schedule.end')}</Table.Th>
                  <Table.Th>{t('planner.staffing.agents')}</Table.Th>
                  <Table.Th>{t('planner.schedule.cost')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.shifts.map((s) => (
                  <Table.Tr key={`${s.templateId}-${s.start}`}>
                    <Table.Td>{s.templateId}</Table.Td>
                    <Table.Td>{time(s.start)}</Table.Td>
                    <Table.Td>{time(s.end)}</Table.Td>
                    <Table.Td>{s.agents}</Table.Td>
                    <Table.Td>{euros(s.costCents)}</Table.Td>
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
