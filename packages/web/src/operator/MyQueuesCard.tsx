// The queues the operator takes contacts from (GET /api/operator/queues): a
// switch per queue of their organizations logs them out of it or back in
// (PUT /api/operator/queues/:id). Logged out of a queue, they are offered none
// of its contacts; going offline, or a restart of the center, logs them back
// in to all — so the list is read again when their presence changes.
import { Badge, Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { useOrganizations } from '../live/organizations.ts';

type OperatorQueue = {
  queueId: string;
  orgId: string;
  name: string;
  direction: 'inbound' | 'outbound';
  loggedIn: boolean;
};

export function MyQueuesCard({ refreshKey }: { refreshKey: string }) {
  const { t } = useI18n();
  const { organizations } = useOrganizations();
  const [queues, setQueues] = useState<OperatorQueue[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setQueues((await api<{ items: OperatorQueue[] }>('GET', '/api/operator/queues')).items);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of refreshKey (presence) is the trigger
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const toggle = async (queue: OperatorQueue, loggedIn: boolean) => {
    setBusy(queue.queueId);
    // The switch moves at once; the server's answer (or a re-read after a refusal) has the last word.
    setQueues(
      (current) => current?.map((q) => (q.queueId === queue.queueId ? { ...q, loggedIn } : q)) ?? null,
    );
    try {
      const updated = await api<OperatorQueue>('PUT', `/api/operator/queues/${queue.queueId}`, { loggedIn });
      setQueues((current) => current?.map((q) => (q.queueId === updated.queueId ? updated : q)) ?? null);
    } catch {
      void load();
    } finally {
      setBusy(null);
    }
  };

  const orgName = (id: string) => organizations.find((o) => o.id === id)?.name ?? '';
  const several = new Set(queues?.map((q) => q.orgId)).size > 1;
  return (
    <Card withBorder component="section" aria-labelledby="my-queues-title" data-testid="my-queues">
      <Title order={2} size="h4" id="my-queues-title" mb="xs">
        {t('desk.queues.title')}
      </Title>
      {failed && !queues && (
        <Text size="sm" c="dimmed">
          {t('desk.queues.failed')}
        </Text>
      )}
      {queues && (
        <Stack gap={6}>
          {queues.map((queue) => (
            <Group key={queue.queueId} justify="space-between" wrap="nowrap">
              <Switch
                label={several ? `${queue.name} · ${orgName(queue.orgId)}` : queue.name}
                checked={queue.loggedIn}
                disabled={busy === queue.queueId}
                onChange={(event) => void toggle(queue, event.currentTarget.checked)}
              />
              <Badge variant="light" color={queue.direction === 'inbound' ? 'blue' : 'grape'}>
                {t(queue.direction === 'inbound' ? 'desk.queues.inbound' : 'desk.queues.outbound')}
              </Badge>
            </Group>
          ))}
        </Stack>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        {t('desk.queues.hint')}
      </Text>
    </Card>
  );
}
