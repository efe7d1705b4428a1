// Request validation. Bodies are validated strictly: no type coercion (a
// number sent as "5" is an error) and unknown properties rejected rather than
// silently dropped. Path, query and headers arrive as text and are coerced.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export function registerValidation(app: FastifyInstance) {
  const base: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
  const body = addFormats(new Ajv({ ...base, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}
