// An admin changes an account (PATCH /api/users/:id): its staff role, the
// organizations it works for, disabled. What the API refuses is not offered:
// a client viewer keeps its role and organization, staff cannot become a
// client viewer, an admin has no organizations (every one is theirs). The
// server's refusals (the last active admin, …) show in the form.
import { Button, Group, Modal, MultiSelect, Select, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { api, type Role } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import type { Organization } from '../live/types.ts';
import { ProblemAlert } from './common.tsx';

export type EditableUser = {
  id: string;
  email: string;
  role: Role;
  organizationIds: string[];
  disabled: boolean;
};

const STAFF_ROLES: Role[] = ['admin', 'supervisor', 'planner', 'quality', 'operator'];

export function UserEditModal({
  user,
  organizations,
  onClose,
  onSaved,
}: {
  user: EditableUser | null;
  organizations: Organization[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={user !== null}
      onClose={onClose}
      title={user ? `${t('common.edit')}: ${user.email}` : ''}
      size="lg"
    >
      {user && (
        <UserEditForm
          key={user.id}
          user={user}
          organizations={organizations}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

function UserEditForm({
  user,
  organizations,
  onClose,
  onSaved,
}: {
  user: EditableUser;
  organizations: Organization[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const viewer = user.role === 'client_viewer';
  const [role, setRole] = useState<Role>(user.role);
  const [organizationIds, setOrganizationIds] = useState<string[]>(user.organizationIds);
  const [disabled, setDisabled] = useState(user.disabled);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await api('PATCH', `/api/users/${user.id}`, {
        disabled,
        ...(viewer ? {} : { role, organizationIds: role === 'admin' ? [] : organizationIds }),
      });
      onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="xs">
      <ProblemAlert error={error} />
      <Select
        label={t('adm.user.role')}
        data={(viewer ? ['client_viewer' as Role] : STAFF_ROLES).map((r) => ({
          value: r,
          label: t(`role.${r}` as MessageKey),
        }))}
        value={role}
        onChange={(v) => v && setRole(v as Role)}
        allowDeselect={false}
        disabled={viewer}
      />
      {role === 'admin' ? (
        <Text size="sm" c="dimmed">
          {t('adm.user.organizations')}: {t('adm.user.allOrgs')}
        </Text>
      ) : (
        <MultiSelect
          label={t('adm.user.organizations')}
          description={viewer ? undefined : t('adm.user.organizations.hint')}
          data={organizations.map((o) => ({ value: o.id, label: o.name }))}
          value={organizationIds}
          onChange={setOrganizationIds}
          disabled={viewer}
        />
      )}
      <Switch
        label={t('adm.user.disabled')}
        description={t('adm.user.disabled.hint')}
        checked={disabled}
        onChange={(e) => setDisabled(e.currentTarget.checked)}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => void save()} loading={busy}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
