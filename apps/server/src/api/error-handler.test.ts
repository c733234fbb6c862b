import { describe, expect, it } from 'vitest';
import {
  PLATFORM_ERROR_STATUS,
  PlatformError,
  type PlatformErrorCode,
} from '../platform/platform-errors.ts';
import { describeRoute } from './admin-guard.ts';
import { errorAnswer } from './error-handler.ts';

describe('errorAnswer', () => {
  it('maps every platform code to a 4xx with its code and message', () => {
    for (const code of Object.keys(PLATFORM_ERROR_STATUS) as PlatformErrorCode[]) {
      const { status, body } = errorAnswer(new PlatformError(code, `because ${code}`));
      expect(status, code).toBe(PLATFORM_ERROR_STATUS[code]);
      expect(status >= 400 && status < 500, code).toBe(true);
      expect(body).toEqual({ error: { code, message: `because ${code}` } });
    }
  });

  it('keeps Fastify 4xx, maps database errors, and hides bugs behind a 500 without details', () => {
    const badJson = Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 });
    expect(errorAnswer(badJson)).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'Body is not valid JSON' } },
    });
    expect(
      errorAnswer(
        Object.assign(new Error('dup'), {
          code: '23505',
          detail: 'Key (command)=(quiz) already exists.',
        }),
      ).status,
    ).toBe(409);
    expect(errorAnswer(Object.assign(new Error('nul'), { code: '22P05' })).status).toBe(400);
    expect(errorAnswer(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })).status).toBe(
      503,
    );
    const bug = errorAnswer(new TypeError('x is undefined'));
    expect(bug).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: expect.not.stringContaining('undefined') } },
    });
  });
});

describe('describeRoute', () => {
  it('names admin actions after the entity and the verb', () => {
    expect(describeRoute('POST', '/api/admin/buttons')).toEqual({
      action: 'buttons.create',
      entity: 'buttons',
    });
    expect(describeRoute('PATCH', '/api/admin/tasks/:id')).toEqual({
      action: 'tasks.update',
      entity: 'tasks',
    });
    expect(describeRoute('DELETE', '/api/admin/scenarios/:id')).toEqual({
      action: 'scenarios.delete',
      entity: 'scenarios',
    });
    expect(describeRoute('POST', '/api/admin/payouts/:id/approve')).toEqual({
      action: 'payouts.approve',
      entity: 'payouts',
    });
    expect(describeRoute('PUT', '/api/admin/settings')).toEqual({
      action: 'settings.update',
      entity: 'settings',
    });
    expect(describeRoute('POST', '/api/admin/playground/send')).toEqual({
      action: 'playground.send',
      entity: 'playground',
    });
  });
});
