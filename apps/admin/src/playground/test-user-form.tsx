import { type ReactNode, useState } from 'react';
import type { PlaygroundUser } from '../api/types.ts';
import { submitHandler } from '../components/submit-handler.ts';

/** Who the playground speaks as: a Telegram id, a first name and an optional username. */
export function TestUserForm(props: {
  user: PlaygroundUser;
  onChange: (user: PlaygroundUser) => void;
}): ReactNode {
  const [id, setId] = useState(String(props.user.id));
  const [firstName, setFirstName] = useState(props.user.firstName);
  const [username, setUsername] = useState(props.user.username ?? '');
  const valid = /^\d{1,15}$/.test(id) && firstName.trim() !== '';
  const apply = () => {
    if (!valid) return;
    const name = username.trim();
    props.onChange({
      id: Number(id),
      firstName: firstName.trim(),
      ...(name ? { username: name } : {}),
    });
  };
  return (
    <form className="row filters" onSubmit={submitHandler(() => apply())}>
      <label className="field narrow">
        <span>Telegram id</span>
        <input value={id} onChange={(e) => setId(e.target.value)} data-testid="test-user-id" />
      </label>
      <label className="field">
        <span>First name</span>
        <input
          value={firstName}
          onChange={(e) => setFirstName(e.target.value)}
          data-testid="test-user-name"
        />
      </label>
      <label className="field">
        <span>Username</span>
        <input value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <button type="submit" disabled={!valid} data-testid="test-user-apply">
        Chat as this user
      </button>
    </form>
  );
}
