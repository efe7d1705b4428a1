// What the contact center's route modules share: the Fastify instance they
// register on, the context the plugin hands them and small response schemas.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { type TRef, Type } from 'typebox';

/** The instance a `FastifyPluginAsyncTypebox` plugin receives. */
export type ContactCenterApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export type ContactCenterRouteContext = {
  /** Prefix of the per-organization routes. */
  org: string;
  /** Hands a committed configuration change to the live runtime. */
  configurationChanged: () => Promise<void>;
  /** Hands a committed disposition change to the live runtime. */
  dispositionsChanged: () => Promise<void>;
  /** The Queue schema, added once by the plugin. */
  queueRef: TRef<'Queue'>;
};

export const items = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item) });
export const conflict = { 409: Type.Ref('Problem') };
export const noContent = { 204: Type.Null() };
