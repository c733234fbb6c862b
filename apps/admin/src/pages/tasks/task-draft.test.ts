import { describe, expect, it } from 'vitest';
import { draftOf, toBody } from './task-draft.ts';

describe('task draft', () => {
  it('sends the reward in integer minor units and empty optional fields as null', () => {
    const draft = { ...draftOf(undefined, 'USD'), title: 'Visit', reward: '1.5' };
    expect(toBody(draft, 'USD')).toEqual({
      title: 'Visit',
      description: '',
      rewardMinor: 150,
      type: 'link',
      url: null,
      question: null,
      answer: null,
      maxCompletions: null,
      active: true,
    });
  });

  it('says what to fix instead of sending a bad reward or limit', () => {
    const draft = draftOf(undefined, 'USD');
    expect(toBody({ ...draft, reward: '1.234' }, 'USD')).toBe(
      'Reward: USD has 2 decimal places at most.',
    );
    expect(toBody({ ...draft, reward: '1', maxCompletions: '-3' }, 'USD')).toBe(
      'Limit: a whole number, or empty for no limit.',
    );
  });

  it('shows a stored task with its reward in currency units', () => {
    const task = {
      id: 1,
      title: 'Quiz',
      description: 'd',
      rewardMinor: 75,
      type: 'quiz' as const,
      url: null,
      question: 'Q?',
      answer: 'A',
      maxCompletions: 10,
      completions: 2,
      active: false,
      updatedAt: '2026-01-01T00:00:00Z',
    };
    expect(draftOf(task, 'USD')).toMatchObject({
      reward: '0.75',
      maxCompletions: '10',
      answer: 'A',
    });
  });
});
