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
//
// Those pairs, and the response serializers, are kept for the whole process,
// not per app. The route schemas are module-level constants, and Ajv (like
// the serializer cache below) keys a compiled schema by the schema object: an
// app built after the first reuses every validator and serializer instead of
// compiling them again (~0.6 s per app on the 2-core VM; the test suites build
// about fifty). A server process builds one app, so it changes nothing there.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyServerOptions } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type HttpPart = 'body' | 'headers' | 'params' | 'querystring';

type CompileFor = (route: { schema: object; httpPart?: HttpPart | string }) => unknown;
type SerializeWith = (route: { schema: object; httpStatus?: string; contentType?: string }) => unknown;

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

function createSerializer(externalSchemas: unknown, serializerOpts: unknown): SerializeWith {
  const compile = SerializerSelector()(externalSchemas as never, serializerOpts as never) as SerializeWith;
  const compiled = new WeakMap<object, unknown>();
  return (route) => {
    let serialize = compiled.get(route.schema);
    if (serialize === undefined) {
      serialize = compile(route);
      compiled.set(route.schema, serialize);
    }
    return serialize;
  };
}

/** One per distinct set of shared schemas (and serializer options): a handful in a process. */
function cachedBy<T>(build: (...args: unknown[]) => T): (...args: unknown[]) => T {
  const built = new Map<string, T>();
  return (...args) => {
    const key = JSON.stringify(args.map((arg) => arg ?? {}));
    let value = built.get(key);
    if (value === undefined) {
      value = build(...args);
      built.set(key, value);
    }
    return value;
  };
}

const buildValidator = cachedBy((externalSchemas) => createValidator(externalSchemas));
const buildSerializer = cachedBy((externalSchemas, serializerOpts) =>
  createSerializer(externalSchemas, serializerOpts),
);

/** The schema controller of an app: validators and serializers shared with every app of the process. */
export function createSchemaController(): FastifyServerOptions['schemaController'] {
  return {
    compilersFactory: { buildValidator, buildSerializer },
  } as FastifyServerOptions['schemaController'];
}
