// Errors of the SLA module and their HTTP status. Details are in English and
// Italian: the client's own staff read them (DOMAIN.md §1).
import { AppError, type ProblemField } from '../../http/errors.ts';

export const slaErrors = {
  contractInvalid: (fields: ProblemField[]) =>
    new AppError(
      'SLA_CONTRACT_INVALID',
      400,
      'The SLA contract is not valid — Il contratto SLA non è valido',
      fields,
    ),
  inputInvalid: (fields: ProblemField[]) =>
    new AppError('SLA_INPUT_INVALID', 400, 'The request is not valid — La richiesta non è valida', fields),
  periodInvalid: (detail: string) => new AppError('SLA_PERIOD_INVALID', 400, detail),
  contractNotFound: () =>
    new AppError('SLA_CONTRACT_NOT_FOUND', 404, 'No such SLA contract — Contratto SLA inesistente'),
  noContractFor: (month: string) =>
    new AppError(
      'SLA_CONTRACT_NOT_FOUND',
      404,
      `No SLA contract covers ${month} — Nessun contratto SLA copre ${month}`,
    ),
  overlap: (other: string) =>
    new AppError(
      'SLA_CONTRACT_OVERLAP',
      409,
      `The months overlap contract "${other}" — I mesi si sovrappongono al contratto "${other}"`,
    ),
  monthClosed: (month: string, current: string) =>
    new AppError(
      'SLA_MONTH_CLOSED',
      409,
      `${month} is closed (the current month is ${current}): a change takes effect from ${current} on, so a closed month's evaluation never changes — ` +
        `${month} è chiuso (il mese corrente è ${current}): una modifica vale da ${current} in poi, così la valutazione di un mese chiuso non cambia`,
    ),
  pdfUnavailable: (detail: string) =>
    new AppError(
      'SLA_PDF_UNAVAILABLE',
      503,
      `The PDF cannot be rendered: ${detail} — Il PDF non può essere generato: ${detail}. Install the Debian chromium package or set CHROMIUM_PATH; the HTML report is available.`,
    ),
};
