// The areas of the app and who sees them. Navigation shows a role only its
// areas, and each area's page checks again: the server refuses what a role may
// not do anyway, the app simply never offers it. Areas join this list as they
// are built (issue 8: operator desktop, wallboard, reports, administration,
// client portal follow their APIs).
import type { Role } from './api.ts';
import type { MessageKey } from './i18n.ts';

export type Area = {
  id: 'planner';
  path: string;
  title: MessageKey;
  description: MessageKey;
  roles: readonly Role[];
};

export const AREAS: readonly Area[] = [
  {
    id: 'planner',
    path: '/planner',
    title: 'area.planner',
    description: 'area.planner.description',
    // The same roles as the planning API (POST /api/wfm/*).
    roles: ['admin', 'supervisor', 'planner'],
  },
];

export function areasFor(role: Role): Area[] {
  return AREAS.filter((area) => area.roles.includes(role));
}
