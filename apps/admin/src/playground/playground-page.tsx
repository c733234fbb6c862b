import { type ReactNode, useState } from 'react';
import type { InlineButton, PlaygroundUser } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';
import { submitHandler } from '../components/submit-handler.ts';
import { ChatMessage } from './chat-message.tsx';
import { MiniAppLauncher, useMiniAppLauncher } from './mini-app-launcher.tsx';
import { TestUserForm } from './test-user-form.tsx';
import { usePlayground } from './use-playground.ts';

const DEFAULT_USER: PlaygroundUser = {
  id: 100_000_001,
  firstName: 'Playground',
  username: 'playground_user',
};

/**
 * Chat with the real bot as a test user, without Telegram: the server feeds updates to the bot
 * and returns its replies, reply keyboard and inline buttons.
 */
export function PlaygroundPage(): ReactNode {
  const [user, setUser] = useState(DEFAULT_USER);
  const [text, setText] = useState('');
  const { entries, keyboard, send, clear } = usePlayground(user);
  const launcher = useMiniAppLauncher(user);
  const sendText = (value: string) => {
    if (value.trim() !== '') send.mutate({ text: value });
  };
  const changeUser = (next: PlaygroundUser) => {
    setUser(next);
    clear();
  };
  const onInline = (button: InlineButton) => {
    if (button.callbackData !== undefined)
      send.mutate({ callbackData: button.callbackData, label: button.text });
    else if (button.webAppUrl !== undefined) launcher.mutate();
    else if (button.url !== undefined) window.open(button.url, '_blank', 'noreferrer');
  };
  return (
    <section className="playground">
      <h2>Bot playground</h2>
      <TestUserForm user={user} onChange={changeUser} />
      <MiniAppLauncher launcher={launcher} />
      <div className="chat" data-testid="chat">
        {entries.length === 0 && <p className="muted">Send /start to begin.</p>}
        {entries.map((entry) => (
          <ChatMessage key={entry.id} entry={entry} onInline={onInline} />
        ))}
        {send.isPending && <p className="muted">the bot is typing…</p>}
      </div>
      <ErrorText error={send.error} />
      <form
        className="composer"
        onSubmit={submitHandler(() => {
          sendText(text);
          setText('');
        })}
      >
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Message"
          data-testid="chat-input"
        />
        <button type="submit" data-testid="chat-send">
          Send
        </button>
        <button type="button" onClick={() => sendText('/start')} data-testid="chat-start">
          /start
        </button>
      </form>
      {keyboard && (
        <div className="reply-keyboard" data-testid="reply-keyboard">
          {keyboard.map((row, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: keyboard rows have no identity
            <div className="keyboard-row" key={r}>
              {row.map((label) => (
                <button
                  type="button"
                  key={label}
                  data-testid="reply-button"
                  onClick={() => sendText(label)}
                >
                  {label}
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
