import { describe, expect, it } from 'vitest';
import { describeStep, validateSteps } from './steps-validation.ts';

describe('validateSteps', () => {
  it('accepts the three step types', () => {
    const json = JSON.stringify([
      { type: 'text', text: 'Hi' },
      { type: 'ask', text: 'Phone?', field: 'phone', store: 'profile' },
      { type: 'goto', step: 0 },
    ]);
    const result = validateSteps(json);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.steps.map(describeStep)).toEqual([
        'say “Hi”',
        'ask “Phone?” → profile.phone',
        'go to step 0',
      ]);
  });

  it('says what is wrong with each step', () => {
    const result = validateSteps(
      JSON.stringify([
        { type: 'text', text: '' },
        { type: 'ask', text: 'Email?', field: 'e mail', store: 'db' },
        { type: 'goto', step: 5 },
        { type: 'jump' },
      ]),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'Step 0: a "text" step needs a non-empty "text".',
        'Step 1: "field" names where the answer goes, e.g. "phone" or "email".',
        'Step 1: "store" is "session" or "profile".',
        'Step 2: "step" must be the index (0–3) of another step.',
        'Step 3: "type" is "text", "ask" or "goto".',
      ],
    });
  });

  it('refuses malformed JSON, non-arrays and empty scenarios', () => {
    expect(validateSteps('[{')).toMatchObject({ ok: false });
    expect(validateSteps('{}')).toEqual({ ok: false, errors: ['Steps must be a JSON array.'] });
    expect(validateSteps('[]')).toEqual({
      ok: false,
      errors: ['A scenario needs at least one step.'],
    });
  });
});
