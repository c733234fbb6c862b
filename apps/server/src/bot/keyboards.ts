import type { InlineKeyboardButton, ReplyKeyboardMarkup } from 'grammy/types';
import type { Button } from '../services/buttons.ts';
import type { UserTask } from '../services/completion-service.ts';
import { formatMoney } from './money.ts';

/** The main keyboard: the active buttons' labels, two per row. */
export function mainKeyboard(buttons: readonly Button[]): ReplyKeyboardMarkup {
  const rows: { text: string }[][] = [];
  for (let i = 0; i < buttons.length; i += 2)
    rows.push(buttons.slice(i, i + 2).map((b) => ({ text: b.label })));
  return { keyboard: rows, resize_keyboard: true, is_persistent: true };
}

/** One inline button per task: `task:<id>` opens it. */
export function taskList(tasks: readonly UserTask[], currency: string): InlineKeyboardButton[][] {
  return tasks.map((task) => [
    {
      text: `${task.completed ? '✅' : '🎯'} ${task.title} (+${formatMoney(task.rewardMinor, currency)})`,
      callback_data: `task:${task.id}`,
    },
  ]);
}

/** The buttons under one task: open its link, then say it is done. */
export function taskActions(task: UserTask): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  if (task.type === 'link' && task.url !== null) rows.push([{ text: 'Open link', url: task.url }]);
  if (task.type !== 'quiz')
    rows.push([
      {
        text: task.type === 'manual' ? 'Submit for review' : 'Done',
        callback_data: `done:${task.id}`,
      },
    ]);
  return rows;
}
