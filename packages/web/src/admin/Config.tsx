// Administration of an organization's contact-center configuration: queues
// and SLA contracts (admin and supervisor, the APIs' writers; campaigns: Campaigns.tsx).
// Forms send what the API takes; its validation messages show as they come.
import {
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { JsonField, ProblemAlert, parseJson, useList } from './common.tsx';

type Queue = {
  id: string;
  key: string;
  name: string;
  channel: string;
  direction: string;
  skillExpression: string | null;
  strategy: string;
  priority: number;
  wrapUpSeconds: number;
  serviceLevelSeconds: number;
};

const STRATEGIES = [
  'longest-idle',
  'least-occupied',
  'best-skill-then-longest-idle',
  'round-robin',
  'fewest-contacts',
  'random',
  'ring-all',
];

export function QueuesTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const url = `/api/organizations/${orgId}/queues`;
  const list = useList<Queue>(url);
  const [editing, setEditing] = useState<Partial<Queue> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    if (!editing) return;
    setBusy(true);
    setError(null);
    const body = {
      name: editing.name ?? '',
      channel: editing.channel ?? 'voice',
      direction: editing.direction ?? 'inbound',
      skillExpression: editing.skillExpression ?? '',
      strategy: editing.strategy ?? 'longest-idle',
      priority: editing.priority ?? 0,
      wrapUpSeconds: editing.wrapUpSeconds ?? 30,
      serviceLevelSeconds: editing.serviceLevelSeconds ?? 20,
    };
    try {
      if (editing.id) await api('PATCH', `${url}/${editing.id}`, body);
      else await api('POST', url, { key: editing.key ?? '', ...body });
      setEditing(null);
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  async function remove(queue: Queue) {
    if (!window.confirm(`${t('common.delete')} ${queue.name}?`)) return;
    try {
      await api('DELETE', `${url}/${queue.id}`);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <Stack gap="sm">
      {canWrite && (
        <Group>
          <Button size="xs" onClick={() => setEditing({ channel: 'voice', direction: 'inbound' })}>
            {t('adm.queue.new')}
          </Button>
        </Group>
      )}
      {!editing && <ProblemAlert error={error ?? list.error} />}
      <Table.ScrollContainer minWidth={800}>
        <Table fz="sm" striped data-testid="queues-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('adm.key')}</Table.Th>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('adm.queue.channel')}</Table.Th>
              <Table.Th>{t('adm.queue.skills')}</Table.Th>
              <Table.Th>{t('adm.queue.strategy')}</Table.Th>
              <Table.Th>{t('adm.queue.sl')}</Table.Th>
              {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((q) => (
              <Table.Tr key={q.id}>
                <Table.Td>
                  <code>{q.key}</code>
                </Table.Td>
                <Table.Td>{q.name}</Table.Td>
                <Table.Td>
                  {q.channel} · {q.direction}
                </Table.Td>
                <Table.Td>
                  <code>{q.skillExpression || '—'}</code>
                </Table.Td>
                <Table.Td>{q.strategy}</Table.Td>
                <Table.Td>{q.serviceLevelSeconds} s</Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="light" onClick={() => setEditing(q)}>
                        {t('common.edit')}
                      </Button>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(q)}>
                        {t('common.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.id ? `${t('common.edit')}: ${editing.name}` : t('adm.queue.new')}
        size="lg"
      >
        {editing && (
          <Stack gap="xs">
            <ProblemAlert error={error} />
            <SimpleGrid cols={2}>
              <TextInput
                label={t('adm.key')}
                description={t('adm.key.hint')}
                value={editing.key ?? ''}
                disabled={!!editing.id}
                onChange={(e) => setEditing({ ...editing, key: e.currentTarget.value })}
              />
              <TextInput
                label={t('common.name')}
                value={editing.name ?? ''}
                onChange={(e) => setEditing({ ...editing, name: e.currentTarget.value })}
              />
              <Select
                label={t('adm.queue.channel')}
                data={['voice', 'chat', 'email', 'sms', 'social']}
                value={editing.channel ?? 'voice'}
                onChange={(v) => v && setEditing({ ...editing, channel: v })}
                allowDeselect={false}
              />
              <Select
                label={t('adm.queue.direction')}
                data={['inbound', 'outbound']}
                value={editing.direction ?? 'inbound'}
                onChange={(v) => v && setEditing({ ...editing, direction: v })}
                allowDeselect={false}
              />
            </SimpleGrid>
            <TextInput
              label={t('adm.queue.skills')}
              description={t('adm.queue.skills.hint')}
              value={editing.skillExpression ?? ''}
              onChange={(e) => setEditing({ ...editing, skillExpression: e.currentTarget.value })}
            />
            <SimpleGrid cols={2}>
              <Select
                label={t('adm.queue.strategy')}
                data={STRATEGIES}
                value={editing.strategy ?? 'longest-idle'}
                onChange={(v) => v && setEditing({ ...editing, strategy: v })}
                allowDeselect={false}
              />
              <NumberInput
                label={t('adm.priority')}
                value={editing.priority ?? 0}
                onChange={(v) => setEditing({ ...editing, priority: Number(v) || 0 })}
              />
              <NumberInput
                label={t('adm.queue.wrapUp')}
                value={editing.wrapUpSeconds ?? 30}
                min={0}
                onChange={(v) => setEditing({ ...editing, wrapUpSeconds: Number(v) || 0 })}
              />
              <NumberInput
                label={t('adm.queue.sl')}
                value={editing.serviceLevelSeconds ?? 20}
                min={1}
                onChange={(v) => setEditing({ ...editing, serviceLevelSeconds: Number(v) || 20 })}
              />
            </SimpleGrid>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(null)}>
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void save()} loading={busy}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

type Contract = {
  id: string;
  name: string;
  validFrom: string;
  validTo: string | null;
  current: {
    version: number;
    effectiveFrom: string;
    atRiskPercent: number;
    metrics: unknown[];
    bonusRules: unknown[];
  };
};
type ContractForm = {
  id?: string;
  name: string;
  validFrom: string;
  validTo: string;
  effectiveFrom: string;
  terms: string;
};

const thisMonth = () => new Date().toLocaleDateString('en-CA').slice(0, 7);
const TERMS_TEMPLATE = {
  atRiskPercent: 10,
  metrics: [
    {
      kpi: 'service_level',
      minimum: 0.75,
      target: 0.8,
      window: 'month',
      kind: 'critical',
      allocationPercent: 50,
    },
    {
      kpi: 'abandon_rate',
      minimum: 0.08,
      target: 0.05,
      window: 'month',
      kind: 'critical',
      allocationPercent: 50,
    },
  ],
  bonusRules: [{ id: 'excellence', percentOfInvoice: 2 }],
};

export function SlaContractsTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const url = `/api/organizations/${orgId}/sla/contracts`;
  const list = useList<Contract>(url);
  const [form, setForm] = useState<ContractForm | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  function open(c: Contract | null) {
    setError(null);
    const terms = c
      ? {
          atRiskPercent: c.current.atRiskPercent,
          metrics: c.current.metrics,
          bonusRules: c.current.bonusRules,
        }
      : TERMS_TEMPLATE;
    setForm({
      ...(c ? { id: c.id } : {}),
      name: c?.name ?? '',
      validFrom: c?.validFrom ?? thisMonth(),
      validTo: c?.validTo ?? '',
      effectiveFrom: thisMonth(),
      terms: JSON.stringify(terms, null, 2),
    });
  }
  async function save() {
    if (!form) return;
    setBusy(true);
    setError(null);
    try {
      const terms = parseJson(t('adm.sla.terms'), form.terms) as Record<string, unknown>;
      const validTo = form.validTo.trim() === '' ? null : form.validTo.trim();
      if (form.id)
        await api('PUT', `${url}/${form.id}`, {
          ...terms,
          name: form.name,
          validTo,
          effectiveFrom: form.effectiveFrom,
        });
      else await api('POST', url, { ...terms, name: form.name, validFrom: form.validFrom, validTo });
      setForm(null);
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm">
      {canWrite && (
        <Group>
          <Button size="xs" onClick={() => open(null)}>
            {t('adm.sla.new')}
          </Button>
        </Group>
      )}
      {!form && <ProblemAlert error={list.error} />}
      <Table fz="sm" striped data-testid="contracts-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.name')}</Table.Th>
            <Table.Th>{t('adm.sla.valid')}</Table.Th>
            <Table.Th>{t('adm.sla.version')}</Table.Th>
            <Table.Th>{t('adm.sla.atRisk')}</Table.Th>
            <Table.Th>{t('sla.metrics')}</Table.Th>
            {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td>
                {c.validFrom} → {c.validTo ?? '…'}
              </Table.Td>
              <Table.Td>
                v{c.current.version} ({c.current.effectiveFrom})
              </Table.Td>
              <Table.Td>{c.current.atRiskPercent} %</Table.Td>
              <Table.Td>{c.current.metrics.length}</Table.Td>
              {canWrite && (
                <Table.Td>
                  <Button size="compact-xs" variant="light" onClick={() => open(c)}>
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={form !== null}
        onClose={() => setForm(null)}
        title={form?.id ? `${t('common.edit')}: ${form.name}` : t('adm.sla.new')}
        size="xl"
      >
        {form && (
          <Stack gap="xs">
            <ProblemAlert error={error} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t('common.name')}
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              />
              {form.id ? (
                <TextInput
                  label={t('adm.sla.effectiveFrom')}
                  description="YYYY-MM"
                  value={form.effectiveFrom}
                  onChange={(e) => setForm({ ...form, effectiveFrom: e.currentTarget.value })}
                />
              ) : (
                <TextInput
                  label={t('adm.sla.validFrom')}
                  description="YYYY-MM"
                  value={form.validFrom}
                  onChange={(e) => setForm({ ...form, validFrom: e.currentTarget.value })}
                />
              )}
              <TextInput
                label={t('adm.sla.validTo')}
                description="YYYY-MM"
                value={form.validTo}
                onChange={(e) => setForm({ ...form, validTo: e.currentTarget.value })}
              />
            </SimpleGrid>
            <JsonField
              label={t('adm.sla.terms')}
              description={t('adm.sla.terms.hint')}
              value={form.terms}
              onChange={(terms) => setForm({ ...form, terms })}
              rows={14}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setForm(null)}>
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void save()} loading={busy}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
