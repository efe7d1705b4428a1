// Outbound campaigns (admin and supervisor, the API's writers): cycle,
// eligibility, pacing, queue, the calling window (the default one or one of
// the organization's, edited in place: CallingWindowFields), the retry policy
// per outcome, the script with its merge fields and the cycle's dispositions.
// A calling window is saved before the campaign that names it; either API's
// refusal shows on the fields it names.

import { fillScript, MERGE_FIELDS, parseScript } from '@centralino/engine/crm/merge-fields';
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
  Textarea,
  TextInput,
} from '@mantine/core';
import { useRef, useState } from 'react';
import { api } from '../api.ts';
import { type MessageKey, useI18n } from '../i18n.ts';
import { useSession } from '../session.tsx';
import {
  type CallingWindow,
  type CallingWindowDraft,
  CallingWindowFields,
  windowBody,
} from './CallingWindowFields.tsx';
import { CampaignDispositions } from './CampaignDispositions.tsx';
import { JsonField, ProblemAlert, parseJson, problemFields, useList } from './common.tsx';

type RetryRule = { retryAfterMinutes: number; maxAttempts?: number };
type Campaign = {
  id: string;
  name: string;
  cycleType: string;
  status: string;
  eligibility: unknown[];
  pacing: { mode: string; ratio?: number };
  retryPolicy: Partial<Record<RetryOutcome, RetryRule>>;
  maxAttempts: number;
  script: string | null;
  queueId: string | null;
  callingWindowId: string | null;
  priority: number;
};

/** The retry policy's outcomes (campaigns.schemas.ts RetryPolicy). */
const RETRY_OUTCOMES = ['noAnswer', 'busy', 'machine', 'failed', 'dropped'] as const;
type RetryOutcome = (typeof RETRY_OUTCOMES)[number];
type RetryDraft = Record<RetryOutcome, { minutes: number | string; attempts: number | string }>;

type CampaignForm = {
  id?: string;
  name: string;
  cycleType: string;
  status: string;
  queueId: string | null;
  window: CallingWindowDraft | null;
  pacingMode: string;
  ratio: number | string;
  retry: RetryDraft;
  maxAttempts: number | string;
  priority: number | string;
  eligibility: string;
  script: string;
};

const CYCLES = ['welcome', 'thank_you', 'loyalty', 'upgrade', 'conversion', 'recapture', 'one_off', 'custom'];
/** A starting eligibility per cycle (DOMAIN.md's usual filters), to edit. */
const ELIGIBILITY: Record<string, unknown[]> = {
  welcome: [
    { kind: 'commitment_started_within_days', days: 7 },
    { kind: 'no_contact_in_cycle', cycleType: 'welcome' },
  ],
  thank_you: [{ kind: 'gift_within_days', days: 30 }],
  upgrade: [
    { kind: 'commitment_active_for_months', months: 12 },
    { kind: 'no_contact_in_cycle', cycleType: 'upgrade', withinDays: 180 },
  ],
  conversion: [{ kind: 'no_active_commitment' }, { kind: 'gift_within_days', days: 365 }],
  recapture: [{ kind: 'commitment_ended_within_days', days: 90 }],
};
/** A new campaign's suggested retries; an existing one shows exactly what it has (none: no retry). */
const NEW_RETRY: Partial<Record<RetryOutcome, RetryRule>> = {
  noAnswer: { retryAfterMinutes: 120, maxAttempts: 4 },
  busy: { retryAfterMinutes: 20, maxAttempts: 3 },
};

function retryDraft(policy: Partial<Record<RetryOutcome, RetryRule>>): RetryDraft {
  const entry = (outcome: RetryOutcome) => ({
    minutes: policy[outcome]?.retryAfterMinutes ?? '',
    attempts: policy[outcome]?.maxAttempts ?? '',
  });
  return Object.fromEntries(RETRY_OUTCOMES.map((o) => [o, entry(o)])) as RetryDraft;
}

/**
 * An outcome with neither field has no rule (no retry after it). One with only
 * the attempts goes as it is, so the server names the missing delay.
 */
function retryPolicy(draft: RetryDraft): Partial<Record<RetryOutcome, Partial<RetryRule>>> {
  const policy: Partial<Record<RetryOutcome, Partial<RetryRule>>> = {};
  for (const outcome of RETRY_OUTCOMES) {
    const { minutes, attempts } = draft[outcome];
    if (minutes === '' && attempts === '') continue;
    policy[outcome] = {
      ...(minutes === '' ? {} : { retryAfterMinutes: Number(minutes) }),
      ...(attempts === '' ? {} : { maxAttempts: Number(attempts) }),
    };
  }
  return policy;
}

function formOf(c: Campaign | null, windows: CallingWindow[]): CampaignForm {
  const window = c?.callingWindowId ? windows.find((w) => w.id === c.callingWindowId) : undefined;
  return {
    ...(c ? { id: c.id } : {}),
    name: c?.name ?? '',
    cycleType: c?.cycleType ?? 'welcome',
    status: c?.status ?? 'draft',
    queueId: c?.queueId ?? null,
    window: window ? { ...window, weekly: window.weekly.map((p) => ({ ...p })) } : null,
    pacingMode: c?.pacing.mode ?? 'progressive',
    ratio: c?.pacing.ratio ?? '',
    retry: retryDraft(c ? c.retryPolicy : NEW_RETRY),
    maxAttempts: c?.maxAttempts ?? 5,
    priority: c?.priority ?? 0,
    eligibility: JSON.stringify(c?.eligibility ?? ELIGIBILITY.welcome, null, 2),
    script: c?.script ?? '',
  };
}

type Refusal = { source: 'window' | 'campaign'; error: unknown } | null;

export function CampaignsTab({
  orgId,
  canWrite,
  canConfigure,
}: {
  orgId: string;
  canWrite: boolean;
  /** Calling windows and dispositions: admins only (CONFIG_WRITERS). */
  canConfigure: boolean;
}) {
  const { t } = useI18n();
  const url = `/api/organizations/${orgId}/campaigns`;
  const windowsUrl = `/api/organizations/${orgId}/calling-windows`;
  const list = useList<Campaign>(url);
  const queues = useList<{ id: string; name: string; direction: string }>(
    `/api/organizations/${orgId}/queues`,
  );
  const windows = useList<CallingWindow>(windowsUrl);
  const [form, setForm] = useState<CampaignForm | null>(null);
  const [refusal, setRefusal] = useState<Refusal>(null);
  const [busy, setBusy] = useState(false);
  const queueName = (id: string | null) => queues.items.find((q) => q.id === id)?.name ?? '—';
  const windowName = (id: string | null) =>
    id ? (windows.items.find((w) => w.id === id)?.name ?? '—') : t('adm.window.defaultShort');
  const windowErrors =
    refusal?.source === 'window' ? problemFields(refusal.error) : new Map<string, string>();
  const campaignErrors =
    refusal?.source === 'campaign' ? problemFields(refusal.error) : new Map<string, string>();
  const usedBy = new Map<string, string[]>();
  for (const c of list.items)
    if (c.callingWindowId && c.id !== form?.id)
      usedBy.set(c.callingWindowId, [...(usedBy.get(c.callingWindowId) ?? []), c.name]);

  function open(campaign: Campaign | null) {
    setRefusal(null);
    setForm(formOf(campaign, windows.items));
  }

  /** The window the campaign names, saved first when new or changed (admins); its id. */
  async function saveWindow(draft: CallingWindowDraft | null): Promise<string | null> {
    if (draft === null) return null;
    const saved = draft.id ? windows.items.find((w) => w.id === draft.id) : undefined;
    const body = windowBody(draft);
    if (saved && (!canConfigure || JSON.stringify(windowBody(saved)) === JSON.stringify(body)))
      return saved.id;
    const answer = draft.id
      ? await api<CallingWindow>('PATCH', `${windowsUrl}/${draft.id}`, body)
      : await api<CallingWindow>('POST', windowsUrl, body);
    windows.reload();
    // Kept on the form: a refused campaign saved again does not create the window twice.
    setForm((current) => current && { ...current, window: { ...answer } });
    return answer.id;
  }

  async function save() {
    if (!form) return;
    setBusy(true);
    setRefusal(null);
    let stage: 'window' | 'campaign' = 'window';
    try {
      const callingWindowId = await saveWindow(form.window);
      stage = 'campaign';
      const body = {
        name: form.name,
        cycleType: form.cycleType,
        status: form.status,
        queueId: form.queueId,
        callingWindowId,
        priority: Number(form.priority) || 0,
        pacing: { mode: form.pacingMode, ...(form.ratio === '' ? {} : { ratio: Number(form.ratio) }) },
        retryPolicy: retryPolicy(form.retry),
        maxAttempts: Number(form.maxAttempts),
        eligibility: parseJson(t('adm.campaign.eligibility'), form.eligibility),
        script: form.script,
      };
      if (form.id) await api('PATCH', `${url}/${form.id}`, body);
      else await api('POST', url, body);
      setForm(null);
      list.reload();
    } catch (failure) {
      setRefusal({ source: stage, error: failure });
    } finally {
      setBusy(false);
    }
  }
  const set = (patch: Partial<CampaignForm>) => form && setForm({ ...form, ...patch });

  return (
    <Stack gap="sm">
      {canWrite && (
        <Group>
          <Button size="xs" onClick={() => open(null)}>
            {t('adm.campaign.new')}
          </Button>
        </Group>
      )}
      {!form && <ProblemAlert error={list.error} />}
      <Table.ScrollContainer minWidth={800}>
        <Table fz="sm" striped data-testid="campaigns-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('adm.campaign.cycle')}</Table.Th>
              <Table.Th>{t('adm.status')}</Table.Th>
              <Table.Th>{t('adm.campaign.pacing')}</Table.Th>
              <Table.Th>{t('adm.campaign.queue')}</Table.Th>
              <Table.Th>{t('adm.campaign.window')}</Table.Th>
              {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{c.cycleType}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={c.status === 'active' ? 'green' : 'gray'}>
                    {c.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{c.pacing.mode}</Table.Td>
                <Table.Td>{queueName(c.queueId)}</Table.Td>
                <Table.Td>{windowName(c.callingWindowId)}</Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="light"
                      // Its calling window must be loaded first: the form would show the default and save it.
                      disabled={
                        c.callingWindowId !== null && !windows.items.some((w) => w.id === c.callingWindowId)
                      }
                      onClick={() => open(c)}
                      aria-label={`${t('common.edit')} ${c.name}`}
                    >
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={form !== null}
        onClose={() => setForm(null)}
        title={form?.id ? `${t('common.edit')}: ${form.name}` : t('adm.campaign.new')}
        size="xl"
      >
        {form && (
          <Stack gap="xs">
            <ProblemAlert error={refusal?.error} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t('common.name')}
                value={form.name}
                error={campaignErrors.get('body.name')}
                onChange={(e) => set({ name: e.currentTarget.value })}
              />
              <Select
                label={t('adm.campaign.cycle')}
                data={CYCLES}
                value={form.cycleType}
                onChange={(v) =>
                  v &&
                  set({
                    cycleType: v,
                    ...(form.id ? {} : { eligibility: JSON.stringify(ELIGIBILITY[v] ?? [], null, 2) }),
                  })
                }
                allowDeselect={false}
              />
              <Select
                label={t('adm.status')}
                data={['draft', 'active', 'paused', 'completed']}
                value={form.status}
                onChange={(v) => v && set({ status: v })}
                allowDeselect={false}
              />
              <Select
                label={t('adm.campaign.queue')}
                data={queues.items.map((q) => ({ value: q.id, label: q.name }))}
                value={form.queueId}
                error={campaignErrors.get('body.queueId')}
                onChange={(v) => set({ queueId: v })}
                clearable
              />
              <NumberInput
                label={t('adm.priority')}
                value={form.priority}
                error={campaignErrors.get('body.priority')}
                onChange={(v) => set({ priority: v })}
              />
              <Select
                label={t('adm.campaign.pacing')}
                data={['preview', 'progressive', 'power', 'predictive']}
                value={form.pacingMode}
                onChange={(v) => v && set({ pacingMode: v })}
                allowDeselect={false}
              />
              <NumberInput
                label={t('adm.campaign.ratio')}
                description={t('adm.campaign.ratio.hint')}
                value={form.ratio}
                min={1}
                max={5}
                decimalScale={1}
                disabled={form.pacingMode !== 'power'}
                error={campaignErrors.get('body.pacing.ratio')}
                onChange={(v) => set({ ratio: v })}
              />
              <NumberInput
                label={t('adm.campaign.maxAttempts')}
                description={t('adm.campaign.maxAttempts.hint')}
                value={form.maxAttempts}
                min={1}
                max={50}
                error={campaignErrors.get('body.maxAttempts')}
                onChange={(v) => set({ maxAttempts: v })}
              />
            </SimpleGrid>
            <CallingWindowFields
              value={form.window}
              onChange={(window) => set({ window })}
              windows={windows.items}
              usedBy={usedBy}
              errors={windowErrors}
              canEdit={canConfigure}
              campaignError={campaignErrors.get('body.callingWindowId')}
            />
            <RetryPolicyFields
              value={form.retry}
              onChange={(retry) => set({ retry })}
              errors={campaignErrors}
            />
            <JsonField
              label={t('adm.campaign.eligibility')}
              description={t('adm.campaign.eligibility.hint')}
              value={form.eligibility}
              onChange={(eligibility) => set({ eligibility })}
            />
            <ScriptField
              value={form.script}
              onChange={(script) => set({ script })}
              error={campaignErrors.get('body.script')}
            />
            <CampaignDispositions orgId={orgId} cycleType={form.cycleType} canEdit={canConfigure} />
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

/** Per outcome: the delay before the next attempt and the attempts a contact may have at most. */
function RetryPolicyFields({
  value,
  onChange,
  errors,
}: {
  value: RetryDraft;
  onChange: (value: RetryDraft) => void;
  errors: Map<string, string>;
}) {
  const { t } = useI18n();
  const change = (outcome: RetryOutcome, patch: Partial<RetryDraft[RetryOutcome]>) =>
    onChange({ ...value, [outcome]: { ...value[outcome], ...patch } });
  const errorOf = (outcome: RetryOutcome, field: string) =>
    errors.get(`body.retryPolicy.${outcome}.${field}`) ?? errors.get(`body.retryPolicy.${outcome}`);
  return (
    <Stack gap={4} role="group" aria-label={t('adm.campaign.retry')}>
      <Text size="sm" fw={700}>
        {t('adm.campaign.retry')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('adm.retry.hint')}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        {RETRY_OUTCOMES.map((outcome) => {
          const name = t(`adm.retry.${outcome}` as MessageKey);
          return (
            <Stack key={outcome} gap={4}>
              <NumberInput
                label={`${name}: ${t('adm.retry.after')}`}
                value={value[outcome].minutes}
                min={1}
                max={10_080}
                allowDecimal={false}
                error={errorOf(outcome, 'retryAfterMinutes')}
                onChange={(minutes) => change(outcome, { minutes })}
              />
              <NumberInput
                label={`${name}: ${t('adm.retry.attempts')}`}
                value={value[outcome].attempts}
                min={1}
                max={50}
                allowDecimal={false}
                error={errorOf(outcome, 'maxAttempts')}
                onChange={(attempts) => change(outcome, { attempts })}
              />
            </Stack>
          );
        })}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('adm.retry.dropped.hint')}
      </Text>
    </Stack>
  );
}

/**
 * The script, the merge fields the operator desktop fills (a click inserts one) and a preview.
 * Unknown fields and broken placeholders are flagged as typed, with the parser the server refuses them by.
 */
function ScriptField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  const { t, formatNumber } = useI18n();
  const { session } = useSession();
  const area = useRef<HTMLTextAreaElement>(null);
  const { unknown, malformed } = parseScript(value);
  function insert(field: string) {
    const text = `{{${field}}}`;
    const at = area.current?.selectionStart ?? value.length;
    const end = area.current?.selectionEnd ?? at;
    onChange(value.slice(0, at) + text + value.slice(end));
  }
  const example = {
    firstName: 'Maria',
    lastName: 'Rossi',
    fullName: 'Maria Rossi',
    city: 'Milano',
    amount: formatNumber(10, { style: 'currency', currency: 'EUR' }),
    frequency: 'monthly',
    operatorName: session?.name ?? 'Operatore',
  };
  return (
    <Stack gap={4}>
      <Textarea
        ref={area}
        label={t('adm.campaign.script')}
        description={t('adm.campaign.script.hint')}
        value={value}
        error={error}
        onChange={(e) => onChange(e.currentTarget.value)}
        autosize
        minRows={3}
      />
      {unknown.length > 0 && (
        <Text size="xs" c="orange.8" data-testid="script-unknown">
          {t('adm.script.unknown')} {unknown.join(', ')}
        </Text>
      )}
      {malformed.length > 0 && (
        <Text size="xs" c="orange.8" data-testid="script-malformed">
          {t('adm.script.malformed')} {malformed.map((placeholder) => placeholder.text).join(', ')}
        </Text>
      )}
      <Group gap={4} role="group" aria-label={t('adm.script.fields')}>
        <Text size="xs" c="dimmed">
          {t('adm.script.fields')}:
        </Text>
        {MERGE_FIELDS.map((field) => (
          <Button
            key={field}
            size="compact-xs"
            variant="light"
            title={t(`adm.script.field.${field}` as MessageKey)}
            onClick={() => insert(field)}
          >
            {`{{${field}}}`}
          </Button>
        ))}
      </Group>
      {value.trim() !== '' && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} data-testid="script-preview">
          {t('adm.script.preview')}: {fillScript(value, example)}
        </Text>
      )}
    </Stack>
  );
}
