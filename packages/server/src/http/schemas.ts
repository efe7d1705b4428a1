// Schemas shared by many routes.
import { Type } from 'typebox';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' },
);

const problemRef = Type.Ref('Problem');

/** The error answers every authenticated route can give, for the OpenAPI document. */
export const ProblemResponses = {
  400: problemRef,
  401: problemRef,
  403: problemRef,
  404: problemRef,
};

export const Uuid = Type.String({ format: 'uuid' });
export const OrgParams = Type.Object({ orgId: Uuid }, { additionalProperties: false });
