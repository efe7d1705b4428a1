// The frame around every area: the role's navigation, who is signed in, the
// language switch and sign-out.
import {
  AppShell,
  Burger,
  Group,
  NavLink,
  SegmentedControl,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { areasFor } from '../areas.ts';
import { type Language, useI18n } from '../i18n.ts';
import { useSession } from '../session.tsx';

export function Shell({ children }: { children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { session, logout } = useSession();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  if (!session) return null;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="menu" />
            <UnstyledButton component={Link} to="/">
              <Title order={1} size="h3">
                {t('app.name')}
              </Title>
            </UnstyledButton>
          </Group>
          <Group gap="md">
            <Text size="sm" c="dimmed" data-testid="signed-in-as">
              {t('shell.signedInAs')} {session.name} ({t(`role.${session.role}`)})
            </Text>
            <SegmentedControl
              size="xs"
              aria-label={t('shell.language')}
              value={language}
              onChange={(value) => setLanguage(value as Language)}
              data={[
                { value: 'it', label: 'IT' },
                { value: 'en', label: 'EN' },
              ]}
            />
            <UnstyledButton onClick={() => void logout()}>
              <Text size="sm">{t('shell.logout')}</Text>
            </UnstyledButton>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('home.areas')}>
        {areasFor(session.role).map((area) => (
          <NavLink
            key={area.id}
            component={Link}
            to={area.path}
            label={t(area.title)}
            active={location.pathname.startsWith(area.path)}
          />
        ))}
        <NavLink href="/api/docs" label={t('area.apiDocs')} />
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
