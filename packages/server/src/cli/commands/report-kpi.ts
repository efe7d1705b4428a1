// centralino report kpi --org SLUG --from ISO --to ISO --group interval|day|month:
// the same report as GET /api/organizations/:orgId/kpis (issue 7), as a table
// of the main inbound and outbound figures with the definitions used, or as
// the API's JSON with --json.
import type { KpiFigures } from '@centralino/engine';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../http/errors.ts';
import { type KpiGroupBy, kpiReport, parsePeriod } from '../../modules/kpis/kpi-report.service.ts';
import { findOrganizationBySlug } from '../../modules/organizations/organizations.service.ts';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { DATA_HELP, DATA_OPTION, withDatabase } from '../database-options.ts';
import { table } from '../output.ts';

const GROUPS: readonly KpiGroupBy[] = ['interval', 'day', 'month'];

/** The columns of the table: header, KPI, how its value is written. */
const COLUMNS: readonly [string, keyof KpiFigures, 'count' | 'percent' | 'seconds'][] = [
  ['Offered', 'offered', 'count'],
  ['Answered', 'answered', 'count'],
  ['Abandoned', 'abandoned', 'count'],
  ['Short ab.', 'short_abandons', 'count'],
  ['SL', 'service_level', 'percent'],
  ['Abandon %', 'abandon_rate', 'percent'],
  ['ASA s', 'asa', 'seconds'],
  ['Max wait s', 'max_queue_wait', 'seconds'],
  ['AHT s', 'aht', 'seconds'],
  ['Transfer %', 'transfer_rate', 'percent'],
  ['FCR', 'fcr', 'percent'],
  ['Attempts', 'attempts', 'count'],
  ['RPC', 'rpc', 'count'],
  ['Conversion', 'conversion_rate', 'percent'],
];

function cell(figures: KpiFigures, kpi: keyof KpiFigures, style: 'count' | 'percent' | 'seconds'): string {
  const value = figures[kpi].value;
  // An absent figure (nothing to divide by) is "-", never 0 or 100 %.
  if (value === null) return '-';
  if (style === 'percent') return `${(value * 100).toFixed(1)}%`;
  if (style === 'seconds') return value.toFixed(1);
  return String(value);
}

function intervalLabel(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

export const reportKpiCommand: Command = {
  path: ['report', 'kpi'],
  summary: 'KPI report of an organization per interval, day or month (from the 15-minute rollups)',
  help: `Usage: centralino report kpi --org SLUG --from ISO --to ISO [--group interval|day|month]
         [--queue Q] [--campaign C] [--operator O] [--channel CH] [--direction inbound|outbound]
         [--json] [--data DIR]

--from and --to are instants with an offset on 15-minute boundaries
(2026-03-01T00:00:00+01:00); the period is [from, to). Days and months are
the organization's (Europe/Rome unless its KPI settings say otherwise).
A figure with nothing to divide by is shown as "-" (absent, not 0).

Options:
  --org SLUG        the organization
  --group G         interval, day (default) or month
  --queue Q         only this queue (its key, or the name a history import gave)
  --campaign C      only this campaign
  --operator O      only this operator
  --channel CH      only this channel (voice, chat, email, sms, social)
  --direction D     inbound or outbound
  --json            the API's JSON (every KPI, with its definition)
${DATA_HELP}`,
  options: {
    ...DATA_OPTION,
    org: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    group: { type: 'string' },
    queue: { type: 'string' },
    campaign: { type: 'string' },
    operator: { type: 'string' },
    channel: { type: 'string' },
    direction: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const slug = requireString(args, 'org');
    const group = (optionalString(args, 'group') ?? 'day') as KpiGroupBy;
    if (!GROUPS.includes(group)) throw new UsageError('--group is interval, day or month');
    const direction = optionalString(args, 'direction');
    if (direction !== undefined && direction !== 'inbound' && direction !== 'outbound')
      throw new UsageError('--direction is inbound or outbound');
    let period: { fromMs: number; toMs: number };
    try {
      period = parsePeriod(requireString(args, 'from'), requireString(args, 'to'));
    } catch (error) {
      if (error instanceof AppError) throw new UsageError(error.message);
      throw error;
    }
    const filter = {
      queue: optionalString(args, 'queue'),
      campaign: optionalString(args, 'campaign'),
      operator: optionalString(args, 'operator'),
      channel: optionalString(args, 'channel'),
      direction: direction as 'inbound' | 'outbound' | undefined,
    };
    const config = loadConfig(io.env);
    return withDatabase(args, config, async (db) => {
      const organization = await findOrganizationBySlug({ db, slug });
      if (!organization) throw new UsageError(`No organization with slug "${slug}"`);
      const report = await kpiReport({ db, orgId: organization.id, ...period, group, filter });
      if (args.values.json === true) {
        io.out(JSON.stringify(report, null, 2));
        return EXIT.ok;
      }
      const label = (l: string) => (group === 'interval' ? intervalLabel(l, report.timeZone) : l);
      const rows = report.groups.map((g) => [
        label(g.label),
        ...COLUMNS.map(([, kpi, s]) => cell(g.figures, kpi, s)),
      ]);
      rows.push(['Total', ...COLUMNS.map(([, kpi, s]) => cell(report.total, kpi, s))]);
      io.out(
        `${organization.name}: KPIs from ${report.from} to ${report.to} by ${group} (${report.timeZone})`,
      );
      io.out(
        table(
          [group === 'interval' ? 'Interval' : group === 'day' ? 'Day' : 'Month', ...COLUMNS.map(([h]) => h)],
          rows,
        ),
      );
      io.out('');
      for (const kpi of ['service_level', 'abandon_rate', 'asa', 'aht', 'fcr', 'conversion_rate'] as const) {
        const d = report.total[kpi].definition;
        const parameters = Object.entries(d.parameters)
          .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : v}`)
          .join(', ');
        io.out(`${kpi}: ${d.formula}${parameters ? ` (${parameters})` : ''}`);
      }
      return EXIT.ok;
    });
  },
};
