import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { formatMinor, parseAmount } from '../../../ui-shared/src/money.ts';
import { useAppApi } from '../api/app-api-context.tsx';
import type { Me } from '../api/types.ts';
import { QUERY_KEYS } from '../live/app-queries.ts';
import { ErrorText } from './error-text.tsx';
import { submitHandler } from './submit-handler.ts';

const METHODS = ['card', 'paypal', 'crypto'] as const;

/** A key per intended request: a retried or double-clicked submit is credited once. */
function newKey(): string {
  return crypto.randomUUID();
}

/**
 * Request a withdrawal: the amount is typed in currency units and sent as integer minor units;
 * the server's 422 messages (below the minimum, not enough balance) are shown as they are.
 */
export function PayoutForm(props: { me: Me }): ReactNode {
  const { currency, minPayoutMinor } = props.me.settings;
  const api = useAppApi();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<string>(METHODS[0]);
  const [details, setDetails] = useState('');
  const [key, setKey] = useState(newKey);
  const [problem, setProblem] = useState<string | null>(null);
  const request = useMutation({
    mutationFn: (amountMinor: number) => api.requestPayout({ amountMinor, method, details }, key),
    onSuccess: async () => {
      setAmount('');
      setDetails('');
      setKey(newKey());
      await queryClient.invalidateQueries({ queryKey: QUERY_KEYS.payouts });
      await queryClient.invalidateQueries({ queryKey: QUERY_KEYS.me });
    },
  });
  const submit = () => {
    const parsed = parseAmount(amount, currency);
    setProblem(parsed.ok ? null : parsed.message);
    if (parsed.ok) request.mutate(parsed.minor);
  };
  return (
    <form className="card payout-form" onSubmit={submitHandler(() => submit())}>
      <h2>Withdraw</h2>
      <p className="muted">Minimum {formatMinor(minPayoutMinor, currency)}.</p>
      <label>
        Amount ({currency})
        <input
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          placeholder="0.00"
          data-testid="payout-amount"
        />
      </label>
      <label>
        Method
        <select
          value={method}
          onChange={(e) => setMethod(e.target.value)}
          data-testid="payout-method"
        >
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label>
        Details
        <input
          value={details}
          onChange={(e) => setDetails(e.target.value)}
          placeholder="card number, e-mail or wallet"
          data-testid="payout-details"
        />
      </label>
      <button type="submit" disabled={request.isPending} data-testid="payout-submit">
        Request payout
      </button>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {request.isSuccess && (
        <p className="ok" data-testid="payout-requested">
          Requested: an admin will review it.
        </p>
      )}
      <ErrorText error={request.error} testId="payout-error" />
    </form>
  );
}
