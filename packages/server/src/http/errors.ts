// Errors as RFC 9457 problem details. Modules throw AppError with their own
// codes; this file is the one mapping from errors to HTTP answers.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

export type ProblemField = { field: string; message: string };

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: ProblemField[] | undefined;
  constructor(code: string, status: number, message: string, fields?: ProblemField[]) {
    super(message);
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemType(code: string): string {
  return `urn:centralino:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  fields?: ProblemField[],
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: problemType(code),
      title: TITLES[status] ?? 'Error',
      status,
      code,
      detail,
      instance: reply.request.url,
      ...(fields ? { errors: fields } : {}),
    });
}

// Framework errors that are the client's fault, by Fastify error code.
const CLIENT_ERRORS: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'BODY_INVALID' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BODY_INVALID' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BODY_INVALID' },
};

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return sendProblem(reply, error.status, error.code, error.message, error.fields);
    }
    if (error.validation) {
      const fields = error.validation.map((issue) => ({
        field: validationField(error.validationContext, issue),
        message: issue.message ?? 'is invalid',
      }));
      return sendProblem(reply, 400, 'VALIDATION_FAILED', 'The request does not match the schema', fields);
    }
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    if (known) return sendProblem(reply, known.status, known.code, error.message);
    if (error.statusCode === 429) return sendProblem(reply, 429, 'RATE_LIMITED', error.message);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, error.statusCode, 'BAD_REQUEST', error.message);
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, 500, 'INTERNAL_ERROR', 'An unexpected error occurred; it has been logged');
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}

type ValidationIssue = { instancePath?: string; keyword?: string; params?: Record<string, unknown> };

function validationField(context: string | undefined, issue: ValidationIssue): string {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const extra =
    (issue.params?.additionalProperty as string | undefined) ??
    (issue.params?.missingProperty as string | undefined);
  const field = [path, extra].filter(Boolean).join('.');
  return [context, field].filter(Boolean).join('.') || (context ?? 'request');
}
