import type { ReactNode } from 'react';
import type { InlineButton } from '../api/types.ts';
import type { ChatEntry } from './transcript.ts';

/** One chat bubble; a bot message carries its inline buttons. */
export function ChatMessage(props: {
  entry: ChatEntry;
  onInline: (button: InlineButton) => void;
}): ReactNode {
  const { entry } = props;
  return (
    <div className={`bubble ${entry.from}`} data-testid={`chat-${entry.from}`}>
      <div className="bubble-text">{entry.text}</div>
      {entry.edited && <div className="muted">edited</div>}
      {entry.inlineKeyboard?.map((row, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: keyboard rows have no identity
        <div className="inline-row" key={r}>
          {row.map((button) => (
            <button
              type="button"
              key={`${button.text}:${button.callbackData ?? button.url ?? button.webAppUrl ?? ''}`}
              className="inline-button"
              data-testid="inline-button"
              onClick={() => props.onInline(button)}
            >
              {button.text}
              {button.url && ' ↗'}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
