// The supervisor's wallboard: a tile per queue (waiting, longest wait, service
// level today against the target, abandon rate), the campaigns' progress when
// the API gives it, and every operator with the time in the current state and
// a way to force a state. It follows the stream: `queue.stats` replaces a
// tile, `agent.state_changed` moves an operator; other events (and a reset)
// re-read the live API, throttled, so a burst of calls is one request.
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  MultiSelect,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import { useOrganizations } from '../live/organizations.ts';
import { NOT_READY_REASONS, reasonLabel, stateColor, stateLabel } from '../live/states.ts';
import { type LiveEvent, throttle, useLiveStream } from '../live/stream.ts';
import type { OperatorStatus, QueueLiveStats } from '../live/types.ts';
import { formatDuration, sinceMs, useNow } from '../live/useNow.ts';

/** The service-level target shown against today's figure (the common 80 % — queues carry no target yet). */
export const SERVICE_LEVEL_TARGET = 80;

type QueueTile = QueueLiveStats & { orgId: string; orgName: string; receivedAt: number };
type CampaignTile = {
  orgId: string;
  campaignId: string;
  name: string;
  listSize: number;
  attempted: number;
  reached: number;
  penetration: number;
  interactionOutcomes: Record<string, number>;
};

/** When this screen first saw each operator's state (see sinceMs). */
const observedSince = new Map<string, number>();

const STATE_ORDER = ['busy', 'reserved', 'wrap_up', 'idle', 'available', 'not_ready', 'offline'];

export function Wallboard() {
  const { t } = useI18n();
  const { organizations, error: orgError } = useOrganizations();
  const [selected, setSelected] = useState<string[]>([]);
  const [queues, setQueues] = useState<Map<string, QueueTile>>(new Map());
  const [operators, setOperators] = useState<OperatorStatus[]>([]);
  const [campaigns, setCampaigns] = useState<CampaignTile[]>([]);
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(1000);

  const shown = useMemo(
    () => organizations.filter((o) => selected.length === 0 || selected.includes(o.id)),
    [organizations, selected],
  );
  const shownRef = useRef(shown);
  shownRef.current = shown;

  const loadQueues = useCallback(async () => {
    const orgs = shownRef.current;
    try {
      const lists = await Promise.all(
        orgs.map((org) =>
          api<{ items: QueueLiveStats[] }>('GET', `/api/organizations/${org.id}/live/queues`).then((page) =>
            page.items.map(
              (q): QueueTile => ({ ...q, orgId: org.id, orgName: org.name, receivedAt: Date.now() }),
            ),
          ),
        ),
      );
      setQueues(new Map(lists.flat().map((q) => [q.queueId, q])));
      setUnavailable(false);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setUnavailable(true);
      else console.error(failure);
    }
  }, []);
  const loadOperators = useCallback(async () => {
    try {
      setOperators((await api<{ items: OperatorStatus[] }>('GET', '/api/live/operators')).items);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setUnavailable(true);
      else console.error(failure);
    }
  }, []);
  const loadCampaigns = useCallback(async () => {
    const tiles: CampaignTile[] = [];
    for (const org of shownRef.current) {
      try {
        const list = await api<{ items: { id: string; name: string; status?: string }[] }>(
          'GET',
          `/api/organizations/${org.id}/campaigns`,
        );
        for (const campaign of list.items.filter((c) => c.status === undefined || c.status === 'active')) {
          const progress = await api<Omit<CampaignTile, 'orgId' | 'name'>>(
            'GET',
            `/api/organizations/${org.id}/campaigns/${campaign.id}/progress`,
          );
          tiles.push({ ...progress, orgId: org.id, campaignId: campaign.id, name: campaign.name });
        }
      } catch {
        // No progress API (yet) or no campaigns: no campaign tiles.
      }
    }
    setCampaigns(tiles);
  }, []);

  const reloadQueues = useMemo(() => throttle(() => void loadQueues(), 1000), [loadQueues]);
  const reloadOperators = useMemo(() => throttle(() => void loadOperators(), 2000), [loadOperators]);
  const reloadCampaigns = useMemo(() => throttle(() => void loadCampaigns(), 5000), [loadCampaigns]);
  useEffect(
    () => () => {
      reloadQueues.cancel();
      reloadOperators.cancel();
      reloadCampaigns.cancel();
    },
    [reloadQueues, reloadOperators, reloadCampaigns],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: a different choice of organizations reloads
  useEffect(() => {
    if (shown.length === 0) return;
    void loadQueues();
    void loadCampaigns();
  }, [shown]);

  const onEvent = useCallback(
    (event: LiveEvent) => {
      const data = (event.data ?? {}) as Record<string, unknown>;
      if (event.type === 'queue.stats' && typeof data.queueId === 'string') {
        const stats = data as unknown as QueueLiveStats;
        setQueues((current) => {
          const tile = current.get(stats.queueId);
          if (!tile) return current;
          const next = new Map(current);
          next.set(stats.queueId, { ...tile, ...stats, receivedAt: Date.now() });
          return next;
        });
        return;
      }
      if (event.type === 'agent.state_changed' && typeof data.userId === 'string') {
        const { userId, to, reason, at } = data as {
          userId: string;
          to: string;
          reason: string | null;
          at: string;
        };
        setOperators((current) =>
          current.map((o) =>
            o.userId === userId ? { ...o, state: to, reason: reason ?? null, since: at } : o,
          ),
        );
        reloadOperators();
        return;
      }
      if (event.type.startsWith('campaign.')) reloadCampaigns();
      if (event.type.startsWith('interaction.')) reloadQueues();
      if (event.type.startsWith('agent.')) reloadOperators();
    },
    [reloadQueues, reloadOperators, reloadCampaigns],
  );
  const status = useLiveStream({
    types: ['queue.*', 'agent.*', 'interaction.*', 'campaign.*'],
    onEvent,
    onReset: () => {
      void loadQueues();
      void loadOperators();
      void loadCampaigns();
    },
  });

  const force = useCallback(
    async (userId: string, state: 'available' | 'not_ready' | 'offline', reason?: string) => {
      setError(null);
      try {
        const updated = await api<OperatorStatus>('POST', `/api/live/operators/${userId}/state`, {
          state,
          ...(reason ? { reason } : {}),
        });
        setOperators((current) => current.map((o) => (o.userId === userId ? updated : o)));
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : t('error.generic'));
      }
    },
    [t],
  );

  const tiles = [...queues.values()].sort(
    (a, b) => a.orgName.localeCompare(b.orgName) || a.name.localeCompare(b.name),
  );
  const sortedOperators = [...operators].sort(
    (a, b) =>
      STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) ||
      a.displayName.localeCompare(b.displayName),
  );
  const counts = new Map<string, number>();
  for (const o of operators) counts.set(o.state, (counts.get(o.state) ?? 0) + 1);

  if (unavailable)
    return (
      <Alert color="yellow" role="alert" title={t('wb.title')}>
        {t('live.unavailable')}
      </Alert>
    );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('wb.title')}</Title>
        <Group align="flex-end">
          <MultiSelect
            label={t('wb.organizations')}
            placeholder={selected.length === 0 ? t('wb.allOrganizations') : undefined}
            data={organizations.map((o) => ({ value: o.id, label: o.name }))}
            value={selected}
            onChange={setSelected}
            clearable
            w={320}
          />
          <Badge color={status === 'open' ? 'green' : 'gray'} variant="dot" aria-live="polite" mb={6}>
            {status === 'open' ? t('live.connected') : t('live.reconnecting')}
          </Badge>
        </Group>
      </Group>
      {(error || orgError) && (
        <Alert color="red" role="alert">
          {error ?? t('error.generic')}
        </Alert>
      )}

      <section aria-labelledby="wb-queues">
        <Title order={3} size="h4" id="wb-queues" mb="xs">
          {t('wb.queues')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          {tiles.map((q) => (
            <QueueCard key={q.queueId} tile={q} now={now} />
          ))}
        </SimpleGrid>
        {tiles.length === 0 && <Text c="dimmed">{t('wb.noQueues')}</Text>}
      </section>

      {campaigns.length > 0 && (
        <section aria-labelledby="wb-campaigns">
          <Title order={3} size="h4" id="wb-campaigns" mb="xs">
            {t('wb.campaigns')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
            {campaigns.map((c) => (
              <CampaignCard key={c.campaignId} tile={c} />
            ))}
          </SimpleGrid>
        </section>
      )}

      <section aria-labelledby="wb-operators">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4" id="wb-operators">
            {t('wb.operators')}
          </Title>
          <Group gap="xs" data-testid="operator-counts">
            {[...counts.entries()]
              .sort((a, b) => STATE_ORDER.indexOf(a[0]) - STATE_ORDER.indexOf(b[0]))
              .map(([state, count]) => (
                <Badge key={state} color={stateColor(state)} variant="light">
                  {stateLabel(t, state)}: {count}
                </Badge>
              ))}
          </Group>
        </Group>
        <Table.ScrollContainer minWidth={600} maxHeight={420}>
          <Table striped stickyHeader fz="sm" data-testid="operators-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('wb.operator')}</Table.Th>
                <Table.Th>{t('wb.state')}</Table.Th>
                <Table.Th>{t('wb.timeInState')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('wb.forceState')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sortedOperators.map((o) => (
                <OperatorRow key={o.userId} operator={o} now={now} onForce={force} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
    </Stack>
  );
}

function percent(value: number | null, formatNumber: (v: number, o?: Intl.NumberFormatOptions) => string) {
  return value === null ? '—' : formatNumber(value / 100, { style: 'percent', maximumFractionDigits: 1 });
}

const QueueCard = memo(function QueueCard({ tile, now }: { tile: QueueTile; now: number }) {
  const { t, formatNumber } = useI18n();
  const offered = tile.answeredToday + tile.abandonedToday;
  const abandonRate = offered === 0 ? null : (100 * tile.abandonedToday) / offered;
  // The longest wait grows between updates while someone is waiting.
  const longest =
    tile.waiting > 0
      ? tile.longestWaitSeconds + Math.max(0, (now - tile.receivedAt) / 1000)
      : tile.longestWaitSeconds;
  const sl = tile.serviceLevelPercent;
  const slColor =
    sl === null
      ? 'gray'
      : sl >= SERVICE_LEVEL_TARGET
        ? 'green'
        : sl >= SERVICE_LEVEL_TARGET - 10
          ? 'yellow'
          : 'red';
  const titleId = `queue-${tile.queueId}`;
  return (
    <Card
      withBorder
      padding="sm"
      component="article"
      aria-labelledby={titleId}
      data-testid={`queue-tile-${tile.key}`}
    >
      <Text fw={600} id={titleId} lineClamp={1}>
        {tile.name}
      </Text>
      <Text size="xs" c="dimmed" lineClamp={1}>
        {tile.orgName}
      </Text>
      <Group justify="space-between" mt="xs" align="flex-end">
        <div>
          <Text size="xs" c="dimmed">
            {t('wb.waiting')}
          </Text>
          <Text fz={28} fw={700} lh={1} c={tile.waiting > 0 ? 'red' : undefined} data-testid="queue-waiting">
            {tile.waiting}
          </Text>
        </div>
        <div style={{ textAlign: 'right' }}>
          <Text size="xs" c="dimmed">
            {t('wb.longestWait')}
          </Text>
          <Text fw={600} ff="monospace" data-testid="queue-longest-wait">
            {formatDuration(longest)}
          </Text>
        </div>
      </Group>
      <Text size="xs" mt="xs">
        {t('wb.serviceLevel')}: <b data-testid="queue-service-level">{percent(sl, formatNumber)}</b> (
        {t('wb.target')} {SERVICE_LEVEL_TARGET}%)
      </Text>
      <Progress
        value={sl ?? 0}
        color={slColor}
        size="sm"
        aria-label={`${t('wb.serviceLevel')} ${tile.name}`}
        mt={2}
      />
      <Group justify="space-between" mt="xs" data-testid="queue-figures">
        <Text size="xs">
          {t('wb.answered')}: <b>{tile.answeredToday}</b>
        </Text>
        <Text size="xs">
          {t('wb.abandonRate')}: <b>{percent(abandonRate, formatNumber)}</b>
        </Text>
        <Text size="xs">
          {t('wb.idle')}: <b>{tile.idleOperators}</b>
        </Text>
      </Group>
    </Card>
  );
});

function CampaignCard({ tile }: { tile: CampaignTile }) {
  const { t, formatNumber } = useI18n();
  const reach = tile.attempted === 0 ? null : (100 * tile.reached) / tile.attempted;
  const outcomes = Object.entries(tile.interactionOutcomes ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  const dropped = tile.interactionOutcomes?.dropped ?? 0;
  const dialled = Object.values(tile.interactionOutcomes ?? {}).reduce((a, b) => a + b, 0);
  return (
    <Card withBorder padding="sm" component="article" data-testid="campaign-tile">
      <Text fw={600} lineClamp={1}>
        {tile.name}
      </Text>
      <Text size="xs">
        {t('wb.progress')}: {formatNumber(tile.penetration, { style: 'percent', maximumFractionDigits: 1 })} (
        {tile.attempted}/{tile.listSize})
      </Text>
      <Progress
        value={100 * Math.min(1, tile.penetration)}
        size="sm"
        aria-label={`${t('wb.progress')} ${tile.name}`}
      />
      <Text size="xs" mt={4}>
        {t('wb.reach')}: {percent(reach, formatNumber)} · {t('wb.dropRate')}:{' '}
        {percent(dialled === 0 ? null : (100 * dropped) / dialled, formatNumber)}
      </Text>
      <Text size="xs" c="dimmed">
        {outcomes.map(([k, v]) => `${k} ${v}`).join(' · ')}
      </Text>
    </Card>
  );
}

const OperatorRow = memo(function OperatorRow({
  operator,
  now,
  onForce,
}: {
  operator: OperatorStatus;
  now: number;
  onForce: (userId: string, state: 'available' | 'not_ready' | 'offline', reason?: string) => void;
}) {
  const { t } = useI18n();
  const seconds = (now - sinceMs(operator.since, observedSince, operator.userId)) / 1000;
  return (
    <Table.Tr>
      <Table.Td>{operator.displayName}</Table.Td>
      <Table.Td>
        <Badge color={stateColor(operator.state)} variant="light">
          {stateLabel(t, operator.state)}
        </Badge>{' '}
        {operator.reason && (
          <Text span size="xs" c="dimmed">
            {reasonLabel(t, operator.reason)}
          </Text>
        )}
      </Table.Td>
      <Table.Td ff="monospace">{formatDuration(seconds)}</Table.Td>
      <Table.Td>
        <Menu position="bottom-end">
          <Menu.Target>
            <Button
              size="compact-xs"
              variant="default"
              aria-label={`${t('wb.forceState')}: ${operator.displayName}`}
            >
              {t('wb.forceState')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => onForce(operator.userId, 'available')}>
              {t('op.state.goAvailable')}
            </Menu.Item>
            {NOT_READY_REASONS.map((reason) => (
              <Menu.Item key={reason} onClick={() => onForce(operator.userId, 'not_ready', reason)}>
                {t('op.state.pause')}: {t(`op.reason.${reason}` as MessageKey)}
              </Menu.Item>
            ))}
            <Menu.Item color="red" onClick={() => onForce(operator.userId, 'offline')}>
              {t('op.state.logout')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
});
