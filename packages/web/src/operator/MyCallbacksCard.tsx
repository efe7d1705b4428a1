// The callbacks the operator promised "for me" and that still wait
// (GET /api/operator/callbacks), soonest first: a promise made to a donor is
// not forgotten between calls. Read again every minute and after a contact
// closes, which writes the callback recorded on it (useContactRefreshed).
import { Card, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../i18n.ts';
import { useContactRefreshed } from './useContactRefreshed.ts';

type OwnedCallback = {
  id: string;
  dueAt: string;
  phone: string;
  supporterName: string | null;
  targetName: string;
  notes: string;
};

export function MyCallbacksCard({ refreshKey }: { refreshKey: string | null }) {
  const { t, language } = useI18n();
  const { data, failed } = useContactRefreshed<{ items: OwnedCallback[] }>(
    '/api/operator/callbacks',
    refreshKey,
  );
  const items = data?.items ?? null;

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
