// The supervisor's wallboard: a tile per queue (waiting, longest wait, service
// level today against the target, abandon rate), the campaigns' progress when
// the API gives it, and every operator with the time in the current state and
// a way to force a state. It follows the stream: `queue.stats` replaces a
// tile, `agent.state_changed` moves an operator; other events (and a reset)
// re-read the live API, throttled, so a burst of calls is one request.
//
// Kept responsive with 500 operators and 50 queues updating live (issue 8,
// `npm run bench -- wallboard`): the stream's events are applied together, at
// most every 250 ms, in an animation frame and as a React transition (one
// update rendered in slices, not one render per event); an operator or a tile
// whose figures did not change keeps its object, so its memoized row or card
// does not re-render; the operator table renders only the rows in view (a
// windowed list, fixed row height and table layout); and the running times
// (time in state, longest wait) tick on one shared timer in small components
// of their own, not by re-rendering the screen every second.
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
import {
  memo,
  startTransition,
  type UIEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import { useOrganizations } from '../live/organizations.ts';
import { NOT_READY_REASONS, reasonLabel, stateColor, stateLabel } from '../live/states.ts';
import { type LiveEvent, throttle, useLiveStream } from '../live/stream.ts';
import type { OperatorStatus, QueueLiveStats } from '../live/types.ts';
import { formatDuration, sinceMs, useSecondTick } from '../live/useNow.ts';

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

/** The operator table: its rows' fixed height, the scroll box's height, rows rendered beyond the view. */
const ROW_HEIGHT = 36;
const TABLE_HEIGHT = 420;
const OVERSCAN = 6;
/** Stream events are applied at most this often (then in the next animation frame). */
const FLUSH_INTERVAL_MS = 250;

/** A cell of the fixed-layout table: text longer than the column ends in an ellipsis. */
const CLIPPED = { overflow: 'hidden', textOverflow: 'ellipsis' } as const;

type AgentChange = { userId: string; to: string; reason: string | null; at: string };

const sameOperator = (a: OperatorStatus, b: OperatorStatus) =>
  a.state === b.state &&
  a.reason === b.reason &&
  a.since === b.since &&
  a.displayName === b.displayName &&
  a.presence === b.presence;

const sameTile = (a: QueueTile, b: QueueTile) =>
  a.waiting === b.waiting &&
  a.longestWaitSeconds === b.longestWaitSeconds &&
  a.idleOperators === b.idleOperators &&
  a.serviceLevelPercent === b.serviceLevelPercent &&
  a.answeredToday === b.answeredToday &&
  a.abandonedToday === b.abandonedToday &&
  a.name === b.name &&
  a.orgName === b.orgName &&
  a.key === b.key;

/** A fresh list keeps the objects of the operators that did not change (their memoized rows stay). */
function keepUnchanged(current: OperatorStatus[], fresh: OperatorStatus[]): OperatorStatus[] {
  const before = new Map(current.map((o) => [o.userId, o]));
  let changed = current.length !== fresh.length;
  const next = fresh.map((o, i) => {
    const old = before.get(o.userId);
    if (old && sameOperator(old, o)) {
      if (current[i] !== old) changed = true;
      return old;
    }
    changed = true;
    return o;
  });
  return changed ? next : current;
}

export function Wallboard() {
  const { t } = useI18n();
  const { organizations, error: orgError } = useOrganizations();
  const [selected, setSelected] = useState<string[]>([]);
  const [queues, setQueues] = useState<Map<string, QueueTile>>(new Map());
  const [operators, setOperators] = useState<OperatorStatus[]>([]);
  const [campaigns, setCampaigns] = useState<CampaignTile[]>([]);
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string | null>(null);

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
      startTransition(() =>
        setQueues((current) => {
          const next = new Map<string, QueueTile>();
          for (const tile of lists.flat()) {
            const old = current.get(tile.queueId);
            next.set(tile.queueId, old && sameTile(old, tile) ? old : tile);
          }
          return next;
        }),
      );
      setUnavailable(false);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setUnavailable(true);
      else console.error(failure);
    }
  }, []);
  const loadOperators = useCallback(async () => {
    try {
      const { items } = await api<{ items: OperatorStatus[] }>('GET', '/api/live/operators');
      startTransition(() => setOperators((current) => keepUnchanged(current, items)));
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

  // Events wait here (at most FLUSH_INTERVAL_MS), then change the state at once in an animation frame.
  const pending = useRef({
    stats: new Map<string, QueueLiveStats>(),
    agents: new Map<string, AgentChange>(),
    scheduled: false,
    flushedAt: 0,
  });
  const flush = useCallback(() => {
    const batch = pending.current;
    batch.scheduled = false;
    batch.flushedAt = Date.now();
    const { stats, agents } = batch;
    batch.stats = new Map();
    batch.agents = new Map();
    // A transition: React renders the batch in slices, yielding to the browser between them.
    startTransition(() => {
      if (stats.size > 0) {
        const receivedAt = Date.now();
        setQueues((current) => {
          let next: Map<string, QueueTile> | null = null;
          for (const s of stats.values()) {
            const tile = current.get(s.queueId);
            if (!tile) continue;
            next ??= new Map(current);
            next.set(s.queueId, { ...tile, ...s, receivedAt });
          }
          return next ?? current;
        });
      }
      if (agents.size > 0)
        setOperators((current) => {
          let changed = false;
          const next = current.map((o) => {
            const change = agents.get(o.userId);
            if (!change) return o;
            changed = true;
            return { ...o, state: change.to, reason: change.reason ?? null, since: change.at };
          });
          return changed ? next : current;
        });
    });
  }, []);
  useEffect(
    () => () => {
      pending.current.scheduled = false;
    },
    [],
  );
  const schedule = useCallback(() => {
    const batch = pending.current;
    if (batch.scheduled) return;
    batch.scheduled = true;
    // A hidden tab gets no animation frames: the time-out applies the batch there.
    let done = false;
    let frame = 0;
    let fallback: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(fallback);
      if (batch === pending.current && batch.scheduled) flush();
    };
    setTimeout(
      () => {
        frame = requestAnimationFrame(run);
        fallback = setTimeout(run, 500);
      },
      Math.max(0, batch.flushedAt + FLUSH_INTERVAL_MS - Date.now()),
    );
  }, [flush]);

  const onEvent = useCallback(
    (event: LiveEvent) => {
      const data = (event.data ?? {}) as Record<string, unknown>;
      if (event.type === 'queue.stats' && typeof data.queueId === 'string') {
        pending.current.stats.set(data.queueId, data as unknown as QueueLiveStats);
        schedule();
        return;
      }
      if (event.type === 'agent.state_changed' && typeof data.userId === 'string') {
        pending.current.agents.set(data.userId, data as unknown as AgentChange);
        schedule();
        reloadOperators();
        return;
      }
      if (event.type === 'campaign.progress' && typeof data.campaignId === 'string') {
        // The event carries the progress route's figures: the tile takes them as they are, no reload.
        const progress = data as unknown as Omit<CampaignTile, 'orgId' | 'name'>;
        startTransition(() =>
          setCampaigns((current) =>
            current.some((tile) => tile.campaignId === progress.campaignId)
              ? current.map((tile) =>
                  tile.campaignId === progress.campaignId
                    ? {
                        ...tile,
                        listSize: progress.listSize,
                        attempted: progress.attempted,
                        reached: progress.reached,
                        penetration: progress.penetration,
                        interactionOutcomes: progress.interactionOutcomes,
                      }
                    : tile,
                )
              : current,
          ),
        );
        return;
      }
      if (event.type.startsWith('campaign.')) reloadCampaigns();
      if (event.type.startsWith('interaction.')) reloadQueues();
      if (event.type.startsWith('agent.')) reloadOperators();
    },
    [reloadQueues, reloadOperators, reloadCampaigns, schedule],
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

  const tiles = useMemo(
    () =>
      [...queues.values()].sort((a, b) => a.orgName.localeCompare(b.orgName) || a.name.localeCompare(b.name)),
    [queues],
  );
  const sortedOperators = useMemo(() => {
    const order = new Map(STATE_ORDER.map((state, i) => [state, i]));
    const rank = (state: string) => order.get(state) ?? -1;
    return [...operators].sort(
      (a, b) =>
        rank(a.state) - rank(b.state) ||
        (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0),
    );
  }, [operators]);
  const counts = useMemo(() => {
    const byState = new Map<string, number>();
    for (const o of operators) byState.set(o.state, (byState.get(o.state) ?? 0) + 1);
    return byState;
  }, [operators]);

  // The heading and the organization picker change with neither the tiles nor the operators.
  const header = useMemo(
    () => (
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
    ),
    [t, organizations, selected, status],
  );

  if (unavailable)
    return (
      <Alert color="yellow" role="alert" title={t('wb.title')}>
        {t('live.unavailable')}
      </Alert>
    );

  return (
    <Stack gap="md">
      {header}
      {(error || orgError) && (
        <Alert color="red" role="alert">
          {error ?? t('error.generic')}
        </Alert>
      )}

      <section aria-labelledby="wb-queues">
        <Group justify="space-between" align="baseline" mb="xs">
          <Title order={3} size="h4" id="wb-queues">
            {t('wb.queues')}
          </Title>
          {/* The same target for every queue: said once here, the tiles keep one line for the figure. */}
          <Text size="sm" c="dimmed">
            {t('wb.serviceLevel')}: {t('wb.target')} {SERVICE_LEVEL_TARGET}%
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          {tiles.map((q) => (
            <QueueCard key={q.queueId} tile={q} />
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
        <OperatorsTable operators={sortedOperators} onForce={force} />
      </section>
    </Stack>
  );
}

function percent(value: number | null, formatNumber: (v: number, o?: Intl.NumberFormatOptions) => string) {
  return value === null ? '—' : formatNumber(value / 100, { style: 'percent', maximumFractionDigits: 1 });
}

/** The longest wait grows between updates while someone is waiting (the only part of a tile that ticks). */
function LongestWait({ tile }: { tile: QueueTile }) {
  const now = useSecondTick(tile.waiting > 0);
  const longest =
    tile.waiting > 0
      ? tile.longestWaitSeconds + Math.max(0, (now - tile.receivedAt) / 1000)
      : tile.longestWaitSeconds;
  return (
    <Text fw={600} ff="monospace" data-testid="queue-longest-wait">
      {formatDuration(longest)}
    </Text>
  );
}

const QueueCard = memo(function QueueCard({ tile }: { tile: QueueTile }) {
  const { t, formatNumber } = useI18n();
  const offered = tile.answeredToday + tile.abandonedToday;
  const abandonRate = offered === 0 ? null : (100 * tile.abandonedToday) / offered;
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
      // Contained: a tile's changing figures are laid out within the tile, not across the grid.
      style={{ contain: 'content' }}
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
          <LongestWait tile={tile} />
        </div>
      </Group>
      {/* One line whatever the figures: a tile that grew a line would lay the whole grid out again. */}
      <Group justify="space-between" wrap="nowrap" gap={4} mt="xs" align="baseline">
        <Text size="xs" c="dimmed" truncate="end">
          {t('wb.serviceLevel')}
        </Text>
        <Text size="xs" fw={700} style={{ flexShrink: 0 }} data-testid="queue-service-level">
          {percent(sl, formatNumber)}
        </Text>
      </Group>
      {/* No width animation: 50 tiles change every 250 ms, and each finished transition is a
          transitionend event through React's root listener (seen as a 36 ms frame in the bench). */}
      <Progress
        value={sl ?? 0}
        color={slColor}
        size="sm"
        transitionDuration={0}
        aria-label={`${t('wb.serviceLevel')} ${tile.name}`}
        mt={2}
      />
      {/* Three fixed columns, a label over its figure, never wrapping: the tile keeps its height
          as the figures change (a wrapped line used to re-layout the grid, seen as 29 ms frames). */}
      <div style={FIGURES_STYLE} data-testid="queue-figures">
        <Figure label={t('wb.answered')} value={String(tile.answeredToday)} />
        <Figure label={t('wb.abandonRate')} value={percent(abandonRate, formatNumber)} />
        <Figure label={t('wb.idle')} value={String(tile.idleOperators)} />
      </div>
    </Card>
  );
});

const FIGURES_STYLE = {
  display: 'grid',
  gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
  columnGap: 'var(--mantine-spacing-xs)',
  marginTop: 'var(--mantine-spacing-xs)',
} as const;

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" truncate="end">
        {label}
      </Text>
      <Text size="sm" fw={700} truncate="end">
        {value}
      </Text>
    </div>
  );
}

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
        transitionDuration={0}
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

type ForceState = (userId: string, state: 'available' | 'not_ready' | 'offline', reason?: string) => void;

/**
 * The operators, in a scroll box that renders only the rows in view (plus a
 * few either side): with 500 operators a state change or a tick re-renders a
 * couple of dozen rows, not 500. Rows have a fixed height, so the rows out of
 * view are two spacer rows; the table tells assistive technology the full count.
 */
const OperatorsTable = memo(function OperatorsTable({
  operators,
  onForce,
}: {
  operators: OperatorStatus[];
  onForce: ForceState;
}) {
  const { t } = useI18n();
  const [scrollTop, setScrollTop] = useState(0);
  const onScroll = useCallback(
    (event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop),
    [],
  );
  // An odd first row under the spacer keeps every row's stripe as it is without one.
  const from = Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN;
  const first = from <= 0 ? 0 : from % 2 === 1 ? from : from - 1;
  const last = Math.min(operators.length, Math.ceil((scrollTop + TABLE_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const above = first * ROW_HEIGHT;
  const below = (operators.length - last) * ROW_HEIGHT;
  return (
    <div
      style={{ maxHeight: TABLE_HEIGHT, overflow: 'auto', contain: 'content' }}
      onScroll={onScroll}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll box is scrolled with the keyboard once focused
      tabIndex={0}
      data-testid="operators-scroll"
    >
      <Table
        striped
        stickyHeader
        fz="sm"
        verticalSpacing={4}
        miw={600}
        // Fixed columns: a cell whose text changes (the running times, every second) does not make the
        // browser measure every row again.
        layout="fixed"
        data-testid="operators-table"
        aria-rowcount={operators.length + 1}
      >
        <Table.Thead>
          <Table.Tr aria-rowindex={1}>
            <Table.Th w="34%">{t('wb.operator')}</Table.Th>
            <Table.Th w="34%">{t('wb.state')}</Table.Th>
            <Table.Th w="14%">{t('wb.timeInState')}</Table.Th>
            <Table.Th w="18%">
              <VisuallyHidden>{t('wb.forceState')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {above > 0 && <Spacer height={above} />}
          {operators.slice(first, last).map((o, i) => (
            <OperatorRow key={o.userId} operator={o} index={first + i} onForce={onForce} />
          ))}
          {below > 0 && <Spacer height={below} />}
        </Table.Tbody>
      </Table>
    </div>
  );
});

/** Stands in for the rows out of view. */
function Spacer({ height }: { height: number }) {
  return (
    <tr>
      <td colSpan={4} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}

function TimeInState({ operator }: { operator: OperatorStatus }) {
  const now = useSecondTick();
  return <>{formatDuration((now - sinceMs(operator.since, observedSince, operator.userId)) / 1000)}</>;
}

const OperatorRow = memo(function OperatorRow({
  operator,
  index,
  onForce,
}: {
  operator: OperatorStatus;
  index: number;
  onForce: ForceState;
}) {
  const { t } = useI18n();
  return (
    <Table.Tr h={ROW_HEIGHT} aria-rowindex={index + 2} style={{ whiteSpace: 'nowrap' }}>
      <Table.Td style={CLIPPED}>{operator.displayName}</Table.Td>
      <Table.Td style={CLIPPED}>
        <Badge color={stateColor(operator.state)} variant="light">
          {stateLabel(t, operator.state)}
        </Badge>{' '}
        {operator.reason && (
          <Text span size="xs" c="dimmed">
            {reasonLabel(t, operator.reason)}
          </Text>
        )}
      </Table.Td>
      <Table.Td ff="monospace">
        <TimeInState operator={operator} />
      </Table.Td>
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
