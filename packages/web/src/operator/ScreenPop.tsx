// The screen pop: who is calling, from the CRM. The live API gives the
// caller's matches (by number); with several, the operator picks one. During
// the contact the card is the operator API's supporter 360 (GET
// /api/operator/interactions/:id/supporter: identity, consents, commitments
// with the IBAN masked, gifts, last interactions, open callbacks); after it
// (the card read again once the outcome is recorded) the CRM's own APIs.
import { Alert, Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { type MessageKey, messages, useI18n } from '../i18n.ts';
import type { CallerMatch } from '../live/types.ts';

export type Supporter = {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  fiscalCode: string | null;
  language: string;
  status: string;
  phones: { number: string; kind: string; valid: boolean; primary: boolean }[];
  emails: { email: string; valid: boolean; primary: boolean }[];
  addresses: Record<string, string>[];
  tags: string[];
  consents: { id: string; channel: string; purpose: string; granted: boolean; recordedAt: string }[];
};

export type Commitment = {
  id: string;
  amountCents: number;
  currency: string;
  frequency: string;
  method: string;
  startDate: string;
  status: string;
  mandate: { ibanMasked: string; status: string } | null;
};

type Gift = {
  id: string;
  giftDate: string;
  amountCents: number;
  currency: string;
  method: string;
  status: string;
};
type TimelineEntry = { type: string; id: string; at: string; kind: string; actor: string };

type PastInteraction = {
  id: string;
  direction: string;
  createdAt: string;
  outcome: string | null;
  disposition: string | null;
  notes: string;
};
type Callback = {
  id: string;
  dueAt: string;
  phone: string;
  status: string;
  ownerUserId: string | null;
  notes: string;
};

export type SupporterCard = {
  supporter: Supporter;
  commitments: Commitment[];
  gifts: Gift[];
  timeline: TimelineEntry[];
  /** From the supporter 360 (during the contact); absent from the CRM's APIs. */
  interactions?: PastInteraction[];
  callbacks?: Callback[];
};

type Supporter360 = {
  supporter: Supporter;
  consents: Supporter['consents'];
  commitments: Commitment[];
  gifts: Gift[];
  interactions: PastInteraction[];
  callbacks: Callback[];
};

export function useSupporterCard(
  orgId: string | null,
  supporterId: string | null,
  interactionId: string | null,
) {
  const [card, setCard] = useState<SupporterCard | null>(null);
  const [failed, setFailed] = useState(false);
  const [version, setVersion] = useState(0);
  const shownFor = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks for a fresh read (after an outcome)
  useEffect(() => {
    // Another supporter empties the card; a fresh read of the same one keeps it until it arrives.
    if (shownFor.current !== supporterId) setCard(null);
    shownFor.current = supporterId;
    setFailed(false);
    if (!orgId || !supporterId) return;
    const controller = new AbortController();
    const base = `/api/organizations/${orgId}/supporters/${supporterId}`;
    const get = <T,>(path: string) => api<T>('GET', path, undefined, { signal: controller.signal });
    // Each part on its own: a role that may not read gifts still sees the person.
    const optional = <T,>(promise: Promise<T>, fallback: T) => promise.catch(() => fallback);
    const fromCrm = () =>
      Promise.all([
        get<Supporter>(base),
        optional(get<{ items: Commitment[] }>(`${base}/commitments`), { items: [] }),
        optional(get<{ items: Gift[] }>(`${base}/gifts?limit=5`), { items: [] }),
        optional(get<{ items: TimelineEntry[] }>(`${base}/timeline?limit=8`), { items: [] }),
      ]).then(
        ([supporter, commitments, gifts, timeline]): SupporterCard => ({
          supporter,
          commitments: commitments.items,
          gifts: gifts.items,
          timeline: timeline.items,
        }),
      );
    const from360 = interactionId
      ? get<Supporter360>(
          `/api/operator/interactions/${interactionId}/supporter?supporterId=${supporterId}`,
        ).then(
          (view): SupporterCard => ({
            supporter: { ...view.supporter, consents: view.consents ?? view.supporter.consents },
            commitments: view.commitments,
            gifts: view.gifts.slice(0, 5),
            timeline: [],
            interactions: view.interactions.slice(0, 5),
            callbacks: view.callbacks,
          }),
        )
      : Promise.reject(new Error('no contact'));
    from360
      .catch(() => fromCrm())
      .then((read) => {
        // A read overtaken by a newer one (another supporter, a reload) is dropped.
        if (!controller.signal.aborted) setCard(read);
      })
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true);
      });
    return () => controller.abort();
  }, [orgId, supporterId, interactionId, version]);
  return { card, failed, reload: () => setVersion((v) => v + 1) };
}

export function MatchList({
  matches,
  chosen,
  onChoose,
}: {
  matches: CallerMatch[];
  chosen: string | null;
  onChoose: (supporterId: string) => void;
}) {
  const { t } = useI18n();
  if (matches.length === 0)
    return (
      <Text c="dimmed" data-testid="screen-pop-unknown">
        {t('op.pop.unknownCaller')}
      </Text>
    );
  if (matches.length === 1) return null;
  return (
    <Stack gap={4}>
      <Text size="sm">{t('op.pop.severalMatches')}</Text>
      <Group gap="xs">
        {matches.map((match) => (
          <Button
            key={match.supporterId}
            size="xs"
            variant={match.supporterId === chosen ? 'filled' : 'default'}
            aria-pressed={match.supporterId === chosen}
            onClick={() => onChoose(match.supporterId)}
          >
            {match.firstName} {match.lastName}
          </Button>
        ))}
      </Group>
    </Stack>
  );
}

/** An enumeration's value in words, when we have them; else as the API says it. */
export function valueLabel(t: (key: MessageKey) => string, value: string): string {
  const key = `val.${value}`;
  if (key in messages.it) return t(key as MessageKey);
  const frequency = `op.frequency.${value}`;
  return frequency in messages.it ? t(frequency as MessageKey) : value;
}

export function SupporterView({ card }: { card: SupporterCard }) {
  const { t, language, formatNumber } = useI18n();
  const v = (value: string) => valueLabel(t, value);
  const { supporter, commitments, gifts, timeline } = card;
  const money = (cents: number, currency: string) =>
    formatNumber(cents / 100, { style: 'currency', currency });
  const locale = language === 'it' ? 'it-IT' : 'en-GB';
  const date = (iso: string) => new Date(iso).toLocaleDateString(locale);
  const dateTime = (iso: string) =>
    new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
  const phone = supporter.phones.find((p) => p.primary) ?? supporter.phones[0];
  const email = supporter.emails.find((e) => e.primary) ?? supporter.emails[0];
  const address = supporter.addresses[0];
  return (
    <Stack gap="sm" data-testid="screen-pop">
      <Group justify="space-between" align="baseline">
        <Title order={3} size="h4" data-testid="screen-pop-name">
          {supporter.firstName} {supporter.lastName}
        </Title>
        <Badge color={supporter.status === 'active' ? 'green' : 'gray'}>{v(supporter.status)}</Badge>
      </Group>
      <Text size="sm">
        {[
          phone?.number,
          email?.email,
          address ? [address.line1, address.postalCode, address.city].filter(Boolean).join(' ') : null,
          supporter.birthDate ? `${t('op.pop.born')} ${date(supporter.birthDate)}` : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Text>
      {supporter.tags.length > 0 && (
        <Group gap={4}>
          {supporter.tags.map((tag) => (
            <Badge key={tag} variant="outline" size="sm">
              {tag}
            </Badge>
          ))}
        </Group>
      )}
      <div>
        <Text fw={600} size="sm">
          {t('op.pop.consents')}
        </Text>
        {supporter.consents.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('op.pop.none')}
          </Text>
        ) : (
          <Group gap={4}>
            {supporter.consents.map((consent) => (
              <Badge key={consent.id} color={consent.granted ? 'green' : 'red'} variant="light" size="sm">
                {consent.channel} · {consent.purpose}:{' '}
                {consent.granted ? t('op.pop.granted') : t('op.pop.refused')}
              </Badge>
            ))}
          </Group>
        )}
      </div>
      <div>
        <Text fw={600} size="sm">
          {t('op.pop.commitments')}
        </Text>
        {commitments.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('op.pop.none')}
          </Text>
        ) : (
          <Table fz="sm" data-testid="screen-pop-commitments">
            <Table.Tbody>
              {commitments.map((commitment) => (
                <Table.Tr key={commitment.id}>
                  <Table.Td data-testid="commitment-amount">
                    {money(commitment.amountCents, commitment.currency)}
                  </Table.Td>
                  <Table.Td>{v(commitment.frequency)}</Table.Td>
                  <Table.Td>{v(commitment.method)}</Table.Td>
                  <Table.Td>{commitment.mandate?.ibanMasked ?? '—'}</Table.Td>
                  <Table.Td>{v(commitment.status)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      <div>
        <Text fw={600} size="sm">
          {t('op.pop.gifts')}
        </Text>
        {gifts.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('op.pop.none')}
          </Text>
        ) : (
          <Table fz="sm">
            <Table.Tbody>
              {gifts.map((gift) => (
                <Table.Tr key={gift.id}>
                  <Table.Td>{date(gift.giftDate)}</Table.Td>
                  <Table.Td>{money(gift.amountCents, gift.currency)}</Table.Td>
                  <Table.Td>{v(gift.method)}</Table.Td>
                  <Table.Td>{v(gift.status)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      {card.callbacks && (
        <div>
          <Text fw={600} size="sm">
            {t('op.pop.callbacks')}
          </Text>
          {card.callbacks.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('op.pop.none')}
            </Text>
          ) : (
            <Stack gap={0} data-testid="screen-pop-callbacks">
              {card.callbacks.map((callback) => (
                <Text key={callback.id} size="sm">
                  {dateTime(callback.dueAt)} · {callback.phone} · {callback.status}
                  {callback.notes ? ` · ${callback.notes}` : ''}
                </Text>
              ))}
            </Stack>
          )}
        </div>
      )}
      {card.interactions && (
        <div>
          <Text fw={600} size="sm">
            {t('op.pop.lastInteractions')}
          </Text>
          {card.interactions.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('op.pop.none')}
            </Text>
          ) : (
            <Stack gap={0} data-testid="screen-pop-interactions">
              {card.interactions.map((contact) => (
                <Text key={contact.id} size="xs">
                  {dateTime(contact.createdAt)} ·{' '}
                  {contact.direction === 'inbound' ? t('op.offer.inbound') : t('op.offer.outbound')} ·{' '}
                  {contact.disposition ?? contact.outcome ?? '—'}
                  {contact.notes ? ` · ${contact.notes}` : ''}
                </Text>
              ))}
            </Stack>
          )}
        </div>
      )}
      {timeline.length > 0 && (
        <div>
          <Text fw={600} size="sm">
            {t('op.pop.lastActivity')}
          </Text>
          {timeline.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('op.pop.none')}
            </Text>
          ) : (
            <Stack gap={0}>
              {timeline.map((entry) => (
                <Text key={`${entry.type}-${entry.id}`} size="xs">
                  {date(entry.at)} · {entry.type} · {entry.kind}
                </Text>
              ))}
            </Stack>
          )}
        </div>
      )}
    </Stack>
  );
}

/** The matches, the one chosen, its card. */
export function ScreenPop({
  orgId,
  matches,
  chosen,
  onChoose,
  card,
  failed,
}: {
  orgId: string;
  matches: CallerMatch[];
  chosen: string | null;
  onChoose: (supporterId: string) => void;
  card: SupporterCard | null;
  failed: boolean;
}) {
  const { t } = useI18n();
  return (
    <Card withBorder component="section" aria-labelledby="screen-pop-title">
      <Title order={2} size="h4" id="screen-pop-title" mb="xs">
        {t('op.pop.title')}
      </Title>
      <Stack gap="sm">
        <MatchList matches={matches} chosen={chosen} onChoose={onChoose} />
        {failed && (
          <Alert color="red" role="alert">
            {t('error.generic')}
          </Alert>
        )}
        {chosen && !card && !failed && orgId && <Loader size="sm" aria-label={t('op.loading')} />}
        {card && <SupporterView card={card} />}
      </Stack>
    </Card>
  );
}
