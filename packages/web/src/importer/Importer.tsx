// The supporters importer (modules/imports): choose a CSV or XLSX file, map
// its columns (automatic by the server's aliases, a saved preset, or by hand;
// the mapping can be saved as a preset), preview with a dry run (counts and the
// rejected rows with line and reason), then run it; the job is followed until
// it ends and the per-row error report downloads as CSV. Earlier jobs below.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { ProblemAlert, useList } from '../admin/common.tsx';
import { api, upload } from '../api.ts';
import { AccessDenied, OrgSelect, useOrgRoute } from '../common/orgRoute.tsx';
import { useI18n } from '../i18n.ts';
import { csvHeaders } from './csvHeaders.ts';

const BASE = '/imports';
const KIND = 'supporters';
/** The supporters importer's fields (packages/server/src/modules/imports/mapping.ts). */
const FIELDS = [
  'external_id',
  'first_name',
  'last_name',
  'birth_date',
  'fiscal_code',
  'email',
  'phone',
  'language',
  'source',
  'status',
  'address',
  'postal_code',
  'city',
  'province',
  'country',
  'tags',
];
const AUTO = '__auto__';
const IGNORE = '__ignore__';

type Job = {
  id: string;
  kind: string;
  fileName: string;
  dryRun: boolean;
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  errors?: { line: number; column: string; value: string; reason: string }[];
};
type Preset = { kind: string; name: string; mapping: Record<string, string | null> };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function Importer() {
  const { t } = useI18n();
  const route = useOrgRoute(BASE);
  const orgId = route.org?.id;
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [preset, setPreset] = useState<string | null>(null);
  const [presetName, setPresetName] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const presets = useList<Preset>(orgId ? `/api/organizations/${orgId}/import-presets` : null);
  const jobs = useList<Job>(orgId ? `/api/organizations/${orgId}/imports` : null);

  if (route.denied) return <AccessDenied />;
  const xlsx = file !== null && (file.type === XLSX || file.name.toLowerCase().endsWith('.xlsx'));

  async function pick(next: File | null) {
    setFile(next);
    setJob(null);
    setError(null);
    setChoice({});
    setHeaders(
      next && !(next.type === XLSX || next.name.toLowerCase().endsWith('.xlsx'))
        ? csvHeaders(await next.slice(0, 64_000).text())
        : [],
    );
  }
  function applyPreset(name: string | null) {
    setPreset(name);
    const found = presets.items.find((p) => p.kind === KIND && p.name === name);
    if (!found) return;
    const next: Record<string, string> = {};
    for (const [column, field] of Object.entries(found.mapping))
      next[column] = field === null ? IGNORE : field;
    setChoice(next);
  }
  /** The explicit part of the mapping: columns not left to the aliases. */
  function mapping(): Record<string, string | null> {
    const explicit: Record<string, string | null> = {};
    for (const [column, value] of Object.entries(choice)) {
      if (value === AUTO) continue;
      explicit[column] = value === IGNORE ? null : value;
    }
    return explicit;
  }
  async function follow(started: Job): Promise<Job> {
    let current = started;
    while (current.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 500));
      current = await api<Job>('GET', `/api/organizations/${orgId}/imports/${current.id}`);
      setJob(current);
    }
    return current;
  }
  async function start(dryRun: boolean) {
    if (!file || !orgId) return;
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const params = new URLSearchParams({ fileName: file.name, dryRun: String(dryRun) });
      const explicit = mapping();
      if (Object.keys(explicit).length > 0) params.set('mapping', JSON.stringify(explicit));
      const started = await upload<Job>(
        `/api/organizations/${orgId}/imports/${KIND}?${params}`,
        file,
        xlsx ? XLSX : 'text/csv',
      );
      setJob(started);
      const ended = await follow(started);
      // The finished job's rejected rows (the answer while running may not have them yet).
      setJob(await api<Job>('GET', `/api/organizations/${orgId}/imports/${ended.id}`));
      jobs.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  async function savePreset() {
    if (!orgId || !presetName.trim()) return;
    setError(null);
    try {
      await api(
        'PUT',
        `/api/organizations/${orgId}/import-presets/${KIND}/${encodeURIComponent(presetName.trim())}`,
        {
          mapping: mapping(),
        },
      );
      presets.reload();
      setPreset(presetName.trim());
    } catch (failure) {
      setError(failure);
    }
  }

  const fieldOptions = [
    { value: AUTO, label: t('imp.auto') },
    { value: IGNORE, label: t('imp.ignore') },
    ...FIELDS.map((f) => ({ value: f, label: f })),
  ];
  return (
    <Stack gap="md">
      <Title order={2}>{t('imp.title')}</Title>
      <Card withBorder padding="sm">
        <Group align="flex-end" gap="sm">
          <OrgSelect route={route} base={BASE} />
          <FileInput
            label={t('imp.file')}
            description={t('imp.file.hint')}
            accept=".csv,.txt,.tsv,.xlsx,text/csv"
            value={file}
            onChange={(next) => void pick(next)}
            clearable
            clearButtonProps={{ 'aria-label': t('common.clear') }}
            w={320}
          />
          <Select
            label={t('imp.preset')}
            data={presets.items.filter((p) => p.kind === KIND).map((p) => p.name)}
            value={preset}
            onChange={applyPreset}
            clearable
            w={220}
          />
        </Group>
      </Card>
      {file && (
        <Card withBorder padding="sm" component="section" aria-labelledby="imp-mapping">
          <Title order={3} size="h4" id="imp-mapping" mb="xs">
            {t('imp.mapping')}
          </Title>
          {xlsx || headers.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('imp.mapping.xlsx')}
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" data-testid="mapping">
              {headers.map((header) => (
                <Select
                  key={header}
                  label={header}
                  data={fieldOptions}
                  value={choice[header] ?? AUTO}
                  onChange={(value) => setChoice({ ...choice, [header]: value ?? AUTO })}
                  allowDeselect={false}
                />
              ))}
            </SimpleGrid>
          )}
          <Group mt="sm" align="flex-end">
            <TextInput
              label={t('imp.preset.name')}
              value={presetName}
              onChange={(e) => setPresetName(e.currentTarget.value)}
              w={220}
            />
            <Button variant="default" onClick={() => void savePreset()} disabled={!presetName.trim()}>
              {t('imp.preset.save')}
            </Button>
          </Group>
          <Group mt="md">
            <Button variant="light" onClick={() => void start(true)} loading={busy}>
              {t('imp.dryRun')}
            </Button>
            <Button onClick={() => void start(false)} loading={busy}>
              {t('imp.run')}
            </Button>
          </Group>
        </Card>
      )}
      <ProblemAlert error={error} />
      {job && orgId && <JobResult job={job} orgId={orgId} />}
      <Card withBorder padding="sm" component="section" aria-labelledby="imp-jobs">
        <Title order={3} size="h4" id="imp-jobs" mb="xs">
          {t('imp.jobs')}
        </Title>
        <Table.ScrollContainer minWidth={700}>
          <Table fz="xs" striped data-testid="import-jobs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imp.fileName')}</Table.Th>
                <Table.Th>{t('imp.kind')}</Table.Th>
                <Table.Th>{t('adm.status')}</Table.Th>
                <Table.Th>{t('imp.read')}</Table.Th>
                <Table.Th>{t('imp.created')}</Table.Th>
                <Table.Th>{t('imp.updated')}</Table.Th>
                <Table.Th>{t('imp.rejected')}</Table.Th>
                <Table.Th>{t('imp.report')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.items.map((j) => (
                <Table.Tr key={j.id}>
                  <Table.Td>
                    {j.fileName}
                    {j.dryRun ? ` (${t('imp.preview')})` : ''}
                  </Table.Td>
                  <Table.Td>{j.kind}</Table.Td>
                  <Table.Td>{j.status}</Table.Td>
                  <Table.Td>{j.read}</Table.Td>
                  <Table.Td>{j.created}</Table.Td>
                  <Table.Td>{j.updated}</Table.Td>
                  <Table.Td>{j.rejected}</Table.Td>
                  <Table.Td>
                    {j.rejected > 0 && (
                      <Anchor
                        size="xs"
                        href={`/api/organizations/${orgId}/imports/${j.id}/report.csv`}
                        download
                      >
                        CSV
                      </Anchor>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}

function JobResult({ job, orgId }: { job: Job; orgId: string }) {
  const { t } = useI18n();
  const color =
    job.status === 'completed'
      ? job.rejected > 0
        ? 'yellow'
        : 'green'
      : job.status === 'running'
        ? 'blue'
        : 'red';
  return (
    <Card
      withBorder
      padding="sm"
      component="section"
      aria-labelledby="imp-result"
      data-testid="import-result"
    >
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="imp-result">
          {job.dryRun ? t('imp.previewOf') : t('imp.resultOf')} {job.fileName}
        </Title>
        <Badge color={color} variant="light">
          {job.status === 'running' ? t('imp.running') : job.status}
        </Badge>
      </Group>
      {job.status === 'running' && <Loader size="sm" aria-label={t('imp.running')} />}
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        {(['read', 'created', 'updated', 'unchanged', 'rejected'] as const).map((k) => (
          <div key={k}>
            <Text size="xs" c="dimmed">
              {t(`imp.${k}`)}
            </Text>
            <Text fw={600} data-testid={`import-${k}`}>
              {job[k]}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {job.dryRun && job.status === 'completed' && (
        <Text size="sm" mt="xs">
          {t('imp.previewNote')}
        </Text>
      )}
      {job.error && (
        <Alert color="red" mt="xs">
          {job.error}
        </Alert>
      )}
      {job.errors && job.errors.length > 0 && (
        <>
          <Group justify="space-between" mt="sm">
            <Text fw={600} size="sm">
              {t('imp.rejectedRows')}
            </Text>
            <Anchor size="sm" href={`/api/organizations/${orgId}/imports/${job.id}/report.csv`} download>
              {t('imp.report.download')}
            </Anchor>
          </Group>
          <Table fz="sm" striped data-testid="import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imp.line')}</Table.Th>
                <Table.Th>{t('imp.column')}</Table.Th>
                <Table.Th>{t('imp.value')}</Table.Th>
                <Table.Th>{t('imp.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {job.errors.map((e) => (
                <Table.Tr key={`${e.line}-${e.column}`}>
                  <Table.Td>{e.line}</Table.Td>
                  <Table.Td>{e.column}</Table.Td>
                  <Table.Td>{e.value}</Table.Td>
                  <Table.Td>{e.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Card>
  );
}
