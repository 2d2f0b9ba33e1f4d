import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../../shared/domain/errors';
import { toProblem } from '../../shared/http/problem';
import { ifMatch, parseBody, parseQuery } from '../../shared/http/request';

const ev = (body?: string, headers: Record<string, string> = {}, extra: Partial<APIGatewayProxyEventV2> = {}) =>
  ({ body, headers: { 'content-type': 'application/json', ...headers }, isBase64Encoded: false, ...extra }) as APIGatewayProxyEventV2;
const Schema = z.strictObject({ name: z.string().min(1), age: z.number().int().optional() });
const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return toProblem(e);
  }
  throw new Error('expected a throw');
};

describe('request parsing', () => {
  it('accepts a valid body, including base64-encoded ones', () => {
    expect(parseBody(ev('{"name":"x"}'), Schema)).toEqual({ name: 'x' });
    expect(parseBody(ev(Buffer.from('{"name":"y"}').toString('base64'), {}, { isBase64Encoded: true }), Schema)).toEqual({ name: 'y' });
  });
  it('turns each kind of bad body into a 4xx problem with field details', () => {
    expect(err(() => parseBody(ev('{"name":'), Schema))).toMatchObject({ status: 400, errors: [{ path: '(body)', code: 'invalid_json' }] });
    expect(err(() => parseBody(ev('"str"'), Schema))).toMatchObject({ status: 400 });
    expect(err(() => parseBody(ev('{"name":"x","evil":1}'), Schema))).toMatchObject({ status: 400, errors: [{ code: 'unknown_field' }] });
    expect(err(() => parseBody(ev('{"name":"x","age":"3"}'), Schema))).toMatchObject({ status: 400, errors: [{ path: 'age' }] });
    expect(err(() => parseBody(ev(JSON.stringify({ name: 'x'.repeat(65 * 1024) })), Schema))).toMatchObject({ status: 413 });
    expect(err(() => parseBody(ev('name=x', { 'content-type': 'text/plain' }), Schema))).toMatchObject({ status: 415 });
    expect(err(() => parseBody(ev(undefined), Schema))).toMatchObject({ status: 400 });
  });
  it('treats an optional empty body as {}', () => {
    expect(parseBody(ev(undefined), z.strictObject({ reason: z.string().optional() }), true)).toEqual({});
  });
  it('prefixes query issues with query.', () => {
    expect(err(() => parseQuery({ queryStringParameters: { limit: 'x' } } as unknown as APIGatewayProxyEventV2, z.strictObject({ limit: z.coerce.number() })))).toMatchObject({
      errors: [{ path: 'query.limit' }],
    });
  });
  it('reads If-Match in its common spellings and insists when required', () => {
    expect(ifMatch(ev(undefined, { 'if-match': '"7"' }), true)).toBe(7);
    expect(ifMatch(ev(undefined, { 'if-match': 'W/"7"' }), true)).toBe(7);
    expect(ifMatch(ev(undefined, { 'if-match': '7' }), true)).toBe(7);
    expect(ifMatch(ev(undefined), false)).toBeUndefined();
    expect(err(() => ifMatch(ev(undefined), true))).toMatchObject({ status: 428 });
    expect(err(() => ifMatch(ev(undefined, { 'if-match': '*' }), true))).toMatchObject({ status: 400 });
  });
});

describe('problem mapping', () => {
  it('never leaks an internal error', () => {
    const p = toProblem(new Error('ECONNREFUSED 10.0.0.1:8000 password=hunter2'));
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toMatch(/ECONNREFUSED|hunter2/);
  });
  it('keeps standard members even when extensions use the same names', () => {
    const p = toProblem(new DomainError('conflict', 'x', [], { status: 'cancelled', type: 'evil' }));
    expect(p).toMatchObject({ status: 409, type: '/problems/conflict' });
  });
});
