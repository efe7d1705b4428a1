// Operator states and pause reasons as people read them (desktop and wallboard).
import type { MessageKey } from '../i18n.ts';

export const NOT_READY_REASONS = ['break', 'lunch', 'training', 'meeting', 'coaching', 'technical'] as const;
/** Reasons the center sets by itself (not offered in the selector). */
const SYSTEM_REASONS = ['missed_offers'] as const;

const STATE_KEYS: Record<string, MessageKey> = {
  idle: 'op.state.idle',
  available: 'op.state.idle',
  reserved: 'op.state.reserved',
  busy: 'op.state.busy',
  wrap_up: 'op.state.wrap_up',
  not_ready: 'op.state.not_ready',
  offline: 'op.state.offline',
};
const STATE_COLORS: Record<string, string> = {
  idle: 'green',
  available: 'green',
  reserved: 'yellow',
  busy: 'blue',
  wrap_up: 'grape',
  not_ready: 'orange',
  offline: 'gray',
};
export function stateLabel(t: (key: MessageKey) => string, state: string): string {
  const key = STATE_KEYS[state];
  return key ? t(key) : state;
}
export function reasonLabel(t: (key: MessageKey) => string, reason: string | null): string {
  if (!reason) return '';
  const known = [...NOT_READY_REASONS, ...SYSTEM_REASONS] as readonly string[];
  return known.includes(reason)
    ? t(`op.reason.${reason as (typeof NOT_READY_REASONS)[number] | (typeof SYSTEM_REASONS)[number]}`)
    : reason;
}
export const stateColor = (state: string) => STATE_COLORS[state] ?? 'gray';
