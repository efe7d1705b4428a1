// Which dispositions a contact offers: the organization's and the built-in
// ones of its contact cycle (`inbound` for a call to a line), plus those
// offered in every cycle. An inbound caller may also raise, start or restart a
// regular gift on the phone (DOMAIN.md §5: the toll-free line handles any
// request), so inbound contacts offer the built-in upgrade, conversion and
// recapture dispositions too.
import type { RuntimeDisposition } from './runtime-config.service.ts';

const INBOUND_GIVING_EFFECTS: readonly string[] = [
  'upgrade_accepted',
  'conversion_accepted',
  'recapture_accepted',
];

export function isOfferedIn(disposition: RuntimeDisposition, orgId: string, cycleType: string): boolean {
  if (disposition.orgId !== null && disposition.orgId !== orgId) return false;
  if (disposition.cycleType === null || disposition.cycleType === cycleType) return true;
  return (
    cycleType === 'inbound' &&
    disposition.orgId === null &&
    INBOUND_GIVING_EFFECTS.includes(disposition.effect)
  );
}
