// The monthly SLA report of an organization (issue 7): one self-contained HTML
// page (inline CSS with print rules, inline SVG charts, no external resource)
// in Italian or English, and the same page printed to PDF by the system
// Chromium in headless mode (Debian package chromium; CHROMIUM_PATH, default
// /usr/bin/chromium) — no browser is downloaded, no npm package is needed.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slaErrors } from './sla.errors.ts';
import type { SlaSeries } from './sla-dashboard.service.ts';
import type { SlaEvaluationReport, SlaMetricEvaluation } from './sla-evaluation.service.ts';
import { formatCents, formatLevel } from './sla-format.ts';

export type ReportLanguage = 'it' | 'en';
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
const PDF_TIMEOUT_MS = 60_000;

const fmt = (m: SlaMetricEvaluation, v: number) => formatLevel(m, v);

const TEXT = {
  it: {
    title: 'Rapporto SLA',
    month: 'Mese',
    contract: 'Contratto',
    version: 'versione',
    from: 'in vigore da',
    atRisk: 'Quota a rischio della fattura',
    invoice: 'Fattura',
    metric: 'Metrica',
    kind: 'Tipo',
    window: 'Finestra',
    value: 'Valore',
    minimum: 'Minimo',
    target: 'Obiettivo',
    status: 'Esito',
    days: 'Giorni conformi',
    intervals: 'Intervalli conformi',
    allocation: 'Allocazione',
    credit: 'Penale',
    bonus: 'Bonus',
    total: 'Totale',
    net: 'Netto',
    earned: 'riconosciuto',
    notEarned: 'non riconosciuto',
    perDay: 'Andamento giornaliero',
    rules: {
      status:
        'finestra mese: il valore del mese confrontato con minimo e obiettivo; finestre intervallo e giorno: la quota delle finestre con contatti che raggiunge il livello, confrontata con la quota richiesta (di norma 1: ogni finestra). Un valore esattamente al livello lo raggiunge; una finestra senza contatti non conta.',
      credit:
        "una metrica critica sotto il minimo costa fattura × quota a rischio × la sua allocazione; le metriche chiave sono solo riportate; l'assenza di dati non costa nulla. Arrotondato una volta al centesimo.",
      bonus:
        "tutto o niente: nessun bonus se una metrica critica non raggiunge il minimo; altrimenti una regola paga la sua percentuale della fattura se le sue metriche (di norma tutte le critiche) raggiungono l'obiettivo, mai per il solo minimo.",
      total: 'netto = bonus − penali, in % della fattura e in euro',
    },
    metricRule: (m: SlaMetricEvaluation, atRisk: number) =>
      `${m.window === 'month' ? `il valore del mese contro minimo ${fmt(m, m.minimum)} e obiettivo ${fmt(m, m.target)}` : `almeno il ${m.requiredShare * 100} % ${m.window === 'day' ? 'dei giorni' : 'degli intervalli'} con contatti al minimo ${fmt(m, m.minimum)} (obiettivo ${fmt(m, m.target)})`}; ${m.kind === 'critical' ? `sotto il minimo: ${atRisk} % × ${m.allocationPercent} % della fattura` : 'metrica chiave: nessuna penale'}`,
    definitions: 'Definizioni usate',
    noData: 'nessun contatto nel mese',
    of: 'su',
    generated: 'Generato il',
    statuses: {
      below_minimum: 'sotto il minimo',
      between: 'tra minimo e obiettivo',
      at_target: 'obiettivo raggiunto',
      no_data: 'nessun dato',
    },
    kinds: { critical: 'critica', key: 'chiave' },
    windows: { interval: 'intervallo', day: 'giorno', month: 'mese' },
  },
  en: {
    title: 'SLA report',
    month: 'Month',
    contract: 'Contract',
    version: 'version',
    from: 'in effect from',
    atRisk: 'Share of the invoice at risk',
    invoice: 'Invoice',
    metric: 'Metric',
    kind: 'Kind',
    window: 'Window',
    value: 'Value',
    minimum: 'Minimum',
    target: 'Target',
    status: 'Status',
    days: 'Days met',
    intervals: 'Intervals met',
    allocation: 'Allocation',
    credit: 'Credit',
    bonus: 'Bonus',
    total: 'Total',
    net: 'Net',
    earned: 'earned',
    notEarned: 'not earned',
    perDay: 'Trend per day',
    rules: {
      status:
        'month window: the month figure against minimum and target; interval and day windows: the share of the windows with contacts that met the level, against the required share (default 1: every window). A value exactly at a level meets it; a window without contacts does not count.',
      credit:
        'a critical metric below its minimum costs invoice × at-risk share × its allocation; key metrics are reported only; no data costs nothing. Rounded once to the cent.',
      bonus:
        'all or nothing: no bonus unless every critical metric reached its minimum; then a rule pays its percentage of the invoice when its metrics (default every critical metric) are at target, never for the minimum alone.',
      total: 'net = bonus − credits, as % of the invoice and in euros',
    },
    metricRule: (m: SlaMetricEvaluation, atRisk: number) =>
      `${m.window === 'month' ? `the month figure against minimum ${fmt(m, m.minimum)} and target ${fmt(m, m.target)}` : `at least ${m.requiredShare * 100} % of the ${m.window === 'day' ? 'days' : 'intervals'} with contacts at the minimum ${fmt(m, m.minimum)} (target ${fmt(m, m.target)})`}; ${m.kind === 'critical' ? `below minimum: ${atRisk} % × ${m.allocationPercent} % of the invoice` : 'key metric: no credit'}`,
    definitions: 'Definitions used',
    noData: 'no contact in the month',
    of: 'of',
    generated: 'Generated on',
    statuses: {
      below_minimum: 'below minimum',
      between: 'between minimum and target',
      at_target: 'at target',
      no_data: 'no data',
    },
    kinds: { critical: 'critical', key: 'key' },
    windows: { interval: 'interval', day: 'day', month: 'month' },
  },
} as const;

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const euros = (cents: number | null, lang: ReportLanguage) =>
  cents === null ? '–' : `${formatCents(cents).replace('.', lang === 'it' ? ',' : '.')} €`;

/** A bar per day with data, the minimum (red) and target (green) as lines; inline SVG. */
function chart(
  metric: SlaMetricEvaluation,
  series: SlaSeries | undefined,
  days: number,
  empty: string,
): string {
  const points = series?.points.filter((p) => p.value !== null) ?? [];
  if (points.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const width = 640;
  const height = 140;
  const values = points.map((p) => p.value!);
  const top = Math.max(...values, metric.minimum, metric.target) * 1.1 || 1;
  const y = (v: number) => height - 16 - (v / top) * (height - 24);
  const slot = (width - 40) / Math.max(days, 1);
  const bars = points
    .map((p) => {
      const day = Number(p.label.slice(8, 10));
      const x = 36 + (day - 1) * slot;
      const fill = p.status === 'below_minimum' ? '#c0392b' : p.status === 'between' ? '#e0a800' : '#2e8b57';
      return `<rect x="${x.toFixed(1)}" y="${y(p.value!).toFixed(1)}" width="${Math.max(slot - 2, 1).toFixed(1)}" height="${(height - 16 - y(p.value!)).toFixed(1)}" fill="${fill}"><title>${escapeHtml(p.label)}: ${escapeHtml(formatLevel(metric, p.value))}</title></rect>`;
    })
    .join('');
  const line = (v: number, color: string, label: string) =>
    `<line x1="34" x2="${width}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${color}" stroke-dasharray="4 3"/><text x="0" y="${(y(v) + 4).toFixed(1)}" font-size="9" fill="${color}">${escapeHtml(label)}</text>`;
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img">${bars}${line(metric.minimum, '#c0392b', formatLevel(metric, metric.minimum))}${line(metric.target, '#2e8b57', formatLevel(metric, metric.target))}<line x1="34" x2="${width}" y1="${height - 16}" y2="${height - 16}" stroke="#999"/><text x="36" y="${height - 3}" font-size="9">1</text><text x="${width - 14}" y="${height - 3}" font-size="9">${days}</text></svg>`;
}

export function renderSlaReportHtml(options: {
  report: SlaEvaluationReport;
  trend?: SlaSeries[];
  organizationName: string;
  lang: ReportLanguage;
  generatedAt?: Date;
}): string {
  const { report, lang } = options;
  const t = TEXT[lang];
  const contract = report.contract;
  const share = (met: number, withData: number, windows: number) =>
    withData === 0 ? '–' : `${met}/${withData} (${t.of} ${windows})`;
  const rows = report.metrics
    .map(
      (m) => `<tr class="${m.status}">
  <td><strong>${escapeHtml(m.id)}</strong><br><span class="muted">${escapeHtml(m.kpi)}</span></td>
  <td>${t.kinds[m.kind]}</td><td>${t.windows[m.window]}</td>
  <td class="num">${escapeHtml(formatLevel(m, m.value))}</td><td class="num">${escapeHtml(formatLevel(m, m.minimum))}</td><td class="num">${escapeHtml(formatLevel(m, m.target))}</td>
  <td><span class="badge">${t.statuses[m.status]}</span></td>
  <td class="num">${share(m.days.metMinimum, m.days.withData, m.days.windows)}</td>
  <td class="num">${share(m.intervals.metMinimum, m.intervals.withData, m.intervals.windows)}</td>
  <td class="num">${m.kind === 'critical' ? `${m.allocationPercent} %` : '–'}</td>
  <td class="num">${m.creditPercent} %<br>${euros(m.creditCents, lang)}</td>
</tr>`,
    )
    .join('\n');
  const bonuses = report.bonuses
    .map(
      (b) =>
        `<tr><td>${t.bonus} ${escapeHtml(b.id)} (${b.percentOfInvoice} %)</td><td>${b.earned ? t.earned : t.notEarned}: ${escapeHtml(b.reason)}</td><td class="num">${euros(b.bonusCents, lang)}</td></tr>`,
    )
    .join('');
  const days = report.metrics[0]?.days.windows ?? 31;
  const charts = report.metrics
    .map(
      (m) =>
        `<section class="metric"><h3>${escapeHtml(m.id)} — ${t.perDay}</h3>${chart(
          m,
          options.trend?.find((s) => s.metricId === m.id),
          days,
          t.noData,
        )}</section>`,
    )
    .join('\n');
  const definitions = report.metrics
    .map((m) => {
      const parameters = Object.entries(m.definition.figure.parameters ?? {})
        .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`)
        .join(', ');
      return `<li><strong>${escapeHtml(m.id)}</strong>: ${escapeHtml(m.definition.figure.formula)}${parameters ? ` (${escapeHtml(parameters)})` : ''}; ${escapeHtml(t.metricRule(m, contract.terms.atRiskPercent))}</li>`;
    })
    .join('');
  const rules = Object.entries(t.rules)
    .map(([k, v]) => `<li><strong>${escapeHtml(k)}</strong>: ${escapeHtml(v)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`${t.title} ${options.organizationName} ${report.period.month}`)}</title>
<style>
  body { font: 11pt/1.4 system-ui, "DejaVu Sans", Arial, sans-serif; color: #222; margin: 2em; }
  h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 13pt; margin-top: 1.5em; } h3 { font-size: 11pt; margin: .8em 0 .2em; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
  th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
  th { background: #f2f2f2; } td.num { text-align: right; white-space: nowrap; }
  .muted, .empty { color: #777; } .badge { padding: 1px 6px; border-radius: 8px; background: #eee; white-space: nowrap; }
  tr.below_minimum .badge { background: #f5c6c0; } tr.between .badge { background: #fbe7a6; } tr.at_target .badge { background: #c6ebd3; }
  .totals td { font-weight: 600; } .chart { max-width: 640px; display: block; }
  .metric { break-inside: avoid; } footer { margin-top: 2em; font-size: 8.5pt; color: #777; }
  @page { size: A4; margin: 14mm; }
  @media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${t.title} — ${escapeHtml(options.organizationName)}</h1>
<p>${t.month}: <strong>${escapeHtml(report.period.month)}</strong> (${escapeHtml(report.period.timeZone)}) ·
${t.contract}: <strong>${escapeHtml(contract.name)}</strong>, ${t.version} ${contract.version} ${t.from} ${escapeHtml(contract.effectiveFrom)} ·
${t.atRisk}: ${contract.terms.atRiskPercent} %${report.invoiceCents === null ? '' : ` · ${t.invoice}: ${euros(report.invoiceCents, lang)}`}</p>
<table>
<thead><tr><th>${t.metric}</th><th>${t.kind}</th><th>${t.window}</th><th>${t.value}</th><th>${t.minimum}</th><th>${t.target}</th><th>${t.status}</th><th>${t.days}</th><th>${t.intervals}</th><th>${t.allocation}</th><th>${t.credit}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>${t.total}</h2>
<table class="totals">
<tr><td>${t.credit}</td><td>${report.creditPercent} %</td><td class="num">${euros(report.creditCents, lang)}</td></tr>
${bonuses}
<tr><td>${t.net}</td><td>${report.netPercent} %</td><td class="num">${euros(report.netCents, lang)}</td></tr>
</table>
<h2>${t.perDay}</h2>
${charts}
<h2>${t.definitions}</h2>
<ul>${definitions}${rules}</ul>
<footer>${t.generated} ${escapeHtml((options.generatedAt ?? new Date()).toISOString())} · Centralino</footer>
</body>
</html>
`;
}

/** Prints the HTML to PDF with headless Chromium; SLA_PDF_UNAVAILABLE (503) when there is none. */
export async function renderSlaReportPdf(options: {
  html: string;
  chromiumPath?: string | undefined;
}): Promise<Buffer> {
  const chromium = options.chromiumPath || DEFAULT_CHROMIUM_PATH;
  const dir = await mkdtemp(join(tmpdir(), 'centralino-sla-'));
  try {
    const htmlFile = join(dir, 'report.html');
    const pdfFile = join(dir, 'report.pdf');
    await writeFile(htmlFile, options.html);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-pdf-header-footer',
          `--user-data-dir=${join(dir, 'profile')}`,
          `--print-to-pdf=${pdfFile}`,
          `file://${htmlFile}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), PDF_TIMEOUT_MS);
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          error.code === 'ENOENT' || error.code === 'EACCES'
            ? slaErrors.pdfUnavailable(`no Chromium at ${chromium}`)
            : error,
        );
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else
          reject(
            slaErrors.pdfUnavailable(
              `Chromium exited with ${signal ?? code}: ${stderr.trim().split('\n').pop() ?? ''}`,
            ),
          );
      });
    });
    try {
      return await readFile(pdfFile);
    } catch {
      throw slaErrors.pdfUnavailable('Chromium wrote no PDF');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
