// Pieces every part of the OpenAPI document uses alike (the routers describe their own paths), in a file that imports
// nothing, so each router and schemas.ts can use it without an import cycle.

/** An error response: problem details (RFC 9457), application/problem+json, the Error schema. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Error' } } },
});
