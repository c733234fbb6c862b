import type { Step } from '../../api/types.ts';

/** Steps parsed from the editor, or every problem found, one message per line. */
export type StepsResult = { ok: true; steps: Step[] } | { ok: false; errors: string[] };

function checkStep(step: unknown, index: number, count: number): string[] {
  const at = `Step ${index}`;
  if (typeof step !== 'object' || step === null) return [`${at}: must be an object.`];
  const s = step as Record<string, unknown>;
  const text = typeof s.text === 'string' && s.text.trim() !== '';
  switch (s.type) {
    case 'text':
      return text ? [] : [`${at}: a "text" step needs a non-empty "text".`];
    case 'ask': {
      const errors = text ? [] : [`${at}: an "ask" step needs the question in "text".`];
      if (typeof s.field !== 'string' || !/^[a-z][a-z0-9_]*$/i.test(s.field))
        errors.push(`${at}: "field" names where the answer goes, e.g. "phone" or "email".`);
      if (s.store !== 'session' && s.store !== 'profile')
        errors.push(`${at}: "store" is "session" or "profile".`);
      return errors;
    }
    case 'goto':
      return Number.isInteger(s.step) && (s.step as number) >= 0 && (s.step as number) < count
        ? []
        : [`${at}: "step" must be the index (0–${count - 1}) of another step.`];
    default:
      return [`${at}: "type" is "text", "ask" or "goto".`];
  }
}

/**
 * Check the JSON of a scenario's steps before it is sent (the server validates again and its
 * message is shown too).
 */
export function validateSteps(json: string): StepsResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, errors: [`Not valid JSON: ${(error as Error).message}`] };
  }
  if (!Array.isArray(value)) return { ok: false, errors: ['Steps must be a JSON array.'] };
  if (value.length === 0) return { ok: false, errors: ['A scenario needs at least one step.'] };
  const errors = value.flatMap((step, i) => checkStep(step, i, value.length));
  return errors.length === 0 ? { ok: true, steps: value as Step[] } : { ok: false, errors };
}

/** One line describing a step, for the preview. */
export function describeStep(step: Step): string {
  if (step.type === 'text') return `say “${step.text}”`;
  if (step.type === 'ask') return `ask “${step.text}” → ${step.store}.${step.field}`;
  return `go to step ${step.step}`;
}
