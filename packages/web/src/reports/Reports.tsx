import { Title } from '@mantine/core';
import { useI18n } from '../i18n.ts';

export function Reports() {
  const { t } = useI18n();
  return <Title order={2}>{t('area.reports')}</Title>;
}
