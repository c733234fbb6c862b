import { type ReactNode, useState } from 'react';
import { minorToInput, parseAmount } from '../../../ui-shared/src/money.ts';
import { adminApi } from '../api/admin-api.ts';
import type { Settings } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';
import { TextAreaField, TextField } from '../components/fields.tsx';
import { submitHandler } from '../components/submit-handler.ts';
import { useSave } from '../components/use-save.ts';
import { useSettings } from '../live/use-settings.ts';

function SettingsForm(props: { settings: Settings }): ReactNode {
  const [welcomeText, setWelcomeText] = useState(props.settings.welcomeText);
  const [currency, setCurrency] = useState(props.settings.currency);
  const [minPayout, setMinPayout] = useState(
    minorToInput(props.settings.minPayoutMinor, props.settings.currency),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const save = useSave((body: Settings) => adminApi.settings.put(body), [['settings']]);
  const submit = () => {
    const code = currency.trim().toUpperCase();
    const amount = parseAmount(minPayout, code);
    setProblem(amount.ok ? null : `Minimum payout: ${amount.message}`);
    if (amount.ok) save.mutate({ welcomeText, currency: code, minPayoutMinor: amount.minor });
  };
  return (
    <form className="card" onSubmit={submitHandler(() => submit())}>
      <TextAreaField
        label="Welcome text (/start)"
        value={welcomeText}
        onChange={setWelcomeText}
        rows={4}
        testId="settings-welcome"
      />
      <div className="row">
        <TextField
          label="Currency (ISO code)"
          value={currency}
          onChange={setCurrency}
          testId="settings-currency"
        />
        <TextField
          label="Minimum payout"
          value={minPayout}
          onChange={setMinPayout}
          testId="settings-min-payout"
        />
      </div>
      <div className="actions">
        <button type="submit" disabled={save.isPending} data-testid="settings-save">
          Save
        </button>
        {save.isSuccess && <span className="ok">Saved</span>}
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorText error={save.error} />
    </form>
  );
}

/** Welcome text, minimum payout and currency. */
export function SettingsPage(): ReactNode {
  const settings = useSettings();
  const s = settings.data;
  return (
    <section>
      <h2>Settings</h2>
      <ErrorText error={settings.error} />
      {s && <SettingsForm key={JSON.stringify(s)} settings={s} />}
    </section>
  );
}
