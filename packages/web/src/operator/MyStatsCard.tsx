// The operator's own statistics of the day (GET /api/operator/stats): contacts
// handled, the average handle time and its parts, occupancy, the outcomes
// recorded and the time in each state. Read again every minute and after a
// contact closes (useContactRefreshed).
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../i18n.ts';
import { reasonLabel, stateLabel } from '../live/states.ts';
import { formatDuration } from '../live/useNow.ts';
import { useContactRefreshed } from './useContactRefreshed.ts';

type Figure = { value: number | null; numerator: number; denominator: number | null; reason?: string };
type OperatorStats = {
  date: string;
  figures: Record<'handled' | 'aht' | 'average_talk' | 'average_hold' | 'average_wrap' | 'occupancy', Figure>;
  byDirection: Record<'inbound' | 'outbound', { handled: Figure }>;
  outcomes: { code: string; labelIt: string; labelEn: string; count: number }[];
  states: { state: string; reason: string | null; seconds: number }[];
};

export function MyStatsCard({ refreshKey }: { refreshKey: string | null }) {
  const { t, language, formatNumber } = useI18n();
  const { data: stats, failed } = useContactRefreshed<OperatorStats>('/api/operator/stats', refreshKey);

  const seconds = (figure: Figure | undefined) =>
    figure?.value == null ? t('stats.absent') : formatDuration(figure.value);
  const total = (figure: Figure | undefined) => formatDuration(figure?.numerator ?? 0);
  const f = stats?.figures;
  const occupancy =
    f?.occupancy.value == null
      ? t('stats.absent')
      : formatNumber(f.occupancy.value, { style: 'percent', maximumFractionDigits: 0 });
  const items: [string, string, string | null][] = f
    ? [
        [
          t('stats.handled'),
          String(f.handled.value ?? 0),
          t('stats.split')
            .replace('{inbound}', String(stats.byDirection.inbound.handled.value ?? 0))
            .replace('{outbound}', String(stats.byDirection.outbound.handled.value ?? 0)),
        ],
        [t('stats.aht'), seconds(f.aht), null],
        [t('stats.talk'), total(f.average_talk), `${t('stats.average')} ${seconds(f.average_talk)}`],
        [t('stats.hold'), total(f.average_hold), `${t('stats.average')} ${seconds(f.average_hold)}`],
        [t('stats.wrap'), total(f.average_wrap), `${t('stats.average')} ${seconds(f.average_wrap)}`],
        [t('stats.occupancy'), occupancy, null],
      ]
    : [];

  return (
    <Card withBorder component="section" aria-labelledby="my-stats-title" data-testid="my-stats">
      <Title order={2} size="h4" id="my-stats-title" mb="xs">
        {t('stats.title')}
      </Title>
      {failed && !stats && (
        <Text size="sm" c="dimmed">
          {t('stats.failed')}
        </Text>
      )}
      {stats && (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs" component="dl" m={0}>
            {items.map(([label, value, detail], index) => (
              <div key={label} data-testid={index === 0 ? 'my-stats-handled' : undefined}>
                <Text component="dt" size="xs" c="dimmed">
                  {label}
                </Text>
                <Text
                  component="dd"
                  m={0}
                  fw={600}
                  ff="monospace"
                  data-testid={index === 0 ? 'my-stats-handled-value' : undefined}
                >
                  {value}
                </Text>
                {detail && (
                  <Text component="dd" m={0} size="xs" c="dimmed">
                    {detail}
                  </Text>
                )}
              </div>
            ))}
          </SimpleGrid>
          <div>
            <Title order={3} size="h6">
              {t('stats.outcomes')}
            </Title>
            {stats.outcomes.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('stats.noOutcomes')}
              </Text>
            ) : (
              <Group gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {stats.outcomes.map((o) => (
                  <Text component="li" size="sm" key={o.code}>
                    {language === 'it' ? o.labelIt : o.labelEn}: <strong>{o.count}</strong>
                  </Text>
                ))}
              </Group>
            )}
          </div>
          <div>
            <Title order={3} size="h6">
              {t('stats.states')}
            </Title>
            {stats.states.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('stats.noStates')}
              </Text>
            ) : (
              <Group gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {stats.states.map((s) => (
                  <Text component="li" size="sm" key={`${s.state}:${s.reason ?? ''}`}>
                    {stateLabel(t, s.state)}
                    {s.reason ? ` · ${reasonLabel(t, s.reason)}` : ''}: {formatDuration(s.seconds)}
                  </Text>
                ))}
              </Group>
            )}
          </div>
          <Text size="xs" c="dimmed">
            {t('stats.definitions')}
          </Text>
        </Stack>
      )}
    </Card>
  );
}
