// centralino import supporters|… --org SLUG FILE: the same pipeline as the
// API's import jobs. Exit 0 when the file was processed, even with rejected
// rows (they are in the report); 1 when the file could not be read at all.
import { statSync } from 'node:fs';
import { loadConfig } from '../../config.ts';
import type { ImportKind } from '../../db/schema.ts';
import { runImport } from '../../modules/imports/import.service.ts';
import type { ColumnMapping } from '../../modules/imports/mapping.ts';
import { findOrganizationBySlug } from '../../modules/organizations/organizations.service.ts';
import { loadSecretBox } from '../../security/secret-box.ts';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { DATA_HELP, DATA_OPTION, withDatabase } from '../database-options.ts';
import { progressBar, progressMode, readInputFile } from '../output.ts';

const KINDS: Record<string, ImportKind> = {
  supporters: 'supporters',
  commitments: 'commitments',
  gifts: 'gifts',
  consents: 'consents',
  dnc: 'dnc',
  register: 'register',
  interactions: 'interactions',
};

export const importCommand: Command = {
  path: ['import'],
  summary:
    'Import supporters, commitments, gifts, consents, do-not-call lists or interaction history (CDR) from CSV or XLSX',
  help: `Usage: centralino import supporters|commitments|gifts|consents|dnc|register|interactions --org SLUG FILE
         [--map MAPPING.json | --preset NAME] [--system NAME] [--dry-run] [--report FILE] [--data DIR]

Reads CSV (UTF-8 with or without BOM, or Windows-1252; comma, semicolon or tab)
or XLSX (first sheet). Columns are recognised by their Italian or English names;
--map gives a JSON object {"File column": "field", "Unused column": null}.

Options:
  --org SLUG        the organization the data belongs to
  --map FILE        column mapping (JSON)
  --preset NAME     a mapping saved for the organization in the web app or API
  --system NAME     the system the file's ids come from (default: import)
  --dry-run         report what would happen; change nothing
  --report FILE     write the rejected rows as CSV (line, column, value, reason)
${DATA_HELP}

Prints: read, created, updated, unchanged, rejected. Exit 0 when the file was
processed (rejected rows are in the report), 1 when it could not be read.`,
  positionals: true,
  options: {
    ...DATA_OPTION,
    org: { type: 'string' },
    map: { type: 'string' },
    preset: { type: 'string' },
    system: { type: 'string' },
    'dry-run': { type: 'boolean' },
    report: { type: 'string' },
  },
  async run(args, io) {
    const [kindWord, file, ...extra] = args.positionals;
    const kind = kindWord ? KINDS[kindWord] : undefined;
    if (!kind) throw new UsageError(`Say what to import: ${Object.keys(KINDS).join(', ')}`);
    if (!file) throw new UsageError('Give the file to import');
    if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);
    const slug = requireString(args, 'org');
    const mapping = readMapping(optionalString(args, 'map'));
    const preset = optionalString(args, 'preset');
    if (mapping && preset) throw new UsageError('Use --map or --preset, not both');
    const system = optionalString(args, 'system');
    if (system !== undefined && !/^[A-Za-z0-9_.-]{1,40}$/.test(system)) {
      throw new UsageError('--system may contain letters, digits, dot, dash and underscore (at most 40)');
    }
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new UsageError(`Cannot read ${file}`);
    }
    const config = loadConfig(io.env);
    const dryRun = args.values['dry-run'] === true;
    const progress = progressBar('importing', progressMode(io.env));
    const started = Date.now();
    // The share of the file read draws the bar (unknown for XLSX, which is unzipped as it streams).
    const onProgress = ({ rowsRead, bytesRead }: { rowsRead: number; bytesRead: number | undefined }) => {
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(rowsRead / seconds) : 0;
      const fraction = bytesRead === undefined || size === 0 ? undefined : bytesRead / size;
      progress.update(
        fraction,
        `${rowsRead.toLocaleString('en')} rows (${rate.toLocaleString('en')} rows/s)`,
      );
    };
    const summary = await withDatabase(args, config, async (db) => {
      const organization = await findOrganizationBySlug({ db, slug });
      if (!organization) throw new UsageError(`No organization with slug "${slug}"`);
      return runImport({
        db,
        secrets: loadSecretBox({
          secretKey: config.secretKey,
          dataDir: optionalString(args, 'data') ?? config.dataDir,
        }),
        orgId: organization.id,
        kind,
        path: file,
        ...(mapping ? { mapping } : {}),
        ...(preset ? { preset } : {}),
        ...(system ? { system } : {}),
        dryRun,
        actor: 'cli',
        ...(optionalString(args, 'report') ? { reportPath: optionalString(args, 'report') } : {}),
        onProgress,
      });
    }).finally(progress.done);
    const format =
      summary.format.kind === 'xlsx'
        ? `XLSX, sheet "${summary.format.sheet}"`
        : `CSV, ${summary.format.encoding}${summary.format.bom ? ' with BOM' : ''}, ` +
          `delimiter ${summary.format.delimiter === '\t' ? 'tab' : `"${summary.format.delimiter}"`}`;
    io.out(`${dryRun ? 'Dry run: nothing was changed. ' : ''}${kindWord} from ${file} (${format})`);
    io.out(
      `read ${summary.read}, created ${summary.created}, updated ${summary.updated}, ` +
        `unchanged ${summary.unchanged}, rejected ${summary.rejected}`,
    );
    if (summary.ignoredColumns.length > 0)
      io.out(`Columns not imported: ${summary.ignoredColumns.join(', ')}`);
    if (summary.rejected > 0) {
      const report = optionalString(args, 'report');
      io.out(
        report
          ? `Rejected rows are listed in ${report}`
          : 'Rejected rows (use --report FILE for the full list):',
      );
      if (!report) {
        for (const issue of summary.errors.slice(0, 20)) {
          io.out(`  line ${issue.line}${issue.column ? `, ${issue.column}` : ''}: ${issue.reason}`);
        }
      }
    }
    io.out(`Job ${summary.jobId}`);
    return EXIT.ok;
  },
};

function readMapping(path: string | undefined): ColumnMapping | undefined {
  if (path === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInputFile(path));
  } catch (error) {
    throw new UsageError(`--map ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => v === null || typeof v === 'string')
  ) {
    throw new UsageError('--map must be a JSON object of "column": "field" (or null to skip a column)');
  }
  return parsed as ColumnMapping;
}
