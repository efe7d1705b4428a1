// The outcomes an operator may record in a campaign's cycle: the built-in
// ones (the same for every organization, read-only) and the organization's
// own, which an admin adds here for this cycle or for every cycle. They belong
// to the organization (GET/POST/DELETE /api/organizations/:orgId/dispositions),
// so every campaign of the cycle offers them, not only this one.
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import { ProblemAlert, problemFields, useList } from './common.tsx';

type Disposition = {
  id: string;
  code: string;
  labelIt: string;
  labelEn: string;
  effect: string;
  cycleType: string | null;
  successful: boolean;
  builtIn: boolean;
};
const EFFECTS = [
  'none',
  'reached',
  'not_interested',
  'call_back',
  'wrong_number',
  'do_not_call',
  'deceased',
  'upgrade_accepted',
  'conversion_accepted',
  'recapture_accepted',
] as const;
type Draft = {
  code: string;
  labelIt: string;
  labelEn: string;
  effect: string;
  successful: boolean;
  onlyCycle: boolean;
};
const EMPTY: Draft = {
  code: '',
  labelIt: '',
  labelEn: '',
  effect: 'none',
  successful: false,
  onlyCycle: true,
};

export function CampaignDispositions({
  orgId,
  cycleType,
  canEdit,
}: {
  orgId: string;
  cycleType: string;
  canEdit: boolean;
}) {
  const { t, language } = useI18n();
  const url = `/api/organizations/${orgId}/dispositions`;
  const list = useList<Disposition>(`${url}?cycleType=${cycleType}`);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = problemFields(error);
  const label = (d: Disposition) => (language === 'it' ? d.labelIt : d.labelEn);
  const effect = (code: string) => t(`adm.disposition.effect.${code}` as MessageKey);
  const builtIn = list.items.filter((d) => d.builtIn);
  const custom = list.items.filter((d) => !d.builtIn);

  async function add() {
    setBusy(true);
    setError(null);
    try {
      const { onlyCycle, ...body } = draft;
      await api('POST', url, { ...body, cycleType: onlyCycle ? cycleType : null });
      setDraft(EMPTY);
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  async function remove(d: Disposition) {
    if (!window.confirm(`${t('common.delete')} ${label(d)}?`)) return;
    setError(null);
    try {
      await api('DELETE', `${url}/${d.id}`);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <Stack gap="xs" data-testid="campaign-dispositions">
      <Text size="sm" fw={700}>
        {t('adm.disposition.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('adm.disposition.hint')}
      </Text>
      <ProblemAlert error={error ?? list.error} />
      <Group gap={4} aria-label={t('adm.disposition.builtIn')} role="list">
        {builtIn.map((d) => (
          <Badge key={d.id} variant="light" color={d.successful ? 'green' : 'gray'} role="listitem">
            {label(d)}
          </Badge>
        ))}
      </Group>
      {custom.length > 0 && (
        <Table fz="sm" data-testid="custom-dispositions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('adm.disposition.code')}</Table.Th>
              <Table.Th>{t('adm.disposition.label')}</Table.Th>
              <Table.Th>{t('adm.disposition.effect')}</Table.Th>
              <Table.Th>{t('adm.disposition.scope')}</Table.Th>
              {canEdit && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {custom.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <code>{d.code}</code>
                </Table.Td>
                <Table.Td>{label(d)}</Table.Td>
                <Table.Td>{effect(d.effect)}</Table.Td>
                <Table.Td>{d.cycleType ?? t('adm.disposition.everyCycle')}</Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Button size="compact-xs" variant="light" color="red" onClick={() => void remove(d)}>
                      {t('common.delete')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canEdit && (
        <Stack gap={6} role="group" aria-label={t('adm.disposition.new')}>
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            <TextInput
              label={t('adm.disposition.code')}
              description={t('adm.disposition.code.hint')}
              value={draft.code}
              error={fields.get('body.code')}
              onChange={(e) => setDraft({ ...draft, code: e.currentTarget.value })}
            />
            <TextInput
              label={t('adm.disposition.labelIt')}
              value={draft.labelIt}
              error={fields.get('body.labelIt')}
              onChange={(e) => setDraft({ ...draft, labelIt: e.currentTarget.value })}
            />
            <TextInput
              label={t('adm.disposition.labelEn')}
              value={draft.labelEn}
              error={fields.get('body.labelEn')}
              onChange={(e) => setDraft({ ...draft, labelEn: e.currentTarget.value })}
            />
            <Select
              label={t('adm.disposition.effect')}
              data={EFFECTS.map((code) => ({ value: code, label: effect(code) }))}
              value={draft.effect}
              error={fields.get('body.effect')}
              onChange={(v) => v && setDraft({ ...draft, effect: v })}
              allowDeselect={false}
            />
          </SimpleGrid>
          <Group>
            <Checkbox
              label={`${t('adm.disposition.onlyCycle')} ${cycleType}`}
              checked={draft.onlyCycle}
              onChange={(e) => setDraft({ ...draft, onlyCycle: e.currentTarget.checked })}
            />
            <Checkbox
              label={t('adm.disposition.successful')}
              checked={draft.successful}
              onChange={(e) => setDraft({ ...draft, successful: e.currentTarget.checked })}
            />
            <Button size="xs" variant="light" onClick={() => void add()} loading={busy}>
              {t('adm.disposition.add')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
