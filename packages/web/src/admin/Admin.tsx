// Administration (admin; a supervisor sees what the API lets it change):
// users and roles, queues, campaigns, SLA contracts, API keys (the key shown
// once), webhooks with their delivery log. The organization is in the URL
// (/admin/:orgId), the tab in ?tab=.
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, type Role } from '../api.ts';
import { AccessDenied, OrgSelect, useOrgRoute } from '../common/orgRoute.tsx';
import { type MessageKey, useI18n } from '../i18n.ts';
import type { Organization } from '../live/types.ts';
import { useSession } from '../session.tsx';
import { CampaignsTab } from './Campaigns.tsx';
import { QueuesTab, SlaContractsTab } from './Config.tsx';
import { ProblemAlert, useList } from './common.tsx';
import { IvrFlowsTab, NumbersTab, OrganizationsTab, SkillsTab } from './Lines.tsx';
import { UserEditModal } from './UserEdit.tsx';

const BASE = '/admin';
type Tab =
  | 'users'
  | 'organizations'
  | 'queues'
  | 'skills'
  | 'numbers'
  | 'ivr'
  | 'campaigns'
  | 'sla'
  | 'apiKeys'
  | 'webhooks';

export function Admin() {
  const { t } = useI18n();
  const { session } = useSession();
  const route = useOrgRoute(BASE);
  const [params, setParams] = useSearchParams();
  if (!session) return null;
  if (route.denied) return <AccessDenied />;
  const admin = session.role === 'admin';
  const tabs: Tab[] = admin
    ? [
        'users',
        'organizations',
        'queues',
        'skills',
        'numbers',
        'ivr',
        'campaigns',
        'sla',
        'apiKeys',
        'webhooks',
      ]
    : ['queues', 'skills', 'numbers', 'ivr', 'campaigns', 'sla', 'webhooks'];
  const requested = params.get('tab') as Tab | null;
  const tab: Tab = requested && tabs.includes(requested) ? requested : (tabs[0] ?? 'queues');
  const orgId = route.org?.id;
  return (
    <Stack gap="md">
      <Title order={2}>{t('adm.title')}</Title>
      {tab !== 'users' && tab !== 'organizations' && <OrgSelect route={route} base={BASE} />}
      <Tabs value={tab} onChange={(value) => value && setParams({ tab: value })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((id) => (
            <Tabs.Tab key={id} value={id}>
              {t(`adm.tab.${id}` as MessageKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="users" pt="sm">
          <UsersTab organizations={route.organizations} />
        </Tabs.Panel>
        <Tabs.Panel value="organizations" pt="sm">
          <OrganizationsTab />
        </Tabs.Panel>
        {orgId && (
          <>
            <Tabs.Panel value="queues" pt="sm">
              <QueuesTab orgId={orgId} canWrite />
            </Tabs.Panel>
            <Tabs.Panel value="skills" pt="sm">
              <SkillsTab orgId={orgId} canWrite={admin} />
            </Tabs.Panel>
            <Tabs.Panel value="numbers" pt="sm">
              <NumbersTab orgId={orgId} canWrite={admin} />
            </Tabs.Panel>
            <Tabs.Panel value="ivr" pt="sm">
              <IvrFlowsTab orgId={orgId} canWrite={admin} />
            </Tabs.Panel>
            <Tabs.Panel value="campaigns" pt="sm">
              <CampaignsTab orgId={orgId} canWrite canConfigure={admin} />
            </Tabs.Panel>
            <Tabs.Panel value="sla" pt="sm">
              <SlaContractsTab orgId={orgId} canWrite />
            </Tabs.Panel>
            <Tabs.Panel value="apiKeys" pt="sm">
              <ApiKeysTab orgId={orgId} canWrite={admin} />
            </Tabs.Panel>
            <Tabs.Panel value="webhooks" pt="sm">
              <WebhooksTab orgId={orgId} canWrite={admin} />
            </Tabs.Panel>
          </>
        )}
      </Tabs>
    </Stack>
  );
}

type User = {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  organizationIds: string[];
  disabled: boolean;
  bankDataAccess: boolean;
};
const ROLES: Role[] = ['admin', 'supervisor', 'planner', 'quality', 'operator', 'client_viewer'];

function UsersTab({ organizations }: { organizations: Organization[] }) {
  const { t } = useI18n();
  const list = useList<User>('/api/users');
  const [form, setForm] = useState<{
    email: string;
    displayName: string;
    role: Role;
    password: string;
    organizationIds: string[];
  } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const orgName = (id: string) => organizations.find((o) => o.id === id)?.name ?? id.slice(0, 8);

  async function save() {
    if (!form) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/users', form);
      setForm(null);
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  async function setBankAccess(user: User, bankDataAccess: boolean) {
    try {
      await api('PATCH', `/api/users/${user.id}`, { bankDataAccess });
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
          onClick={() => {
            setError(null);
            setForm({ email: '', displayName: '', role: 'operator', password: '', organizationIds: [] });
          }}
        >
          {t('adm.user.new')}
        </Button>
      </Group>
      {!form && <ProblemAlert error={error ?? list.error} />}
      <Table.ScrollContainer minWidth={800}>
        <Table fz="sm" striped data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('login.email')}</Table.Th>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('adm.user.role')}</Table.Th>
              <Table.Th>{t('adm.user.organizations')}</Table.Th>
              <Table.Th>{t('adm.user.bankData')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`role.${u.role}` as MessageKey)}</Badge>
                  {u.disabled && (
                    <Badge ml={4} color="gray">
                      {t('adm.user.disabled')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {u.organizationIds.length === 0
                    ? t('adm.user.allOrgs')
                    : u.organizationIds.map(orgName).join(', ')}
                </Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`${t('adm.user.bankData')}: ${u.email}`}
                    checked={u.bankDataAccess}
                    onChange={(e) => void setBankAccess(u, e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="light"
                    aria-label={`${t('common.edit')} ${u.email}`}
                    onClick={() => setEditing(u)}
                  >
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <UserEditModal
        user={editing}
        organizations={organizations}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          list.reload();
        }}
      />
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={form !== null}
        onClose={() => setForm(null)}
        title={t('adm.user.new')}
        size="lg"
      >
        {form && (
          <Stack gap="xs">
            <ProblemAlert error={error} />
            <TextInput
              label={t('login.email')}
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            />
            <TextInput
              label={t('common.name')}
              value={form.displayName}
              onChange={(e) => setForm({ ...form, displayName: e.currentTarget.value })}
            />
            <Select
              label={t('adm.user.role')}
              data={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
              value={form.role}
              onChange={(v) => v && setForm({ ...form, role: v as Role })}
              allowDeselect={false}
            />
            <PasswordInput
              label={t('login.password')}
              description={t('adm.user.password.hint')}
              visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            />
            <MultiSelect
              label={t('adm.user.organizations')}
              description={t('adm.user.organizations.hint')}
              data={organizations.map((o) => ({ value: o.id, label: o.name }))}
              value={form.organizationIds}
              onChange={(organizationIds) => setForm({ ...form, organizationIds })}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setForm(null)}>
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void save()} loading={busy}>
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  bankDataAccess: boolean;
};

/** A secret the server shows once: displayed until the user confirms it is stored. */
function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <Alert color="yellow" title={label} data-testid="secret-once">
      <Text size="sm">{t('adm.secret.once')}</Text>
      <Code block my="xs">
        {secret}
      </Code>
      <Button size="xs" onClick={onDone}>
        {t('adm.secret.stored')}
      </Button>
    </Alert>
  );
}

function ApiKeysTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { t, language } = useI18n();
  const url = `/api/organizations/${orgId}/api-keys`;
  const list = useList<ApiKey>(url);
  const [name, setName] = useState('');
  const [bank, setBank] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const date = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(language === 'it' ? 'it-IT' : 'en-GB') : '—';

  async function create() {
    setError(null);
    try {
      const created = await api<ApiKey & { key: string }>('POST', url, { name, bankDataAccess: bank });
      setSecret(created.key);
      setName('');
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  async function revoke(key: ApiKey) {
    if (!window.confirm(`${t('adm.key.revoke')} ${key.name}?`)) return;
    try {
      await api('DELETE', `${url}/${key.id}`);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Stack gap="sm">
      {canWrite && (
        <Group align="flex-end">
          <TextInput
            label={t('adm.key.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Checkbox
            label={t('adm.user.bankData')}
            checked={bank}
            onChange={(e) => setBank(e.currentTarget.checked)}
            mb={8}
          />
          <Button onClick={() => void create()} disabled={name.trim() === ''}>
            {t('adm.key.create')}
          </Button>
        </Group>
      )}
      {secret && <SecretOnce label={t('adm.key.created')} secret={secret} onDone={() => setSecret(null)} />}
      <ProblemAlert error={error ?? list.error} />
      <Table fz="sm" striped data-testid="api-keys-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.name')}</Table.Th>
            <Table.Th>{t('adm.key.prefix')}</Table.Th>
            <Table.Th>{t('adm.created')}</Table.Th>
            <Table.Th>{t('adm.key.lastUsed')}</Table.Th>
            <Table.Th>{t('adm.status')}</Table.Th>
            {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.items.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>
                <code>cntr_{k.prefix}_…</code>
              </Table.Td>
              <Table.Td>{date(k.createdAt)}</Table.Td>
              <Table.Td>{date(k.lastUsedAt)}</Table.Td>
              <Table.Td>{k.revokedAt ? t('adm.key.revoked') : t('adm.key.active')}</Table.Td>
              {canWrite && (
                <Table.Td>
                  {!k.revokedAt && (
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => void revoke(k)}>
                      {t('adm.key.revoke')}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

type Webhook = {
  id: string;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  createdAt: string;
};
type Delivery = {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
};
const EVENTS = [
  '*',
  'supporter.created',
  'supporter.updated',
  'supporter.merged',
  'consent.changed',
  'commitment.changed',
  'gift.recorded',
  'import.completed',
  'interaction.completed',
  'alert.sla',
  'callback.scheduled',
];

function WebhooksTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { t, language } = useI18n();
  const url = `/api/organizations/${orgId}/webhooks`;
  const list = useList<Webhook>(url);
  const [target, setTarget] = useState('');
  const [events, setEvents] = useState<string[]>(['*']);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<Webhook | null>(null);
  const deliveries = useList<Delivery>(open ? `${url}/${open.id}/deliveries` : null);
  const date = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(language === 'it' ? 'it-IT' : 'en-GB') : '—';

  async function create() {
    setError(null);
    try {
      const created = await api<Webhook & { secret: string }>('POST', url, { url: target, events });
      setSecret(created.secret);
      setTarget('');
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  async function act(path: string, method: 'POST' | 'PATCH' | 'DELETE', body?: unknown) {
    setError(null);
    try {
      await api(method, path, body);
      list.reload();
      deliveries.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Stack gap="sm">
      {canWrite && (
        <Group align="flex-end">
          <TextInput
            label={t('adm.hook.url')}
            description={t('adm.hook.url.hint')}
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
            w={340}
          />
          <MultiSelect
            label={t('adm.hook.events')}
            data={EVENTS}
            value={events}
            onChange={setEvents}
            w={340}
          />
          <Button onClick={() => void create()} disabled={target.trim() === '' || events.length === 0}>
            {t('adm.hook.create')}
          </Button>
        </Group>
      )}
      {secret && <SecretOnce label={t('adm.hook.created')} secret={secret} onDone={() => setSecret(null)} />}
      <ProblemAlert error={error ?? list.error} />
      <Table fz="sm" striped data-testid="webhooks-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('adm.hook.url')}</Table.Th>
            <Table.Th>{t('adm.hook.events')}</Table.Th>
            <Table.Th>{t('adm.status')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.items.map((w) => (
            <Table.Tr key={w.id}>
              <Table.Td>
                <code>{w.url}</code>
              </Table.Td>
              <Table.Td>{w.events.join(', ')}</Table.Td>
              <Table.Td>{w.active ? t('adm.key.active') : t('adm.hook.paused')}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant="light" onClick={() => setOpen(w)}>
                    {t('adm.hook.deliveries')}
                  </Button>
                  {canWrite && (
                    <>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => void act(`${url}/${w.id}/test`, 'POST')}
                      >
                        {t('adm.hook.test')}
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => void act(`${url}/${w.id}`, 'PATCH', { active: !w.active })}
                      >
                        {w.active ? t('adm.hook.pause') : t('adm.hook.resume')}
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() =>
                          window.confirm(`${t('common.delete')} ${w.url}?`) &&
                          void act(`${url}/${w.id}`, 'DELETE')
                        }
                      >
                        {t('common.delete')}
                      </Button>
                    </>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={`${t('adm.hook.deliveries')}: ${open?.url ?? ''}`}
        size="xl"
      >
        <ProblemAlert error={deliveries.error} />
        <Table.ScrollContainer minWidth={700}>
          <Table fz="xs" striped data-testid="deliveries-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('adm.created')}</Table.Th>
                <Table.Th>{t('adm.hook.event')}</Table.Th>
                <Table.Th>{t('adm.status')}</Table.Th>
                <Table.Th>{t('adm.hook.attempts')}</Table.Th>
                <Table.Th>{t('adm.hook.answer')}</Table.Th>
                {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{date(d.createdAt)}</Table.Td>
                  <Table.Td>{d.eventType}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={d.status === 'delivered' ? 'green' : d.status === 'failed' ? 'red' : 'gray'}
                    >
                      {d.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td>{d.lastStatusCode ?? d.lastError ?? '—'}</Table.Td>
                  {canWrite && open && (
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => void act(`${url}/${open.id}/deliveries/${d.id}/redeliver`, 'POST')}
                      >
                        {t('adm.hook.redeliver')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {deliveries.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('common.none')}
          </Text>
        )}
      </Modal>
    </Stack>
  );
}
