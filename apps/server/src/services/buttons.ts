import { z } from 'zod';
import { toIso } from '../platform/platform-db.ts';
import type { EntityTable } from './entity-service.ts';

/** What a keyboard button does. */
export const BUTTON_ACTIONS = ['scenario', 'tasks', 'balance', 'mini_app', 'link'] as const;

/** A button of the bot's main keyboard. */
export interface Button {
  readonly id: number;
  readonly label: string;
  readonly action: (typeof BUTTON_ACTIONS)[number];
  /** The scenario id (`scenario`) or URL (`link`); null otherwise. */
  readonly payload: string | null;
  readonly position: number;
  readonly active: boolean;
  readonly updatedAt: string;
}

const shape = z.object({
  label: z.string().trim().min(1).max(64),
  action: z.enum(BUTTON_ACTIONS),
  payload: z.string().trim().max(2000).nullable().default(null),
  position: z.number().int().min(0).max(10_000).default(0),
  active: z.boolean().default(true),
});

type ButtonInput = z.output<typeof shape>;

function refine(input: ButtonInput): string | undefined {
  if (input.action === 'scenario' && !/^\d{1,9}$/.test(input.payload ?? ''))
    return 'payload: a scenario button needs the scenario id as its payload';
  if (input.action === 'link' && !/^https?:\/\/\S+$/.test(input.payload ?? ''))
    return 'payload: a link button needs an http(s) URL as its payload';
  return undefined;
}

/** The `buttons` table. */
export const buttonsTable: EntityTable<Button, ButtonInput> = {
  name: 'buttons',
  singular: 'button',
  shape,
  refine,
  columns: {
    label: 'label',
    action: 'action',
    payload: 'payload',
    position: 'position',
    active: 'active',
  },
  orderBy: 'position, id',
  fromRow: (row) => ({
    id: Number(row.id),
    label: String(row.label),
    action: row.action as Button['action'],
    payload: (row.payload as string | null) ?? null,
    position: Number(row.position),
    active: row.active === true,
    updatedAt: toIso(row.updated_at)!,
  }),
  toInput: ({ label, action, payload, position, active }) => ({
    label,
    action,
    payload,
    position,
    active,
  }),
};
