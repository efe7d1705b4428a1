// The callbacks the operator promised "for me" and that still wait
// (GET /api/operator/callbacks), soonest first: a promise made to a donor is
// not forgotten between calls. Read again every minute and when `refreshKey`
// changes (the desktop passes its current contact: the callback recorded on a
// contact is written when that contact closes, hence the reads a little later).
import { Card, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';

type OwnedCallback = {
  id: string;
  dueAt: string;
  phone: string;
  supporterName: string | null;
  targetName: string;
  notes: string;
};

const REFRESH_MS = 60_000;
const AFTER_CLOSE_MS = [700, 2500];

export function MyCallbacksCard({ refreshKey }: { refreshKey: string | null }) {
  const { t, language } = useI18n();
  const [items, setItems] = useState<OwnedCallback[] | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems((await api<{ items: OwnedCallback[] }>('GET', '/api/operator/callbacks')).items);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of refreshKey is the trigger
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timers = AFTER_CLOSE_MS.map((ms) => setTimeout(() => void load(), ms));
    return () => timers.forEach(clearTimeout);
  }, [refreshKey, load]);

  const locale = language === 'it' ? 'it-IT' : 'en-GB';
  const when = (iso: string) =>
    new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <Card withBorder component="section" aria-labelledby="my-callbacks-title" data-testid="my-callbacks">
      <Title order={2} size="h4" id="my-callbacks-title" mb="xs">
        {t('desk.callbacks.title')}
      </Title>
      {failed && !items && (
        <Text size="sm" c="dimmed">
          {t('desk.callbacks.failed')}
        </Text>
      )}
      {items && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('desk.callbacks.none')}
        </Text>
      )}
      {items && items.length > 0 && (
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((callback) => (
            <Text component="li" size="sm" key={callback.id} data-testid="my-callback">
              <strong>{when(callback.dueAt)}</strong> ·{' '}
              {callback.supporterName ?? t('desk.callbacks.unknownCaller')} · {callback.phone} ·{' '}
              {callback.targetName}
              {callback.notes ? ` · ${callback.notes}` : ''}
            </Text>
          ))}
        </Stack>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        {t('desk.callbacks.hint')}
      </Text>
    </Card>
  );
}
