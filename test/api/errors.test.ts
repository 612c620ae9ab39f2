// The one place errors become statuses. (Requests never reach the 500 branch; it is checked here directly.)
import { describe, expect, it } from 'vitest';
import { compileTable } from '../../server/engine/compile.ts';
import { HitPolicyError, InputError, TableError } from '../../server/engine/errors.ts';
import { ApiError, toErrorResponse } from '../../server/api/errors.ts';
import { StoreError } from '../../server/store/errors.ts';
import { StepFailure } from '../../server/store/evaluation.ts';

describe('toErrorResponse', () => {
  it.each([
    [new ApiError('INVALID_REQUEST', 'x'), 400, 'INVALID_REQUEST'],
    [new InputError('bad', [{ path: '/a', message: 'm' }]), 400, 'INVALID_INPUT'],
    [new StoreError('TABLE_NOT_FOUND', 'x'), 404, 'TABLE_NOT_FOUND'],
    [new StoreError('STALE_REVISION', 'x', [], { revision: 4 }), 409, 'STALE_REVISION'],
    [new TableError([{ path: '/rules/0/when/a', message: 'm' }]), 422, 'INVALID_TABLE'],
    [new StepFailure(new HitPolicyError('HIT_UNIQUE_MULTIPLE', ['r1', 'r2']), 'a.b', 2), 422, 'HIT_POLICY_VIOLATION'],
    [Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413 }), 413, 'PAYLOAD_TOO_LARGE'],
    [Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }), 400, 'MALFORMED_JSON'],
    [Object.assign(new Error('bad charset'), { type: 'charset.unsupported', status: 415 }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('%s → %i %s', (err, status, code) => {
    const r = toErrorResponse(err);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(Array.isArray(r.body.error.details)).toBe(true);
    // Problem details (RFC 9457) around release 1's error member.
    expect(r.body).toMatchObject({ status, code, detail: r.body.error.message, type: expect.stringContaining('#problem-'), title: expect.any(String) });
  });

  it('names each per-field problem in invalidParams by its JSON pointer, as details does', () => {
    const r = toErrorResponse(new TableError([{ path: '/rules/0/when/a', message: 'is not a valid cell', column: 3 }, { path: '/inputs', message: 'is empty' }]));
    expect(r.body.invalidParams).toEqual([
      { name: '/rules/0/when/a', reason: 'is not a valid cell', column: 3 },
      { name: '/inputs', reason: 'is empty' },
    ]);
    expect(r.body.error.details).toEqual([
      { path: '/rules/0/when/a', message: 'is not a valid cell', column: 3 },
      { path: '/inputs', message: 'is empty' },
    ]);
  });

  it("carries each engine problem's code and parameters beside its English reason, so a client can word it itself", () => {
    let thrown: unknown;
    try {
      compileTable({
        id: 't.cel',
        title: 'Cel',
        inputs: [{ name: 'a', type: 'number' }],
        outputs: [{ name: 'o', type: 'number' }],
        rules: [{ id: 'r1', when: { a: '< 5 10' }, then: { o: 'A' } }],
      });
    } catch (err) {
      thrown = err;
    }
    const r = toErrorResponse(thrown);
    expect(r.body.invalidParams).toEqual([
      { name: '/rules/0/when/a', reason: "expected ',' or the end of the cell but found '10' at column 5 in \"< 5 10\"", column: 5, code: 'FEEL_EXPECTED_COMMA_OR_END', params: { found: '10' } },
      { name: '/rules/0/then/o', reason: "unknown name 'A' at column 1 in \"A\"", column: 1, code: 'FEEL_UNKNOWN_NAME', params: { name: 'A' } },
    ]);
    expect(r.body.error.details[1]).toMatchObject({ code: 'FEEL_UNKNOWN_NAME', params: { name: 'A' } });
  });

  it('one title and type per code, whatever the message', () => {
    const a = toErrorResponse(new ApiError('INVALID_REQUEST', 'one thing')).body;
    const b = toErrorResponse(new ApiError('INVALID_REQUEST', 'another thing')).body;
    expect([a.title, a.type]).toEqual([b.title, b.type]);
    expect(a.title).toBe('Invalid request');
    expect(a.detail).not.toBe(b.detail);
  });

  it('keeps extra fields (the current revision, the failing table of a chain)', () => {
    expect(toErrorResponse(new StoreError('STALE_REVISION', 'x', [], { revision: 4 })).body.error.revision).toBe(4);
    expect(toErrorResponse(new StoreError('STALE_REVISION', 'x', [], { revision: 4 })).body.revision).toBe(4);
    const chain = toErrorResponse(new StepFailure(new HitPolicyError('HIT_UNIQUE_MULTIPLE', ['r1', 'r2']), 'a.b', 2)).body.error;
    expect(chain).toMatchObject({ tableId: 'a.b', version: 2, details: [{ path: '/rules/r1' }, { path: '/rules/r2' }] });
  });

  it('an unexpected error is a 500 that reveals nothing', () => {
    const err = new TypeError("Cannot read properties of undefined (reading 'secret')");
    const r = toErrorResponse(err);
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(r.body)).not.toContain('secret');
    expect(JSON.stringify(r.body)).not.toContain('at ');
  });
});
