// The transfer's choices and answers (POST /api/operator/calls/:callId/transfer):
// a queue of the call's organization, or an available colleague (listed only
// to roles that may read GET /api/live/operators: supervisors and admins; an
// operator transfers to a queue). The server's refusals become Italian/English text.
import type { MessageKey } from '../i18n.ts';
import type { OperatorStatus } from '../live/types.ts';

export type TransferTarget = { queueId: string } | { operatorId: string };

/** Roles that may read GET /api/live/operators (the server's LIVE_SUPERVISORS). */
export const COLLEAGUE_READERS: readonly string[] = ['admin', 'supervisor'];

/** The Select's value (`queue:<id>` / `operator:<id>`) as the request's `to`. */
export function transferTarget(value: string | null): TransferTarget | null {
  if (!value) return null;
  const [kind, id] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  if (!id) return null;
  if (kind === 'queue') return { queueId: id };
  if (kind === 'operator') return { operatorId: id };
  return null;
}

/** Colleagues a call can go to now: available (idle), not me, by name. */
export function availableColleagues(operators: readonly OperatorStatus[], me: string | undefined) {
  return operators
    .filter((o) => o.userId !== me && (o.state === 'available' || o.state === 'idle'))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The message for a refused transfer, by the problem's code; null: show the server's detail. */
export function transferErrorKey(status: number, code: string | undefined): MessageKey | null {
  if (code === 'LIVE_OPERATOR_UNAVAILABLE') return 'desk.transfer.error.unavailable';
  if (code === 'LIVE_TRANSFER_TARGET_UNKNOWN') return 'desk.transfer.error.unknown';
  if (code === 'LIVE_INVALID_STATE') return 'desk.transfer.error.state';
  if (code === 'LIVE_INTERACTION_NOT_FOUND' || status === 404) return 'desk.transfer.error.gone';
  return null;
}
