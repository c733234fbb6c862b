import type { ChatTurn } from './assistant-keyspace.ts';

/**
 * The "AI" of seed 003, as a deterministic stand-in that shows the memory at work: it answers
 * from the history alone, without any network call. Swap in a model call here.
 *
 * @example
 * ```ts
 * assistantReply('How are you?', []); // 'You said: "How are you?". This is the start of our conversation.'
 * ```
 */
export function assistantReply(text: string, history: readonly ChatTurn[]): string {
  const earlier = history.filter((turn) => turn.role === 'user');
  const said = `You said: "${text}".`;
  if (earlier.length === 0) return `${said} This is the start of our conversation.`;
  const first = earlier[0]!.text;
  const plural = earlier.length === 1 ? 'message' : 'messages';
  return `${said} I remember ${earlier.length} earlier ${plural}; the first was "${first}".`;
}
