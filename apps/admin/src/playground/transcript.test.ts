import { describe, expect, it } from 'vitest';
import { lastReplyKeyboard, replyEntries } from './transcript.ts';

describe('playground transcript', () => {
  it('turns replies into bubbles: messages, edits with their inline buttons, callback notices', () => {
    const entries = replyEntries([
      { method: 'sendMessage', text: 'Welcome', replyKeyboard: [['Tasks', 'Balance']] },
      { method: 'answerCallbackQuery' },
      { method: 'answerCallbackQuery', text: 'Done!' },
      {
        method: 'editMessageText',
        text: 'Quiz',
        inlineKeyboard: [[{ text: 'A', callbackData: 'a' }]],
      },
    ]);
    expect(entries.map(({ from, text, edited }) => ({ from, text, edited }))).toEqual([
      { from: 'bot', text: 'Welcome', edited: undefined },
      { from: 'notice', text: 'Done!', edited: undefined },
      { from: 'bot', text: 'Quiz', edited: true },
    ]);
    expect(entries[2]?.inlineKeyboard).toEqual([[{ text: 'A', callbackData: 'a' }]]);
  });

  it('keeps the reply keyboard until the bot sends another one', () => {
    expect(lastReplyKeyboard([{ method: 'sendMessage', text: 'x' }], [['Old']])).toEqual([['Old']]);
    expect(
      lastReplyKeyboard(
        [
          { method: 'sendMessage', replyKeyboard: [['A']] },
          { method: 'sendMessage', replyKeyboard: [['B']] },
        ],
        null,
      ),
    ).toEqual([['B']]);
  });
});
