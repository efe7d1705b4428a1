// When a campaign may dial: the default window (the server's
// DEFAULT_CALLING_WINDOW, campaigns/calling-window.ts) or one of the
// organization's calling windows, edited in place — weekly periods on a local
// clock, holidays, an IANA time zone. The weekly periods field is the shape of
// every opening-hours setting (contact-center/weekly-hours.ts on the server), kept
// apart so queue hours can use it too. The server checks the clock times; its
// reasons show on the row and field they name.
import {
  ActionIcon,
  Alert,
  Button,
  Chip,
  Group,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { type MessageKey, useI18n } from '../i18n.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeeklyPeriod = { days: string[]; from: string; to: string };
export type CallingWindowDraft = {
  id?: string;
  name: string;
  timeZone: string;
  weekly: WeeklyPeriod[];
  holidays: string[];
};
export type CallingWindow = Required<CallingWindowDraft>;

/** The server's DEFAULT_CALLING_WINDOW: what a new window starts from, and what applies without one. */
export const DEFAULT_WEEKLY: WeeklyPeriod[] = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '21:00' },
  { days: ['sat'], from: '09:00', to: '13:00' },
];
export const DEFAULT_TIME_ZONE = 'Europe/Rome';

/** What the server stores (holidays sorted), to tell an edited window from the saved one. */
export const windowBody = (draft: CallingWindowDraft) => ({
  name: draft.name,
  timeZone: draft.timeZone,
  weekly: draft.weekly,
  holidays: [...draft.holidays].sort(),
});

/** Errors named under `prefix` (the field or its items), joined. */
const errorsUnder = (errors: Map<string, string>, prefix: string) =>
  [...errors].filter(([field]) => field === prefix || field.startsWith(`${prefix}.`)).map(([, m]) => m);

export function WeeklyPeriodsField({
  value,
  onChange,
  errors,
  path,
  disabled = false,
}: {
  value: WeeklyPeriod[];
  onChange: (value: WeeklyPeriod[]) => void;
  /** The server's refusal by field (problemFields), `path` the body's field of these periods. */
  errors: Map<string, string>;
  path: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const change = (index: number, patch: Partial<WeeklyPeriod>) =>
    onChange(value.map((period, i) => (i === index ? { ...period, ...patch } : period)));
  const whole = errors.get(path);
  return (
    <Stack gap={6}>
      {value.map((period, i) => {
        const at = `${path}.${i}`;
        const rowError = [errors.get(at), errors.get(`${at}.days`)].filter(Boolean).join('; ');
        const name = `${t('adm.window.period')} ${i + 1}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <Stack key={i} gap={2} role="group" aria-label={name}>
            <Group gap="xs" align="flex-end" wrap="wrap">
              <Chip.Group multiple value={period.days} onChange={(days) => change(i, { days })}>
                <Group gap={4}>
                  {WEEKDAYS.map((day) => (
                    <Chip key={day} value={day} size="xs" disabled={disabled}>
                      {t(`adm.day.${day}` as MessageKey)}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
              <TextInput
                label={t('adm.window.from')}
                placeholder="09:00"
                w={90}
                value={period.from}
                disabled={disabled}
                error={errors.get(`${at}.from`)}
                onChange={(e) => change(i, { from: e.currentTarget.value })}
              />
              <TextInput
                label={t('adm.window.to')}
                placeholder="21:00"
                w={90}
                value={period.to}
                disabled={disabled}
                error={errors.get(`${at}.to`)}
                onChange={(e) => change(i, { to: e.currentTarget.value })}
              />
              {!disabled && (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`${t('common.delete')} ${name}`}
                  onClick={() => onChange(value.filter((_, j) => j !== i))}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
            {rowError && (
              <Text size="xs" c="red">
                {rowError}
              </Text>
            )}
          </Stack>
        );
      })}
      {whole && (
        <Text size="xs" c="red">
          {whole}
        </Text>
      )}
      {!disabled && (
        <Group>
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => onChange([...value, { days: [], from: '09:00', to: '18:00' }])}
          >
            {t('adm.window.addPeriod')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

const NEW = 'new';
const DEFAULT = 'default';

/**
 * The campaign's calling window: `null` is the default window. Only admins
 * change calling windows (the API's writers); a supervisor picks one.
 */
export function CallingWindowFields({
  value,
  onChange,
  windows,
  usedBy,
  errors,
  canEdit,
  campaignError,
}: {
  value: CallingWindowDraft | null;
  onChange: (value: CallingWindowDraft | null) => void;
  windows: CallingWindow[];
  /** Other campaigns' names by the window they use (a window is the organization's, shared). */
  usedBy: Map<string, string[]>;
  /** The calling-window API's refusal by field (problemFields). */
  errors: Map<string, string>;
  canEdit: boolean;
  /** The campaign API's refusal of the choice (body.callingWindowId). */
  campaignError?: string | undefined;
}) {
  const { t } = useI18n();
  const choice = value === null ? DEFAULT : (value.id ?? NEW);
  const options = [
    { value: DEFAULT, label: t('adm.window.default') },
    ...windows.map((w) => ({ value: w.id, label: w.name })),
    ...(canEdit ? [{ value: NEW, label: t('adm.window.new') }] : []),
  ];
  function choose(next: string | null) {
    if (!next || next === DEFAULT) onChange(null);
    else if (next === NEW)
      onChange({ name: '', timeZone: DEFAULT_TIME_ZONE, weekly: DEFAULT_WEEKLY, holidays: [] });
    else {
      const chosen = windows.find((w) => w.id === next);
      if (chosen) onChange({ ...chosen, weekly: chosen.weekly.map((p) => ({ ...p })) });
    }
  }
  const others = value?.id ? (usedBy.get(value.id) ?? []) : [];
  const holidayErrors = errorsUnder(errors, 'body.holidays');
  return (
    <Stack gap="xs">
      <Select
        label={t('adm.campaign.window')}
        data={options}
        value={choice}
        onChange={choose}
        allowDeselect={false}
        error={campaignError}
      />
      {value === null ? (
        <Alert variant="light" color="blue" data-testid="default-window">
          {t('adm.window.defaultExplained')}
        </Alert>
      ) : (
        <Stack gap="xs" data-testid="window-editor">
          {others.length > 0 && (
            <Text size="xs" c="dimmed">
              {t('adm.window.shared')} {others.join(', ')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('adm.window.name')}
              value={value.name}
              disabled={!canEdit}
              error={errors.get('body.name')}
              onChange={(e) => onChange({ ...value, name: e.currentTarget.value })}
            />
            <TextInput
              label={t('adm.window.timeZone')}
              description={t('adm.window.timeZone.hint')}
              value={value.timeZone}
              disabled={!canEdit}
              error={errors.get('body.timeZone')}
              onChange={(e) => onChange({ ...value, timeZone: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Text size="sm" fw={700}>
            {t('adm.window.weekly')}
          </Text>
          <WeeklyPeriodsField
            value={value.weekly}
            onChange={(weekly) => onChange({ ...value, weekly })}
            errors={errors}
            path="body.weekly"
            disabled={!canEdit}
          />
          <TagsInput
            label={t('adm.window.holidays')}
            description={t('adm.window.holidays.hint')}
            placeholder="2026-12-24"
            value={value.holidays}
            disabled={!canEdit}
            splitChars={[',', ' ', ';']}
            error={holidayErrors.length > 0 ? holidayErrors.join('; ') : undefined}
            onChange={(holidays) => onChange({ ...value, holidays })}
          />
        </Stack>
      )}
    </Stack>
  );
}
