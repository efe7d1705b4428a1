// Request validation. Bodies are validated strictly: no type coercion (a
// number sent as "5" is an error) and unknown properties rejected rather than
// silently dropped. Path, query and headers arrive as text and are coerced.
//
// Installed as Fastify's validator factory (not setValidatorCompiler) so that
// it also applies inside plugins that add shared schemas of their own: each
// such context gets a fresh compiler from this factory.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyServerOptions } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type HttpPart = 'body' | 'headers' | 'params' | 'querystring';

function buildValidator(externalSchemas: unknown) {
  const base: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
  const body = addFormats(new Ajv({ ...base, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  for (const schema of Object.values(externalSchemas as Record<string, object>)) {
    body.addSchema(schema);
    text.addSchema(schema);
  }
  return ({ schema, httpPart }: { schema: object; httpPart?: HttpPart | string }) =>
    (httpPart === 'body' ? body : text).compile(schema);
}

export const schemaController = {
  compilersFactory: { buildValidator },
} as FastifyServerOptions['schemaController'];
