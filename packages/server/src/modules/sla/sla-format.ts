// An evaluation as rows of text, shared by the CLI (text and CSV) and the
// monthly report: values in the KPI's unit (ratios as percentages, waits in
// seconds), money in euros with two decimals.
import type { SlaEvaluationReport, SlaMetricEvaluation } from './sla-evaluation.service.ts';

export function formatLevel(metric: Pick<SlaMetricEvaluation, 'figure'>, value: number | null): string {
  if (value === null) return '-';
  const unit = metric.figure.definition.unit;
  if (unit === 'ratio') return `${Number((value * 100).toFixed(2))}%`;
  if (unit === 'seconds') return `${Number(value.toFixed(1))} s`;
  return String(Number(value.toFixed(2)));
}

export function formatCents(cents: number | null): string {
  if (cents === null) return '-';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const share = (met: number, withData: number) => (withData === 0 ? '-' : `${met}/${withData}`);

export const METRIC_COLUMNS = [
  'Metric',
  'KPI',
  'Window',
  'Kind',
  'Value',
  'Minimum',
  'Target',
  'Status',
  'Days met',
  'Intervals met',
  'Allocation %',
  'Credit %',
  'Credit €',
] as const;

export function metricRows(report: SlaEvaluationReport): string[][] {
  return report.metrics.map((m) => [
    m.id,
    m.kpi,
    m.window,
    m.kind,
    formatLevel(m, m.value),
    formatLevel(m, m.minimum),
    formatLevel(m, m.target),
    m.status,
    `${share(m.days.metMinimum, m.days.withData)} of ${m.days.windows}`,
    `${share(m.intervals.metMinimum, m.intervals.withData)} of ${m.intervals.windows}`,
    m.kind === 'critical' ? String(m.allocationPercent) : '-',
    String(m.creditPercent),
    formatCents(m.creditCents),
  ]);
}

export function totalLines(report: SlaEvaluationReport): string[] {
  const euros = (cents: number | null) => (cents === null ? '' : ` = ${formatCents(cents)} €`);
  return [
    ...report.bonuses.map(
      (b) =>
        `bonus ${b.id} (${b.percentOfInvoice} %): ${b.earned ? 'earned' : 'not earned'}${euros(b.bonusCents)} — ${b.reason}`,
    ),
    `credit ${report.creditPercent} %${euros(report.creditCents)}; bonus ${report.bonusPercent} %${euros(report.bonusCents)}; net ${report.netPercent} %${euros(report.netCents)}${report.invoiceCents === null ? '' : ` of an invoice of ${formatCents(report.invoiceCents)} €`}`,
  ];
}

function csvCell(text: string): string {
  return /[",\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The metrics and the totals as CSV (comma, UTF-8), one metric per row. */
export function evaluationCsv(report: SlaEvaluationReport): string {
  const lines = [
    [...METRIC_COLUMNS, 'Formula'].map(csvCell).join(','),
    ...metricRows(report).map((row, i) =>
      [...row, report.metrics[i]!.definition.figure.formula].map(csvCell).join(','),
    ),
    [
      'total',
      '',
      '',
      '',
      '',
      '',
      '',
      report.minimumsMet ? 'minimums met' : 'minimums missed',
      '',
      '',
      '',
      String(report.creditPercent),
      formatCents(report.creditCents),
      '',
    ]
      .map(csvCell)
      .join(','),
    ...report.bonuses.map((b) =>
      [
        `bonus ${b.id}`,
        '',
        '',
        '',
        '',
        '',
        '',
        b.earned ? 'earned' : 'not earned',
        '',
        '',
        '',
        String(b.earned ? b.percentOfInvoice : 0),
        formatCents(b.bonusCents),
        b.reason,
      ]
        .map(csvCell)
        .join(','),
    ),
    [
      'net',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      String(report.netPercent),
      formatCents(report.netCents),
      '',
    ]
      .map(csvCell)
      .join(','),
  ];
  return `${lines.join('\n')}\n`;
}
