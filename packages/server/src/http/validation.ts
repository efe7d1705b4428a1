// Request validation. Bodies are validated strictly: no type coercion (a
// number sent as "5" is an error) and unknown properties rejected rather than
// silently dropped. Path, query and headers arrive as text and are coerced.
//
// Installed as Fastify's validator factory (not setValidatorCompiler) so that
// it also applies inside plugins that add shared schemas of their own: each
// such context gets a compiler from this factory.
//
// Fastify asks the factory again for nearly every route (111 times for this
// API), and each Ajv instance compiles its meta-schema on creation: that alone
// made `app.ready()` take over two seconds. Contexts with the same shared
// schemas therefore share one pair of Ajv instances.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyServerOptions } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type HttpPart = 'body' | 'headers' | 'params' | 'querystring';

type CompileFor = (route: { schema: object; httpPart?: HttpPart | string }) => unknown;

function createValidator(externalSchemas: unknown): CompileFor {
  const base: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
  const body = addFormats(new Ajv({ ...base, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  for (const schema of Object.values((externalSchemas ?? {}) as Record<string, object>)) {
    body.addSchema(schema);
    text.addSchema(schema);
  }
  return ({ schema, httpPart }: { schema: object; httpPart?: HttpPart | string }) =>
    (httpPart === 'body' ? body : text).compile(schema);
}

/** The schema controller of one app: its validators live and die with it. */
export function createSchemaController(): FastifyServerOptions['schemaController'] {
  const validators = new Map<string, CompileFor>();
  const buildValidator = (externalSchemas: unknown): CompileFor => {
    const key = JSON.stringify(externalSchemas ?? {});
    let validator = validators.get(key);
    if (!validator) {
      validator = createValidator(externalSchemas);
      validators.set(key, validator);
    }
    return validator;
  };
  return { compilersFactory: { buildValidator } } as FastifyServerOptions['schemaController'];
}
