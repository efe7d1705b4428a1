import { Card, SimpleGrid, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { areasFor } from '../areas.ts';
import { useI18n } from '../i18n.ts';
import { useSession } from '../session.tsx';

export function HomePage() {
  const { t } = useI18n();
  const { session } = useSession();
  if (!session) return null;
  return (
    <>
      <Title order={2} mb="md">
        {t('home.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {areasFor(session.role).map((area) => (
          <Card key={area.id} withBorder component={Link} to={area.path}>
            <Text fw={600}>{t(area.title)}</Text>
            <Text size="sm" c="dimmed">
              {t(area.description)}
            </Text>
          </Card>
        ))}
        <Card withBorder component="a" href="/api/docs">
          <Text fw={600}>{t('area.apiDocs')}</Text>
          <Text size="sm" c="dimmed">
            {t('area.apiDocs.description')}
          </Text>
        </Card>
      </SimpleGrid>
    </>
  );
}
