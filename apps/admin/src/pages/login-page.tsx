import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { adminApi } from '../api/admin-api.ts';
import type { Admin } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';
import { TextField } from '../components/fields.tsx';
import { submitHandler } from '../components/submit-handler.ts';

/** Email and password; on success the server sets the httpOnly session cookie. */
export function LoginPage(props: { onLogin: (admin: Admin) => void }): ReactNode {
  const [email, setEmail] = useState('admin@localhost');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => adminApi.login(email, password),
    onSuccess: props.onLogin,
  });
  return (
    <main className="login">
      <form className="card" onSubmit={submitHandler(() => login.mutate())}>
        <h1>hybridstate admin</h1>
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          testId="login-email"
          autoComplete="username"
          required
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          testId="login-password"
          autoComplete="current-password"
          required
        />
        <button type="submit" disabled={login.isPending} data-testid="login-submit">
          Sign in
        </button>
        <ErrorText error={login.error} testId="login-error" />
        <p className="muted">
          The first admin's password is <code>ADMIN_PASSWORD</code>, or the one the server printed
          at its first start.
        </p>
      </form>
    </main>
  );
}
