// The transfer of the connected call: a queue of the call's organization or,
// for roles that see the floor (supervisors), an available colleague. The
// answer is the operator's new session (wrap-up of the leg just handed on).
import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import type { OperatorSession, OperatorStatus } from '../live/types.ts';
import { useSession } from '../session.tsx';
import { availableColleagues, COLLEAGUE_READERS, transferErrorKey, transferTarget } from './transfer.ts';

type Queue = { id: string; key: string; name: string };

export function TransferModal({
  opened,
  onClose,
  orgId,
  callId,
  onDone,
}: {
  opened: boolean;
  onClose: () => void;
  orgId: string;
  callId: string;
  onDone: (session: OperatorSession) => void;
}) {
  const { t } = useI18n();
  const { session: user } = useSession();
  const seesColleagues = user ? COLLEAGUE_READERS.includes(user.role) : false;
  const [queues, setQueues] = useState<Queue[]>([]);
  const [colleagues, setColleagues] = useState<OperatorStatus[]>([]);
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setValue(null);
    setError(null);
    const controller = new AbortController();
    const signal = controller.signal;
    api<{ items: Queue[] }>('GET', `/api/organizations/${orgId}/queues`, undefined, { signal })
      .then((answer) => setQueues(answer.items))
      .catch(() => undefined);
    if (seesColleagues)
      api<{ items: OperatorStatus[] }>('GET', '/api/live/operators', undefined, { signal })
        .then((answer) => setColleagues(availableColleagues(answer.items, user?.id)))
        .catch(() => undefined);
    return () => controller.abort();
  }, [opened, orgId, seesColleagues, user?.id]);

  const data = [
    {
      group: t('desk.transfer.queues'),
      items: queues.map((q) => ({ value: `queue:${q.id}`, label: q.name })),
    },
    ...(colleagues.length > 0
      ? [
          {
            group: t('desk.transfer.colleagues'),
            items: colleagues.map((o) => ({ value: `operator:${o.userId}`, label: o.displayName })),
          },
        ]
      : []),
  ];

  const submit = async () => {
    const to = transferTarget(value);
    if (!to) return;
    setBusy(true);
    setError(null);
    try {
      onDone(
        await api<OperatorSession>('POST', `/api/operator/calls/${encodeURIComponent(callId)}/transfer`, {
          to,
        }),
      );
      onClose();
    } catch (failure) {
      if (failure instanceof ApiError) {
        const code = (failure.problem as { code?: string }).code;
        const key = transferErrorKey(failure.status, code);
        setError(key ? t(key) : failure.message);
      } else setError(t('error.generic'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('desk.transfer.title')}
      closeButtonProps={{ 'aria-label': t('op.close') }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('desk.transfer.hint')}</Text>
        {!seesColleagues ? (
          <Text size="sm" c="dimmed">
            {t('desk.transfer.queueOnly')}
          </Text>
        ) : (
          colleagues.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('desk.transfer.noColleagues')}
            </Text>
          )
        )}
        <Select
          label={t('desk.transfer.target')}
          data={data}
          value={value}
          onChange={setValue}
          searchable
          data-autofocus
          data-testid="transfer-target"
        />
        {error && (
          <Alert color="red" role="alert" data-testid="transfer-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="subtle" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void submit()} disabled={!transferTarget(value)} loading={busy}>
            {t('desk.transfer.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
