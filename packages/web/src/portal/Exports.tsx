// Exports (GET …/exports/:list): the organization's lists and donor segments
// as CSV or XLSX, with the export's filters; the browser downloads the file
// (the session cookie goes with the link). Every export is audited by the server.
import { Anchor, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { AccessDenied, OrgSelect, useOrgRoute } from '../common/orgRoute.tsx';
import { type MessageKey, useI18n } from '../i18n.ts';

const BASE = '/exports';
const LISTS = ['supporters', 'commitments', 'gifts', 'consents', 'dnc', 'segment'] as const;
const SEGMENTS = ['lybunt', 'sybunt', 'lapsed', 'deep_lapsed'] as const;

export function Exports() {
  const { t, language } = useI18n();
  const route = useOrgRoute(BASE);
  const [q, setQ] = useState('');
  const [segment, setSegment] = useState<string>('lybunt');
  if (route.denied) return <AccessDenied />;
  const orgId = route.org?.id;
  const href = (list: (typeof LISTS)[number], format: 'csv' | 'xlsx') => {
    const params = new URLSearchParams({ format, lang: language });
    if (list === 'supporters' && q.trim()) params.set('q', q.trim());
    if (list === 'segment') params.set('segment', segment);
    return `/api/organizations/${orgId}/exports/${list}?${params}`;
  };
  return (
    <Stack gap="md">
      <Title order={2}>{t('exp.title')}</Title>
      <Card withBorder padding="sm">
        <Group align="flex-end" gap="sm">
          <OrgSelect route={route} base={BASE} />
          <TextInput label={t('exp.q')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
          <Select
            label={t('exp.segment')}
            data={SEGMENTS.map((s) => ({ value: s, label: s }))}
            value={segment}
            onChange={(value) => value && setSegment(value)}
            allowDeselect={false}
            w={180}
          />
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          {t('exp.hint')}
        </Text>
      </Card>
      {orgId && (
        <Card withBorder padding="sm">
          <Table fz="sm" data-testid="exports-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('exp.list')}</Table.Th>
                <Table.Th>{t('exp.download')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {LISTS.map((list) => (
                <Table.Tr key={list}>
                  <Table.Td>{t(`exp.list.${list}` as MessageKey)}</Table.Td>
                  <Table.Td>
                    <Group gap="sm">
                      <Anchor
                        href={href(list, 'csv')}
                        download
                        size="sm"
                        aria-label={`${t(`exp.list.${list}` as MessageKey)} CSV`}
                      >
                        CSV
                      </Anchor>
                      <Anchor
                        href={href(list, 'xlsx')}
                        download
                        size="sm"
                        aria-label={`${t(`exp.list.${list}` as MessageKey)} XLSX`}
                      >
                        XLSX
                      </Anchor>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
