import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { adminApi } from '../api/admin-api.ts';
import type { PlaygroundUser } from '../api/types.ts';
import { type ChatEntry, lastReplyKeyboard, replyEntries, userEntry } from './transcript.ts';

/** What the test user sends: a text message or the data of a pressed inline button. */
export type PlaygroundInput = { text: string } | { callbackData: string; label: string };

/**
 * The playground's conversation: sends updates as `user` through the real bot
 * (`POST /api/admin/playground/send`) and keeps the transcript and the current reply keyboard.
 */
export function usePlayground(user: PlaygroundUser) {
  const [entries, setEntries] = useState<ChatEntry[]>([]);
  const [keyboard, setKeyboard] = useState<string[][] | null>(null);
  const send = useMutation({
    mutationFn: (input: PlaygroundInput) =>
      adminApi.playground.send({
        from: user,
        ...('text' in input ? { text: input.text } : { callbackData: input.callbackData }),
      }),
    onMutate: (input) => {
      setEntries((list) => [...list, userEntry('text' in input ? input.text : `[${input.label}]`)]);
    },
    onSuccess: ({ replies }) => {
      setEntries((list) => [...list, ...replyEntries(replies)]);
      setKeyboard((current) => lastReplyKeyboard(replies, current));
    },
  });
  const clear = () => {
    setEntries([]);
    setKeyboard(null);
  };
  return { entries, keyboard, send, clear };
}
