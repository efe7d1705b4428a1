// The areas of the app and who sees them. Navigation shows a role only its
// areas, and each area's page checks again: the server refuses what a role may
// not do anyway, the app simply never offers it. Areas join this list as they
// are built (issue 8: administration and the client portal follow their APIs).
import type { Role } from './api.ts';
import type { MessageKey } from './i18n.ts';

export type Area = {
  id:
    | 'operator'
    | 'wallboard'
    | 'reports'
    | 'sla'
    | 'supporters'
    | 'exports'
    | 'admin'
    | 'imports'
    | 'planner';
  path: string;
  title: MessageKey;
  description: MessageKey;
  roles: readonly Role[];
};

export const AREAS: readonly Area[] = [
  {
    id: 'operator',
    path: '/operator',
    title: 'area.operator',
    description: 'area.operator.description',
    // The operator API's roles (GET /api/operator/session): supervisors take calls too.
    roles: ['operator', 'supervisor'],
  },
  {
    id: 'wallboard',
    path: '/wallboard',
    title: 'area.wallboard',
    description: 'area.wallboard.description',
    // GET /api/live/operators and the forced state change.
    roles: ['supervisor', 'admin'],
  },
  {
    id: 'reports',
    path: '/reports',
    title: 'area.reports',
    description: 'area.reports.description',
    // GET /api/organizations/:orgId/kpis (a client viewer: its own organization only).
    roles: ['supervisor', 'admin', 'planner', 'quality', 'client_viewer'],
  },
  {
    id: 'sla',
    path: '/sla',
    title: 'area.sla',
    description: 'area.sla.description',
    // GET /api/organizations/:orgId/sla/* (SLA_READERS; a client viewer: its own organization only).
    roles: ['supervisor', 'admin', 'planner', 'quality', 'client_viewer'],
  },
  {
    id: 'supporters',
    path: '/supporters',
    title: 'area.supporters',
    description: 'area.supporters.description',
    // GET /api/organizations/:orgId/supporters (CRM readers; operators meet supporters on their desktop).
    roles: ['supervisor', 'admin', 'quality', 'client_viewer'],
  },
  {
    id: 'exports',
    path: '/exports',
    title: 'area.exports',
    description: 'area.exports.description',
    // GET /api/organizations/:orgId/exports/:list (EXPORT_ROLES).
    roles: ['supervisor', 'admin', 'client_viewer'],
  },
  {
    id: 'admin',
    path: '/admin',
    title: 'area.admin',
    description: 'area.admin.description',
    // Users, API keys and webhooks: admin; queues, campaigns and SLA contracts: admin and supervisor.
    roles: ['admin', 'supervisor'],
  },
  {
    id: 'imports',
    path: '/imports',
    title: 'area.imports',
    description: 'area.imports.description',
    // POST /api/organizations/:orgId/imports/:kind (the import writers).
    roles: ['admin', 'supervisor'],
  },
  {
    id: 'planner',
    path: '/planner',
    title: 'area.planner',
    description: 'area.planner.description',
    // The same roles as the planning API (POST /api/wfm/*: admin and planner).
    roles: ['admin', 'planner'],
  },
];

export function areasFor(role: Role): Area[] {
  return AREAS.filter((area) => area.roles.includes(role));
}
