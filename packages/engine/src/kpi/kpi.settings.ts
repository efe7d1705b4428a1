// The organization's KPI settings with DOMAIN.md §3–§4 defaults, validated once at
// the edge. Some settings decide what a counter counts (they are baked into the
// rollups and must match to add rollups together); the others only choose a
// formula over the counters and can change without a rebuild.

import { SERVICE_LEVEL_DEFINITIONS } from '../wfm/erlang.ts';
import { KpiError, type KpiIssue } from './kpi.errors.ts';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from './kpi.time.ts';
import type { KpiSettings } from './kpi.types.ts';

export const DEFAULT_KPI_SETTINGS: KpiSettings = Object.freeze({
  timeZone: DEFAULT_TIME_ZONE,
  serviceLevelThresholdSeconds: 20,
  shortAbandonSeconds: 5,
  serviceLevelFormula: 'answered_or_abandoned_within',
  serviceLevelExcludesShortAbandons: false,
  abandonRateIncludesShortAbandons: false,
  countBy: 'queued',
  fcrWindow: '2_days',
  conversionDenominator: 'rpc',
  dropConnectSeconds: 2,
  welcomeReachDays: 7,
  billableNotReadyReasons: Object.freeze([]) as readonly string[],
});

/** The settings that decide what the counters count; rollups carry them. */
export type CountingSettings = Pick<
  KpiSettings,
  | 'timeZone'
  | 'serviceLevelThresholdSeconds'
  | 'shortAbandonSeconds'
  | 'countBy'
  | 'fcrWindow'
  | 'dropConnectSeconds'
  | 'welcomeReachDays'
  | 'billableNotReadyReasons'
>;

export function countingSettingsOf(settings: KpiSettings): CountingSettings {
  return {
    timeZone: settings.timeZone,
    serviceLevelThresholdSeconds: settings.serviceLevelThresholdSeconds,
    shortAbandonSeconds: settings.shortAbandonSeconds,
    countBy: settings.countBy,
    fcrWindow: settings.fcrWindow,
    dropConnectSeconds: settings.dropConnectSeconds,
    welcomeReachDays: settings.welcomeReachDays,
    billableNotReadyReasons: [...settings.billableNotReadyReasons].sort(),
  };
}

/** True when two rollups' counters mean the same thing. */
export function sameCountingSettings(a: CountingSettings, b: CountingSettings): boolean {
  return (
    JSON.stringify(countingSettingsOf(a as KpiSettings)) ===
    JSON.stringify(countingSettingsOf(b as KpiSettings))
  );
}

function oneOf<T extends string>(
  issues: KpiIssue[],
  field: string,
  value: unknown,
  allowed: readonly T[],
): value is T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return true;
  issues.push({ field, message: `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}` });
  return false;
}

function nonNegative(issues: KpiIssue[], field: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    issues.push({ field, message: `must be a number from 0 to ${max}, got ${JSON.stringify(value)}` });
  }
}

/** Defaults filled in and every field checked; throws KPI_INVALID_INPUT naming all failing fields. */
export function resolveKpiSettings(partial: Partial<KpiSettings> = {}): KpiSettings {
  const settings: KpiSettings = { ...DEFAULT_KPI_SETTINGS, ...stripUndefined(partial) };
  const issues: KpiIssue[] = [];
  if (typeof settings.timeZone !== 'string' || !isValidTimeZone(settings.timeZone)) {
    issues.push({
      field: 'timeZone',
      message: `is not a known time zone: ${JSON.stringify(settings.timeZone)}`,
    });
  }
  nonNegative(issues, 'serviceLevelThresholdSeconds', settings.serviceLevelThresholdSeconds, 86_400);
  nonNegative(issues, 'shortAbandonSeconds', settings.shortAbandonSeconds, 86_400);
  nonNegative(issues, 'dropConnectSeconds', settings.dropConnectSeconds, 60);
  nonNegative(issues, 'welcomeReachDays', settings.welcomeReachDays, 366);
  oneOf(issues, 'serviceLevelFormula', settings.serviceLevelFormula, SERVICE_LEVEL_DEFINITIONS);
  oneOf(issues, 'countBy', settings.countBy, ['queued', 'answered'] as const);
  oneOf(issues, 'fcrWindow', settings.fcrWindow, ['same_day', '2_days', '7_days'] as const);
  oneOf(issues, 'conversionDenominator', settings.conversionDenominator, [
    'dials',
    'connects',
    'rpc',
  ] as const);
  for (const flag of ['serviceLevelExcludesShortAbandons', 'abandonRateIncludesShortAbandons'] as const) {
    if (typeof settings[flag] !== 'boolean') {
      issues.push({ field: flag, message: `must be true or false, got ${JSON.stringify(settings[flag])}` });
    }
  }
  if (
    !Array.isArray(settings.billableNotReadyReasons) ||
    settings.billableNotReadyReasons.some((r) => typeof r !== 'string')
  ) {
    issues.push({ field: 'billableNotReadyReasons', message: 'must be a list of reason names' });
  }
  if (issues.length > 0) throw new KpiError('KPI_INVALID_INPUT', issues);
  return settings;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
