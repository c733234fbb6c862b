import { describe, expect, it } from 'vitest';
import { assistantReply } from './assistant-reply.ts';

describe('assistantReply (the deterministic stand-in for the model)', () => {
  it('answers from the user turns of the history', () => {
    const at = new Date(0);
    expect(assistantReply('hi', [])).toBe('You said: "hi". This is the start of our conversation.');
    expect(
      assistantReply('again', [
        { role: 'user', text: 'hello', at },
        { role: 'assistant', text: 'You said: "hello".', at },
        { role: 'user', text: 'and you?', at },
      ]),
    ).toBe('You said: "again". I remember 2 earlier messages; the first was "hello".');
  });
});
