// Exports of a list or a segment as CSV or XLSX, for the API and the CLI alike.
// startExport() does everything that can refuse (filters, the IBAN permission)
// and writes the audit row before the first byte, so a caller can still answer
// a problem; then write() streams the file page by page and records how many
// rows left, also when the download broke off. The full IBAN appears only on
// an explicit reveal by a principal with bank-data access (DOMAIN.md §6) or by
// the CLI's operator, and the audit trail says so.
import type { Writable } from 'node:stream';
import type { Database } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { actorOf, type Principal } from '../auth/principal.ts';
import { utcDate } from '../giving/commitments.service.ts';
import { SEGMENTS } from '../giving/donor-metrics.service.ts';
import { givingErrors } from '../giving/giving.errors.ts';
import { getOrganization } from '../organizations/organizations.service.ts';
import { CHANNELS, STATUSES } from '../supporters/supporters.schemas.ts';
import { createExportWriter, type ExportFormat, type ExportLanguage } from './export-format.ts';
import { type ExportFilters, type ExportList, LISTS } from './export-lists.ts';
import { exportErrors } from './exports.errors.ts';

/** Rows per database page: big enough to amortize a round trip, small enough to keep memory flat. */
export const EXPORT_PAGE_SIZE = 2_000;

/** Who exports: an API principal, or the CLI's operator (audited as actor 'cli'). */
export type ExportActor = Principal | 'cli';

const STATUS_VALUES: Partial<Record<ExportList, readonly string[]>> = {
  supporters: STATUSES,
  commitments: ['active', 'paused', 'cancelled', 'lapsed'],
  gifts: ['collected', 'failed', 'refunded'],
};

/** Refuses filters the list does not have and values it does not know, naming the parameter. */
export function checkExportFilters(list: ExportList, filters: ExportFilters): void {
  const definition = LISTS[list];
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    if (!definition.filters.includes(name as keyof ExportFilters))
      throw exportErrors.filterNotApplicable(name, list);
  }
  const statuses = STATUS_VALUES[list];
  for (const status of filters.status ?? []) {
    if (!statuses?.includes(status))
      throw exportErrors.valueInvalid('status', `must be one of ${statuses?.join(', ')}`);
  }
  if (filters.channel && !(CHANNELS as readonly string[]).includes(filters.channel))
    throw exportErrors.valueInvalid('channel', `must be one of ${CHANNELS.join(', ')}`);
  if (list === 'segment') {
    if (!filters.segment) throw exportErrors.segmentRequired();
    if (!(SEGMENTS as readonly string[]).includes(filters.segment))
      throw exportErrors.valueInvalid('segment', `must be one of ${SEGMENTS.join(', ')}`);
  }
  for (const name of ['from', 'to'] as const) {
    const value = filters[name];
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value))
      throw exportErrors.valueInvalid(name, 'must be a date YYYY-MM-DD');
  }
  if (filters.from && filters.to && filters.from > filters.to) throw givingErrors.dateRangeInvalid();
  if (filters.system !== undefined && !/^[A-Za-z0-9_.-]{1,40}$/.test(filters.system))
    throw exportErrors.valueInvalid('system', 'may contain letters, digits, dot, dash and underscore (1–40)');
}

export type PreparedExport = {
  fileName: string;
  contentType: string;
  format: ExportFormat;
  lang: ExportLanguage;
  /** Streams the file into `out` (ended when done) and audits how many rows left. */
  write(out: Writable): Promise<{ rows: number }>;
};

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function auditActor(actor: ExportActor) {
  return actor === 'cli' ? { actor_kind: 'system' as const, actor_id: 'cli' } : actorOf(actor);
}

async function audit(db: Database, orgId: string, actor: ExportActor, action: string, details: object) {
  await db.forOrg(orgId, (tx) =>
    tx
      .insertInto('audit_events')
      .values({ org_id: orgId, ...auditActor(actor), action, target: null, details: JSON.stringify(details) })
      .execute(),
  );
}

export async function startExport(options: {
  db: Database;
  secrets: SecretBox;
  orgId: string;
  actor: ExportActor;
  list: ExportList;
  filters: ExportFilters;
  format: ExportFormat;
  /** Default: the organization's locale. */
  lang?: ExportLanguage | undefined;
  revealIban?: boolean | undefined;
  today?: string | undefined;
  pageSize?: number | undefined;
  /** Called after each page is written (the CLI's progress). */
  onPage?: ((rowsSoFar: number) => void) | undefined;
}): Promise<PreparedExport> {
  const { db, orgId, actor, list, format } = options;
  const filters = Object.fromEntries(
    Object.entries(options.filters).filter(([, value]) => value !== undefined),
  ) as ExportFilters;
  checkExportFilters(list, filters);
  const revealIban = options.revealIban === true;
  if (revealIban) {
    if (list !== 'commitments') throw exportErrors.revealNotApplicable(list);
    // The same permission as giving's single-commitment reveal; the CLI's operator holds the server.
    if (actor !== 'cli' && !actor.bankDataAccess) throw givingErrors.bankDataAccessRequired();
  }
  const organization = await getOrganization({ db, orgId });
  const lang = options.lang ?? organization.locale;
  const today = options.today ?? utcDate();
  const name = list === 'segment' ? `segment-${filters.segment}` : list;
  const fileName = `${name}-${organization.slug}-${today}.${format}`;
  const what = { list, ...(filters.segment ? { segment: filters.segment } : {}), format, lang, filters };
  await audit(db, orgId, actor, 'export.started', { ...what, revealIban });

  return {
    fileName,
    contentType: CONTENT_TYPES[format],
    format,
    lang,
    async write(out) {
      const definition = LISTS[list];
      let rows = 0;
      let completed = false;
      try {
        const writer = createExportWriter(format, {
          out,
          columns: definition.columns,
          lang,
          timeZone: organization.timeZone,
          sheetName: name,
        });
        for await (const page of definition.pages({
          db,
          secrets: options.secrets,
          orgId,
          filters,
          revealIban,
          today,
          pageSize: options.pageSize ?? EXPORT_PAGE_SIZE,
        })) {
          if (out.destroyed) break;
          await writer.writePage(page);
          rows += page.length;
          options.onPage?.(rows);
        }
        if (!out.destroyed) {
          await writer.finish();
          completed = true;
        }
        return { rows };
      } finally {
        await audit(db, orgId, actor, 'export.finished', {
          ...what,
          rows,
          completed,
          ...(revealIban ? { ibansRevealed: true } : {}),
        });
      }
    },
  };
}
