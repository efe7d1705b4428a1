// centralino report sla --org SLUG --period YYYY-MM [--invoice 12000.00]
// [--format text|json|csv|html|pdf] [--out FILE]: the evaluation of the SLA
// contract (GET /api/organizations/:orgId/sla/evaluation) as a table, the API's
// JSON, CSV, or the monthly report as HTML or PDF (headless Chromium).
// `--month` is the same as --period, `--json` as --format json and `--pdf FILE`
// as --format pdf --out FILE (the spelling).
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../http/errors.ts';
import { findOrganizationBySlug } from '../../modules/organizations/organizations.service.ts';
import { loadSlaMonthReport } from '../../modules/sla/sla-dashboard.service.ts';
import { checkMonthText, parseInvoice } from '../../modules/sla/sla-evaluation.service.ts';
import { evaluationCsv, METRIC_COLUMNS, metricRows, totalLines } from '../../modules/sla/sla-format.ts';
import {
  type ReportLanguage,
  renderSlaReportHtml,
  renderSlaReportPdf,
} from '../../modules/sla/sla-report.ts';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { DATA_HELP, DATA_OPTION, withDatabase } from '../database-options.ts';
import { table } from '../output.ts';

const FORMATS = ['text', 'json', 'csv', 'html', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

export const reportSlaCommand: Command = {
  path: ['report', 'sla'],
  summary:
    'SLA contract evaluation of a month: per metric status and credit, bonus, total (text, JSON, CSV, HTML, PDF)',
  help: `Usage: centralino report sla --org SLUG --period YYYY-MM [--invoice AMOUNT]
         [--format text|json|csv|html|pdf] [--out FILE] [--lang it|en] [--data DIR]

The month is the organization's (Europe/Rome unless its KPI settings say
otherwise), evaluated with the contract version in effect on its first day.

Options:
  --org SLUG        the organization
  --period YYYY-MM  the month (--month is the same)
  --invoice AMOUNT  the month's invoice in euros (12000.00): credits and bonus as amounts
  --format F        text (default), json (the API's answer), csv, html or pdf (the monthly report)
  --out FILE        write to FILE instead of the standard output (required for pdf)
  --lang L          language of the html and pdf report: it (default) or en
  --json            the same as --format json
  --pdf FILE        the same as --format pdf --out FILE
${DATA_HELP}
The PDF is printed by the system Chromium in headless mode (CHROMIUM_PATH,
default /usr/bin/chromium; Debian package chromium).`,
  options: {
    ...DATA_OPTION,
    org: { type: 'string' },
    period: { type: 'string' },
    month: { type: 'string' },
    invoice: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    lang: { type: 'string' },
    json: { type: 'boolean' },
    pdf: { type: 'string' },
  },
  async run(args, io) {
    const slug = requireString(args, 'org');
    const month = optionalString(args, 'period') ?? optionalString(args, 'month');
    if (month === undefined) throw new UsageError('--period YYYY-MM is required');
    try {
      checkMonthText(month);
    } catch (error) {
      if (error instanceof AppError) throw new UsageError(error.message);
      throw error;
    }
    const invoiceText = optionalString(args, 'invoice');
    const invoiceCents = invoiceText === undefined ? null : parseInvoice(invoiceText);
    if (invoiceCents === undefined) throw new UsageError('--invoice is an amount in euros, e.g. 12000.00');
    const pdfFile = optionalString(args, 'pdf');
    const format = (
      pdfFile !== undefined
        ? 'pdf'
        : args.values.json === true
          ? 'json'
          : (optionalString(args, 'format') ?? 'text')
    ) as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format is one of ${FORMATS.join(', ')}`);
    const out = pdfFile ?? optionalString(args, 'out');
    if (format === 'pdf' && out === undefined) throw new UsageError('--format pdf needs --out FILE');
    const lang = (optionalString(args, 'lang') ?? 'it') as ReportLanguage;
    if (lang !== 'it' && lang !== 'en') throw new UsageError('--lang is it or en');
    const config = loadConfig(io.env);
    return withDatabase(args, config, async (db) => {
      const organization = await findOrganizationBySlug({ db, slug });
      if (!organization) throw new UsageError(`No organization with slug "${slug}"`);
      let loaded: Awaited<ReturnType<typeof loadSlaMonthReport>>;
      try {
        loaded = await loadSlaMonthReport({ db, orgId: organization.id, month, invoiceCents });
      } catch (error) {
        if (error instanceof AppError && error.status === 404) {
          io.err(error.message);
          return EXIT.failure;
        }
        throw error;
      }
      const { report, trend } = loaded;
      const write = (text: string | Buffer) => {
        if (out === undefined) io.out(String(text).replace(/\n$/, ''));
        else writeFileSync(out, text);
      };
      if (format === 'json') write(JSON.stringify(report, null, 2));
      else if (format === 'csv') write(evaluationCsv(report));
      else if (format === 'html' || format === 'pdf') {
        const html = renderSlaReportHtml({ report, trend, organizationName: organization.name, lang });
        if (format === 'html') write(html);
        else {
          try {
            write(await renderSlaReportPdf({ html, chromiumPath: io.env.CHROMIUM_PATH }));
          } catch (error) {
            if (error instanceof AppError && error.status === 503) {
              io.err(error.message);
              return EXIT.failure;
            }
            throw error;
          }
        }
      } else {
        const lines = [
          `${organization.name}: SLA ${report.contract.name} (version ${report.contract.version}, from ${report.contract.effectiveFrom}), ${month} (${report.period.timeZone}), ${report.contract.terms.atRiskPercent} % of the invoice at risk`,
          table([...METRIC_COLUMNS], metricRows(report)),
          '',
          ...totalLines(report),
          '',
          ...report.metrics.map((m) => `${m.id}: ${m.definition.figure.formula}; ${m.definition.status}`),
        ];
        write(lines.join('\n'));
      }
      if (out !== undefined) io.out(`wrote ${out}`);
      return EXIT.ok;
    });
  },
};
