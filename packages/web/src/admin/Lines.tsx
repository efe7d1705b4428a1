// Administration of organizations, skills (the organization's, the center's,
// and each operator's levels), numbers and IVR flows (a JSON editor; the
// server validates the flow as a graph and its messages show by field).
// Writers: admin (CONFIG_WRITERS); a supervisor reads.
import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import type { Organization } from '../live/types.ts';
import { JsonField, ProblemAlert, parseJson, useList } from './common.tsx';

type OrgForm = { id?: string; slug: string; name: string; timeZone: string; locale: string };

export function OrganizationsTab() {
  const { t } = useI18n();
  const list = useList<Organization & { slug: string; kind: string; locale: string }>('/api/organizations');
  const [form, setForm] = useState<OrgForm | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function save() {
    if (!form) return;
    setError(null);
    try {
      const body = { name: form.name, timeZone: form.timeZone, locale: form.locale };
      if (form.id) await api('PATCH', `/api/organizations/${form.id}`, body);
      else await api('POST', '/api/organizations', { ...body, slug: form.slug });
      setForm(null);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Stack gap="sm">
      <Group>
        <Button
          size="xs"
          onClick={() => setForm({ slug: '', name: '', timeZone: 'Europe/Rome', locale: 'it' })}
        >
          {t('adm.org.new')}
        </Button>
      </Group>
      {!form && <ProblemAlert error={list.error} />}
      <Table fz="sm" striped data-testid="organizations-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.name')}</Table.Th>
            <Table.Th>{t('adm.org.slug')}</Table.Th>
            <Table.Th>{t('adm.org.timeZone')}</Table.Th>
            <Table.Th>{t('shell.language')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.items.map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>
                {o.name}{' '}
                {o.kind === 'center' && (
                  <Badge size="xs" variant="light">
                    {t('adm.org.center')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <code>{o.slug}</code>
              </Table.Td>
              <Table.Td>{o.timeZone}</Table.Td>
              <Table.Td>{o.locale}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() =>
                    setForm({
                      id: o.id,
                      slug: o.slug,
                      name: o.name,
                      timeZone: o.timeZone ?? 'Europe/Rome',
                      locale: o.locale,
                    })
                  }
                >
                  {t('common.edit')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={form !== null}
        onClose={() => setForm(null)}
        title={form?.id ? `${t('common.edit')}: ${form.name}` : t('adm.org.new')}
      >
        {form && (
          <Stack gap="xs">
            <ProblemAlert error={error} />
            <TextInput
              label={t('adm.org.slug')}
              description={t('adm.key.hint')}
              value={form.slug}
              disabled={!!form.id}
              onChange={(e) => setForm({ ...form, slug: e.currentTarget.value })}
            />
            <TextInput
              label={t('common.name')}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <TextInput
              label={t('adm.org.timeZone')}
              description="IANA, e.g. Europe/Rome"
              value={form.timeZone}
              onChange={(e) => setForm({ ...form, timeZone: e.currentTarget.value })}
            />
            <Select
              label={t('shell.language')}
              data={['it', 'en']}
              value={form.locale}
              onChange={(v) => v && setForm({ ...form, locale: v })}
              allowDeselect={false}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setForm(null)}>
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void save()}>{t('common.save')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

type Skill = { key: string; label: string; scope: 'center' | 'organization' };

export function SkillsTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const list = useList<Skill>(`/api/organizations/${orgId}/skills`);
  const operators = useList<{ userId: string; displayName: string }>('/api/live/operators');
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [scope, setScope] = useState<'organization' | 'center'>('organization');
  const [error, setError] = useState<unknown>(null);
  const [operator, setOperator] = useState<string | null>(null);
  const [levels, setLevels] = useState<{ skillKey: string; level: number }[]>([]);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!operator) return;
    setSaved(false);
    api<{ items: { skillKey: string; level: number }[] }>('GET', `/api/operators/${operator}/skills`)
      .then((answer) => setLevels(answer.items))
      .catch(setError);
  }, [operator]);

  async function create() {
    setError(null);
    try {
      await api('POST', scope === 'center' ? '/api/skills' : `/api/organizations/${orgId}/skills`, {
        key,
        label,
      });
      setKey('');
      setLabel('');
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  async function remove(skill: Skill) {
    if (!window.confirm(`${t('common.delete')} ${skill.key}?`)) return;
    setError(null);
    try {
      await api(
        'DELETE',
        skill.scope === 'center'
          ? `/api/skills/${skill.key}`
          : `/api/organizations/${orgId}/skills/${skill.key}`,
      );
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  async function saveLevels() {
    if (!operator) return;
    setError(null);
    try {
      await api('PUT', `/api/operators/${operator}/skills`, { skills: levels });
      setSaved(true);
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Stack gap="sm">
      {canWrite && (
        <Group align="flex-end">
          <TextInput
            label={t('adm.key')}
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            w={180}
          />
          <TextInput
            label={t('adm.skill.label')}
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            w={220}
          />
          <Select
            label={t('adm.skill.scope')}
            data={[
              { value: 'organization', label: t('adm.skill.scope.organization') },
              { value: 'center', label: t('adm.skill.scope.center') },
            ]}
            value={scope}
            onChange={(v) => v && setScope(v as 'organization' | 'center')}
            allowDeselect={false}
            w={200}
          />
          <Button onClick={() => void create()} disabled={!key || !label}>
            {t('adm.skill.new')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={error ?? list.error} />
      <Table fz="sm" striped data-testid="skills-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('adm.key')}</Table.Th>
            <Table.Th>{t('adm.skill.label')}</Table.Th>
            <Table.Th>{t('adm.skill.scope')}</Table.Th>
            {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.items.map((s) => (
            <Table.Tr key={s.key}>
              <Table.Td>
                <code>{s.key}</code>
              </Table.Td>
              <Table.Td>{s.label}</Table.Td>
              <Table.Td>{t(`adm.skill.scope.${s.scope}`)}</Table.Td>
              {canWrite && (
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(s)}>
                    {t('common.delete')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text fw={600} mt="sm">
        {t('adm.skill.operators')}
      </Text>
      <Select
        label={t('adm.skill.operator')}
        data={operators.items.map((o) => ({ value: o.userId, label: o.displayName }))}
        value={operator}
        onChange={setOperator}
        searchable
        w={320}
      />
      {operator && (
        <Stack gap="xs" data-testid="operator-skills">
          {levels.map((row, index) => (
            <Group key={`${row.skillKey}-${index.toString()}`} align="flex-end">
              <Select
                label={t('adm.skill.label')}
                data={list.items.map((s) => ({ value: s.key, label: `${s.label} (${s.key})` }))}
                value={row.skillKey}
                onChange={(v) =>
                  v && setLevels(levels.map((l, i) => (i === index ? { ...l, skillKey: v } : l)))
                }
                allowDeselect={false}
                disabled={!canWrite}
                w={260}
              />
              <NumberInput
                label={t('adm.skill.level')}
                value={row.level}
                min={1}
                max={10}
                disabled={!canWrite}
                onChange={(v) =>
                  setLevels(levels.map((l, i) => (i === index ? { ...l, level: Number(v) || 1 } : l)))
                }
                w={100}
              />
              {canWrite && (
                <Button
                  variant="subtle"
                  color="red"
                  onClick={() => setLevels(levels.filter((_, i) => i !== index))}
                >
                  {t('common.delete')}
                </Button>
              )}
            </Group>
          ))}
          {canWrite && (
            <Group>
              <Button
                variant="default"
                size="xs"
                onClick={() => setLevels([...levels, { skillKey: list.items[0]?.key ?? '', level: 5 }])}
              >
                {t('adm.skill.add')}
              </Button>
              <Button size="xs" onClick={() => void saveLevels()}>
                {t('common.save')}
              </Button>
              {saved && (
                <Text size="sm" c="green" role="status">
                  {t('common.saved')}
                </Text>
              )}
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}

type NumberRow = { e164: string; kind: string; label: string; ivrFlowId: string | null };
type Flow = { id: string; name: string; definition: unknown };

export function NumbersTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const url = `/api/organizations/${orgId}/numbers`;
  const list = useList<NumberRow>(url);
  const flows = useList<Flow>(`/api/organizations/${orgId}/ivr-flows`);
  const [form, setForm] = useState<(NumberRow & { existing: boolean }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function save() {
    if (!form) return;
    setError(null);
    try {
      const body = { kind: form.kind, label: form.label, ivrFlowId: form.ivrFlowId };
      if (form.existing) await api('PATCH', `${url}/${encodeURIComponent(form.e164)}`, body);
      else await api('POST', url, { ...body, e164: form.e164 });
      setForm(null);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  async function remove(row: NumberRow) {
    if (!window.confirm(`${t('common.delete')} ${row.e164}?`)) return;
    try {
      await api('DELETE', `${url}/${encodeURIComponent(row.e164)}`);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  const flowName = (id: string | null) => flows.items.find((f) => f.id === id)?.name ?? '—';
  return (
    <Stack gap="sm">
      {canWrite && (
        <Group>
          <Button
            size="xs"
            onClick={() =>
              setForm({ e164: '', kind: 'toll_free', label: '', ivrFlowId: null, existing: false })
            }
          >
            {t('adm.number.new')}
          </Button>
        </Group>
      )}
      {!form && <ProblemAlert error={error ?? list.error} />}
      <Table fz="sm" striped data-testid="numbers-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('adm.number')}</Table.Th>
            <Table.Th>{t('adm.number.kind')}</Table.Th>
            <Table.Th>{t('adm.skill.label')}</Table.Th>
            <Table.Th>{t('adm.tab.ivr')}</Table.Th>
            {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.items.map((n) => (
            <Table.Tr key={n.e164}>
              <Table.Td>{n.e164}</Table.Td>
              <Table.Td>{n.kind}</Table.Td>
              <Table.Td>{n.label}</Table.Td>
              <Table.Td>{flowName(n.ivrFlowId)}</Table.Td>
              {canWrite && (
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={() => setForm({ ...n, existing: true })}
                    >
                      {t('common.edit')}
                    </Button>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(n)}>
                      {t('common.delete')}
                    </Button>
                  </Group>
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
        title={form?.existing ? `${t('common.edit')}: ${form.e164}` : t('adm.number.new')}
      >
        {form && (
          <Stack gap="xs">
            <ProblemAlert error={error} />
            <TextInput
              label={t('adm.number')}
              description="+39800123456"
              value={form.e164}
              disabled={form.existing}
              onChange={(e) => setForm({ ...form, e164: e.currentTarget.value })}
            />
            <Select
              label={t('adm.number.kind')}
              data={['toll_free', 'drtv', 'geographic']}
              value={form.kind}
              onChange={(v) => v && setForm({ ...form, kind: v })}
              allowDeselect={false}
            />
            <TextInput
              label={t('adm.skill.label')}
              value={form.label}
              onChange={(e) => setForm({ ...form, label: e.currentTarget.value })}
            />
            <Select
              label={t('adm.tab.ivr')}
              data={flows.items.map((f) => ({ value: f.id, label: f.name }))}
              value={form.ivrFlowId}
              onChange={(v) => setForm({ ...form, ivrFlowId: v })}
              clearable
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setForm(null)}>
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void save()}>{t('common.save')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

const FLOW_TEMPLATE = {
  entry: 'welcome',
  nodes: {
    welcome: { type: 'message', prompt: 'Benvenuto', next: 'queue' },
    queue: { type: 'queue', queue: 'donor-care' },
  },
};

export function IvrFlowsTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const url = `/api/organizations/${orgId}/ivr-flows`;
  const list = useList<Flow>(url);
  const [form, setForm] = useState<{ id?: string; name: string; definition: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function save() {
    if (!form) return;
    setError(null);
    try {
      const body = { name: form.name, definition: parseJson(t('adm.ivr.definition'), form.definition) };
      if (form.id) await api('PATCH', `${url}/${form.id}`, body);
      else await api('POST', url, body);
      setForm(null);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  async function remove(flow: Flow) {
    if (!window.confirm(`${t('common.delete')} ${flow.name}?`)) return;
    try {
      await api('DELETE', `${url}/${flow.id}`);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Stack gap="sm">
      {canWrite && (
        <Group>
          <Button
            size="xs"
            onClick={() => {
              setError(null);
              setForm({
                name: '',
                definition: JSON.stringify(list.items[0]?.definition ?? FLOW_TEMPLATE, null, 2),
              });
            }}
          >
            {t('adm.ivr.new')}
          </Button>
        </Group>
      )}
      {!form && <ProblemAlert error={error ?? list.error} />}
      <Table fz="sm" striped data-testid="ivr-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.name')}</Table.Th>
            <Table.Th>{t('adm.ivr.nodes')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.items.map((f) => (
            <Table.Tr key={f.id}>
              <Table.Td>{f.name}</Table.Td>
              <Table.Td>{Object.keys((f.definition as { nodes?: object }).nodes ?? {}).join(', ')}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => {
                      setError(null);
                      setForm({ id: f.id, name: f.name, definition: JSON.stringify(f.definition, null, 2) });
                    }}
                  >
                    {canWrite ? t('common.edit') : t('adm.ivr.view')}
                  </Button>
                  {canWrite && (
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(f)}>
                      {t('common.delete')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={form !== null}
        onClose={() => setForm(null)}
        title={form?.id ? form.name : t('adm.ivr.new')}
        size="xl"
      >
        {form && (
          <Stack gap="xs">
            <ProblemAlert error={error} />
            <SimpleGrid cols={1}>
              <TextInput
                label={t('common.name')}
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              />
              <JsonField
                label={t('adm.ivr.definition')}
                description={t('adm.ivr.definition.hint')}
                value={form.definition}
                onChange={(definition) => setForm({ ...form, definition })}
                rows={16}
              />
            </SimpleGrid>
            {canWrite && (
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setForm(null)}>
                  {t('common.cancel')}
                </Button>
                <Button onClick={() => void save()}>{t('common.save')}</Button>
              </Group>
            )}
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
