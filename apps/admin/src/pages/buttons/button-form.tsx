import { type ReactNode, useState } from 'react';
import { adminApi, type Editable } from '../../api/admin-api.ts';
import type { Button, ButtonAction } from '../../api/types.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { CheckboxField, SelectField, TextField } from '../../components/fields.tsx';
import { useSave } from '../../components/use-save.ts';
import { PayloadField } from './payload-field.tsx';

const ACTIONS: readonly ButtonAction[] = ['scenario', 'tasks', 'balance', 'mini_app', 'link'];

const EMPTY: Editable<Button> = {
  label: '',
  action: 'tasks',
  payload: null,
  position: 0,
  active: true,
};

function draftOf(button: Button | undefined): Editable<Button> {
  if (button === undefined) return EMPTY;
  const { label, action, payload, position, active } = button;
  return { label, action, payload, position, active };
}

/** One button of the main keyboard, edited in place; without `button`, the "new button" form. */
export function ButtonForm(props: { button?: Button; nextPosition?: number }): ReactNode {
  const { button } = props;
  const [draft, setDraft] = useState(() => ({
    ...draftOf(button),
    ...(button ? {} : { position: props.nextPosition ?? 0 }),
  }));
  const set = (patch: Partial<Editable<Button>>) => setDraft((d) => ({ ...d, ...patch }));
  const save = useSave(
    (body: Editable<Button>) =>
      button ? adminApi.buttons.update(button.id, body) : adminApi.buttons.create(body),
    [['buttons']],
  );
  const remove = useSave(() => adminApi.buttons.remove(button?.id ?? 0), [['buttons']]);
  const id = button?.id ?? 'new';
  return (
    <form
      className="row-form"
      data-testid={`button-row-${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(draft, { onSuccess: () => (button ? undefined : setDraft(EMPTY)) });
      }}
    >
      <TextField
        label="Label"
        value={draft.label}
        onChange={(label) => set({ label })}
        testId={`button-label-${id}`}
      />
      <SelectField
        label="Action"
        value={draft.action}
        options={ACTIONS}
        onChange={(action) => set({ action, payload: null })}
        testId={`button-action-${id}`}
      />
      <PayloadField
        action={draft.action}
        value={draft.payload}
        onChange={(payload) => set({ payload })}
        testId={`button-payload-${id}`}
      />
      <label className="field narrow">
        <span>Position</span>
        <input
          type="number"
          value={draft.position}
          onChange={(e) => set({ position: Number(e.target.value) })}
        />
      </label>
      <CheckboxField label="Active" checked={draft.active} onChange={(active) => set({ active })} />
      <div className="actions">
        <button type="submit" disabled={save.isPending} data-testid={`button-save-${id}`}>
          {button ? 'Save' : 'Add button'}
        </button>
        {button && (
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate(undefined)}
          >
            Delete
          </button>
        )}
      </div>
      {save.isSuccess && button && (
        <span className="ok" data-testid={`button-saved-${id}`}>
          Saved
        </span>
      )}
      <ErrorText error={save.error ?? remove.error} />
    </form>
  );
}
