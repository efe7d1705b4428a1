// The operator desktop: state (available, paused with a reason, offline), the
// offer ringing with its countdown, the call controls, the screen pop, the
// campaign script and the disposition with the wrap-up timer. The state comes
// from GET /api/operator/session; the stream (interaction.*, agent.*) says when
// it changed, and the desktop reads it again (throttled), so a missed event
// costs nothing but a reload. Each action's answer is the new session.
// Transfer (T): to a queue of the call's organization, or to an available
// colleague for roles that see the floor (TransferModal). The operator's own
// statistics of the day (MyStatsCard) are read again when a contact closes.

import { fillScript, type MergeField } from '@centralino/engine/crm/merge-fields';
import {
  Alert,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Kbd,
  Progress,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import { NOT_READY_REASONS, reasonLabel, stateColor, stateLabel } from '../live/states.ts';
import { type LiveEvent, throttle, useLiveStream } from '../live/stream.ts';
import type { CallerMatch, OperatorSession } from '../live/types.ts';
import { formatDuration, sinceMs, useNow } from '../live/useNow.ts';
import { useSession } from '../session.tsx';
import { DispositionForm, useDispositions } from './DispositionForm.tsx';
import { MyCallbacksCard } from './MyCallbacksCard.tsx';
import { MyQueuesCard } from './MyQueuesCard.tsx';
import { MyStatsCard } from './MyStatsCard.tsx';
import { ScreenPop, useSupporterCard } from './ScreenPop.tsx';
import { TransferModal } from './TransferModal.tsx';

type Campaign = { id: string; name: string; cycleType: string; script?: string };

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function OperatorDesktop() {
  const { t, language } = useI18n();
  const { session: user } = useSession();
  const [session, setSession] = useState<OperatorSession | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState<string>('break');
  const [chosen, setChosen] = useState<string | null>(null);
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [transferring, setTransferring] = useState(false);
  const campaignByOffer = useRef(new Map<string, string>());
  const dispositionRef = useRef<HTMLInputElement>(null);
  const now = useNow(500);
  const observed = useRef(new Map<string, number>()).current;

  const load = useCallback(async () => {
    try {
      setSession(await api<OperatorSession>('GET', '/api/operator/session'));
      setUnavailable(false);
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 404 || failure.status === 503))
        setUnavailable(true);
      else console.error(failure);
    }
  }, []);
  const reload = useMemo(() => throttle(() => void load(), 250), [load]);
  useEffect(() => () => reload.cancel(), [reload]);

  const me = user?.id;
  const onEvent = useCallback(
    (event: LiveEvent) => {
      const data = (event.data ?? {}) as Record<string, unknown>;
      const mine =
        event.recipientUserId === me ||
        data.userId === me ||
        data.operatorId === me ||
        data.agentId === me ||
        data.fromOperatorId === me;
      if (!mine) return;
      if (event.type === 'interaction.offered' && typeof data.offerId === 'string') {
        if (typeof data.campaignId === 'string') campaignByOffer.current.set(data.offerId, data.campaignId);
      }
      reload();
    },
    [me, reload],
  );
  const status = useLiveStream({
    types: ['interaction.*', 'agent.*'],
    onEvent,
    onReset: () => void load(),
  });

  // Remember the campaign of an offer: the interaction that follows has the same id.
  useEffect(() => {
    const offer = session?.offer;
    if (offer?.campaignId) campaignByOffer.current.set(offer.offerId, offer.campaignId);
  }, [session?.offer]);

  const interaction = session?.interaction ?? null;
  const offer = session?.offer ?? null;
  // The contact shown: the offer ringing or the call; it stays on screen after
  // the call (the card updated by the outcome) until the next one arrives.
  const [contact, setContact] = useState<{
    id: string;
    orgId: string;
    matches: CallerMatch[];
    campaignId: string | null;
  } | null>(null);
  const liveContactId = interaction?.interactionId ?? offer?.offerId ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new contact (its id) replaces the one shown
  useEffect(() => {
    if (!liveContactId) return;
    const matches = interaction?.screenPop ?? offer?.screenPop ?? [];
    const orgId = interaction?.orgId ?? offer?.orgId ?? '';
    const campaignId =
      interaction?.campaignId ?? campaignByOffer.current.get(liveContactId) ?? offer?.campaignId ?? null;
    setContact((shown) =>
      shown?.id === liveContactId ? shown : { id: liveContactId, orgId, matches, campaignId },
    );
    // The single match is chosen; several wait for the operator.
    setChosen((current) =>
      contact?.id === liveContactId
        ? current
        : matches.length === 1
          ? (matches[0]?.supporterId ?? null)
          : null,
    );
  }, [liveContactId]);
  const contactOrg = contact?.orgId ?? null;
  const campaignId = contact?.campaignId ?? null;
  const {
    card,
    failed,
    reload: reloadCard,
  } = useSupporterCard(
    contactOrg,
    chosen,
    interaction && interaction.interactionId === contact?.id ? interaction.interactionId : null,
  );
  const dispositions = useDispositions(contactOrg);
  // The outcome reaches the CRM when the contact closes: read the card again then.
  const lastInteraction = useRef<string | null>(null);
  const interactionId = interaction?.interactionId ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the end of a contact matters
  useEffect(() => {
    if (lastInteraction.current && interactionId !== lastInteraction.current)
      for (const ms of [500, 2000]) setTimeout(reloadCard, ms);
    lastInteraction.current = interactionId;
  }, [interactionId]);

  useEffect(() => {
    setCampaign(null);
    if (!campaignId || !contactOrg) return;
    const controller = new AbortController();
    api<Campaign>('GET', `/api/organizations/${contactOrg}/campaigns/${campaignId}`, undefined, {
      signal: controller.signal,
    })
      .then(setCampaign)
      .catch(() => undefined);
    return () => controller.abort();
  }, [campaignId, contactOrg]);

  const act = useCallback(
    async (path: string, body?: unknown) => {
      setBusy(true);
      setError(null);
      try {
        setSession(await api<OperatorSession>('POST', path, body));
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : t('error.generic'));
        void load();
      } finally {
        setBusy(false);
      }
    },
    [load, t],
  );

  const accept = useCallback(() => {
    if (offer) void act(`/api/operator/offers/${offer.offerId}/accept`);
  }, [act, offer]);
  const reject = useCallback(() => {
    if (offer) void act(`/api/operator/offers/${offer.offerId}/reject`);
  }, [act, offer]);
  const connected = interaction !== null && interaction.endedAt === null && interaction.phase !== 'wrap_up';
  const toggleHold = useCallback(() => {
    if (interaction && connected)
      void act(
        `/api/operator/interactions/${interaction.interactionId}/${interaction.onHold ? 'unhold' : 'hold'}`,
      );
  }, [act, interaction, connected]);
  const hangUp = useCallback(() => {
    if (interaction && connected) void act(`/api/operator/interactions/${interaction.interactionId}/hangup`);
  }, [act, interaction, connected]);

  // After an outcome recorded during the call, the wrap-up goes on until the operator ends it
  // (or the queue's wrap-up time does).
  const wrappingUp = interaction !== null && interaction.phase === 'wrap_up';
  const endWrapUp = useCallback(() => {
    if (interaction && wrappingUp && interaction.disposition)
      void act(`/api/operator/interactions/${interaction.interactionId}/end-wrap-up`);
  }, [act, interaction, wrappingUp]);

  const openTransfer = useCallback(() => {
    if (interaction && connected) setTransferring(true);
  }, [interaction, connected]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const key = event.key.toLowerCase();
      const action =
        key === 'a'
          ? accept
          : key === 'r'
            ? reject
            : key === 'h'
              ? toggleHold
              : key === 'e'
                ? hangUp
                : key === 't'
                  ? openTransfer
                  : key === 'w'
                    ? endWrapUp
                    : null;
      if (action) {
        event.preventDefault();
        action();
      } else if (key === 'd' && dispositionRef.current) {
        event.preventDefault();
        dispositionRef.current.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [accept, reject, toggleHold, hangUp, openTransfer, endWrapUp]);

  if (unavailable)
    return (
      <Alert color="yellow" role="alert" title={t('op.title')}>
        {t('live.unavailable')}
      </Alert>
    );
  if (!session) return <Text>{t('op.loading')}</Text>;

  const since = sinceMs(session.since, observed, 'state');
  const activeCommitment = card?.commitments.find((c) => c.status === 'active') ?? null;
  const script =
    campaign?.script && card
      ? fillScript(campaign.script, {
          firstName: card.supporter.firstName,
          lastName: card.supporter.lastName,
          fullName: `${card.supporter.firstName} ${card.supporter.lastName}`,
          city: card.supporter.addresses[0]?.city,
          amount: activeCommitment
            ? new Intl.NumberFormat(language === 'it' ? 'it-IT' : 'en-GB', {
                style: 'currency',
                currency: activeCommitment.currency,
              }).format(activeCommitment.amountCents / 100)
            : undefined,
          frequency: activeCommitment?.frequency,
          operatorName: user?.name,
        } satisfies Record<MergeField, string | undefined>)
      : (campaign?.script ?? null);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('op.title')}</Title>
        <Badge color={status === 'open' ? 'green' : 'gray'} variant="dot" aria-live="polite">
          {status === 'open' ? t('live.connected') : t('live.reconnecting')}
        </Badge>
      </Group>
      {error && (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          onClose={() => setError(null)}
          closeButtonLabel={t('op.close')}
        >
          {error}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="md">
            <Card withBorder component="section" aria-labelledby="op-state-title">
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h4" id="op-state-title">
                  {t('op.state.title')}
                </Title>
                <Group gap="xs">
                  <Badge color={stateColor(session.state)} size="lg" data-testid="operator-state">
                    {stateLabel(t, session.state)}
                    {session.reason ? ` · ${reasonLabel(t, session.reason)}` : ''}
                  </Badge>
                  <Text size="sm" ff="monospace" aria-label={t('op.state.timeInState')}>
                    {formatDuration((now - since) / 1000)}
                  </Text>
                </Group>
              </Group>
              <Group gap="xs" align="flex-end">
                <Button
                  color="green"
                  disabled={busy || session.presence === 'available'}
                  onClick={() => void act('/api/operator/state', { state: 'available' })}
                >
                  {t('op.state.goAvailable')}
                </Button>
                <Select
                  label={t('op.state.reason')}
                  data={NOT_READY_REASONS.map((r) => ({ value: r, label: t(`op.reason.${r}`) }))}
                  value={reason}
                  onChange={(value) => setReason(value ?? 'break')}
                  allowDeselect={false}
                  w={160}
                />
                <Button
                  color="orange"
                  variant="light"
                  disabled={busy}
                  onClick={() => void act('/api/operator/state', { state: 'not_ready', reason })}
                >
                  {t('op.state.pause')}
                </Button>
                <Button
                  color="gray"
                  variant="subtle"
                  disabled={busy || session.presence === 'offline'}
                  onClick={() => void act('/api/operator/state', { state: 'offline' })}
                >
                  {t('op.state.logout')}
                </Button>
              </Group>
            </Card>

            {offer && (
              <Card
                withBorder
                component="section"
                aria-labelledby="offer-title"
                bg="yellow.0"
                data-testid="offer"
              >
                <Title order={2} size="h4" id="offer-title">
                  {t('op.offer.title')}
                </Title>
                <Text size="sm">
                  {offer.direction === 'inbound' ? t('op.offer.inbound') : t('op.offer.outbound')}
                  {offer.cycleType ? ` · ${offer.cycleType}` : ''}
                  {offer.screenPop[0]
                    ? ` · ${offer.screenPop[0].firstName} ${offer.screenPop[0].lastName}`
                    : ` · ${t('op.pop.unknownCaller')}`}
                </Text>
                <OfferCountdown at={offer.at} expiresAt={offer.expiresAt} now={now} />
                <Group mt="sm">
                  <Button color="green" onClick={accept} disabled={busy}>
                    {t('op.offer.accept')} <Kbd ml="xs">A</Kbd>
                  </Button>
                  <Button color="red" variant="light" onClick={reject} disabled={busy}>
                    {t('op.offer.reject')} <Kbd ml="xs">R</Kbd>
                  </Button>
                </Group>
              </Card>
            )}

            {interaction && (
              <Card
                withBorder
                component="section"
                aria-labelledby="call-title"
                data-testid="call"
                data-interaction-id={interaction.interactionId}
              >
                <Group justify="space-between">
                  <Title order={2} size="h4" id="call-title">
                    {t('op.call.title')}
                  </Title>
                  <Badge data-testid="call-phase">
                    {interaction.onHold ? t('op.call.onHold') : phaseLabel(t, interaction.phase)}
                  </Badge>
                </Group>
                <Text size="sm" data-testid="call-number">
                  {interaction.callerId ?? t('op.call.hiddenNumber')} → {interaction.number}
                  {interaction.answeredAt && connected
                    ? ` · ${formatDuration((now - sinceMs(interaction.answeredAt, observed, 'answered')) / 1000)}`
                    : ''}
                </Text>
                {connected ? (
                  <Group mt="sm">
                    <Button variant="light" onClick={toggleHold} disabled={busy}>
                      {interaction.onHold ? t('op.call.unhold') : t('op.call.hold')} <Kbd ml="xs">H</Kbd>
                    </Button>
                    <Button
                      variant="light"
                      color="indigo"
                      onClick={openTransfer}
                      disabled={busy}
                      data-testid="transfer"
                    >
                      {t('desk.transfer')} <Kbd ml="xs">T</Kbd>
                    </Button>
                    <Button color="red" onClick={hangUp} disabled={busy}>
                      {t('op.call.hangUp')} <Kbd ml="xs">E</Kbd>
                    </Button>
                  </Group>
                ) : (
                  interaction.endedAt && (
                    <Text size="sm" mt="xs" data-testid="wrap-up-timer">
                      {t('op.call.wrapUp')}{' '}
                      {formatDuration((now - sinceMs(interaction.endedAt, observed, 'ended')) / 1000)}
                    </Text>
                  )
                )}
              </Card>
            )}

            {interaction && (
              <TransferModal
                opened={transferring && connected}
                onClose={() => setTransferring(false)}
                orgId={interaction.orgId}
                callId={interaction.callId}
                onDone={setSession}
              />
            )}
            {interaction && !interaction.disposition && (
              <DispositionForm
                key={interaction.interactionId}
                interactionId={interaction.interactionId}
                codes={interaction.dispositions}
                dispositions={dispositions}
                commitments={card?.commitments ?? []}
                selectRef={dispositionRef}
                onDone={() => {
                  void load();
                  // The outcome reaches the CRM when the contact closes: read the card again.
                  for (const ms of [800, 2500]) setTimeout(reloadCard, ms);
                }}
              />
            )}
            {interaction?.disposition && (
              <Alert color="green" data-testid="disposition-saved">
                <Group justify="space-between">
                  <span>
                    {t('op.disposition.saved')} {interaction.disposition.code}
                  </span>
                  {wrappingUp && (
                    <Button size="xs" onClick={endWrapUp} disabled={busy} data-testid="end-wrap-up">
                      {t('desk.endWrapUp')} <Kbd ml="xs">W</Kbd>
                    </Button>
                  )}
                </Group>
              </Alert>
            )}
            {!offer && !interaction && (
              <Text c="dimmed" data-testid="waiting">
                {session.presence === 'available' ? t('op.waitingForContacts') : t('op.notAvailable')}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              {t('op.shortcuts')}: <Kbd>A</Kbd> {t('op.offer.accept')} · <Kbd>R</Kbd> {t('op.offer.reject')} ·{' '}
              <Kbd>H</Kbd> {t('op.call.hold')} · <Kbd>T</Kbd> {t('desk.transfer')} · <Kbd>E</Kbd>{' '}
              {t('op.call.hangUp')} · <Kbd>D</Kbd> {t('op.shortcut.disposition')} · <Kbd>W</Kbd>{' '}
              {t('desk.endWrapUp')}
            </Text>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="md">
            {contact && (
              <ScreenPop
                orgId={contact.orgId}
                matches={contact.matches}
                chosen={chosen}
                onChoose={setChosen}
                card={card}
                failed={failed}
              />
            )}
            {campaign && (
              <Card withBorder component="section" aria-labelledby="script-title">
                <Title order={2} size="h4" id="script-title" mb="xs">
                  {t('op.script.title')} · {campaign.name}
                </Title>
                <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="script">
                  {script ?? t('op.script.none')}
                </Text>
              </Card>
            )}
            <MyQueuesCard refreshKey={session.presence} />
            <MyCallbacksCard refreshKey={interactionId} />
            <MyStatsCard refreshKey={interactionId} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function phaseLabel(t: (key: MessageKey) => string, phase: string): string {
  const keys: Record<string, MessageKey> = {
    accepted: 'op.phase.accepted',
    connected: 'op.phase.connected',
    wrap_up: 'op.phase.wrap_up',
    closed: 'op.phase.closed',
  };
  const key = keys[phase];
  return key ? t(key) : phase;
}

function OfferCountdown({ at, expiresAt, now }: { at: number; expiresAt: number; now: number }) {
  const { t } = useI18n();
  // The offer's times are the server's (accelerated in a simulation): show the share left.
  const total = Math.max(1, expiresAt - at);
  const [start] = useState(now);
  const left = Math.max(0, total - (now - start));
  const seconds = Math.ceil(left / 1000);
  return (
    <Stack gap={2} mt="xs">
      <Text size="sm" data-testid="offer-countdown">
        {t('op.offer.expiresIn')} {seconds} s
      </Text>
      <Progress
        value={(100 * left) / total}
        color={seconds <= 5 ? 'red' : 'yellow'}
        aria-label={t('op.offer.expiresIn')}
      />
    </Stack>
  );
}
