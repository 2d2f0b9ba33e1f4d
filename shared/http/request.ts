/** Reading an API Gateway v2 request: body, query, path ids and If-Match, all through zod. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, validationError } from '../domain/errors';
import { zodIssues } from './problem';

export const MAX_BODY_BYTES = 64 * 1024;

export function rawBody(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES)
    throw new DomainError('payload-too-large', `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KB.`);
  return text;
}

/** Parse a JSON body with a strict schema. `optional`: an absent or empty body counts as `{}`. */
export function parseBody<T extends z.ZodType>(event: APIGatewayProxyEventV2, schema: T, optional = false): z.infer<T> {
  const text = rawBody(event);
  if (text === undefined || text.trim() === '') {
    if (optional) return schema.parse({});
    throw validationError('A JSON body is required.', [{ path: '(body)', code: 'required', message: 'send a JSON object' }]);
  }
  const type = (event.headers?.['content-type'] ?? '').toLowerCase();
  if (type && !/^application\/([a-z.+-]*\+)?json\b/.test(type))
    throw new DomainError('unsupported-media-type', `Send the body as application/json, not '${type}'.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw validationError('The body is not valid JSON.', [
      { path: '(body)', code: 'invalid_json', message: (e as Error).message.slice(0, 200) },
    ]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw validationError('The body must be a JSON object.', [{ path: '(body)', code: 'invalid_type', message: 'expected an object' }]);
  const result = schema.safeParse(data);
  if (!result.success) throw validationError('Some fields are not valid.', zodIssues(result.error));
  return result.data;
}

export function parseQuery<T extends z.ZodType>(event: APIGatewayProxyEventV2, schema: T): z.infer<T> {
  const result = schema.safeParse(event.queryStringParameters ?? {});
  if (!result.success) throw validationError('Some query parameters are not valid.', zodIssues(result.error, 'query'));
  return result.data;
}

export function pathParam<T extends z.ZodType>(event: APIGatewayProxyEventV2, name: string, schema: T): z.infer<T> {
  const raw = event.pathParameters?.[name];
  const result = schema.safeParse(raw === undefined ? undefined : decodeURIComponent(raw));
  if (!result.success)
    throw validationError(`The ${name} in the path is not valid.`, [
      { path: name, code: 'invalid_path_parameter', message: result.error.issues[0]?.message ?? 'invalid' },
    ]);
  return result.data;
}

/** `If-Match: "3"` (or W/"3", or 3). Absent: undefined, or 428 when required. */
export function ifMatch(event: APIGatewayProxyEventV2, required: boolean): number | undefined {
  const raw = event.headers?.['if-match'];
  if (raw === undefined || raw.trim() === '') {
    if (required)
      throw new DomainError('precondition-required', 'Send the ETag you read as If-Match, so no change is lost.');
    return undefined;
  }
  const m = /^\s*(?:W\/)?"?(\d{1,12})"?\s*$/.exec(raw);
  if (!m)
    throw validationError('If-Match is not a version this API issued.', [
      { path: 'If-Match', code: 'invalid_header', message: 'use the ETag header of the resource' },
    ]);
  return Number(m[1]);
}

export const etag = (version: number) => `"${version}"`;
