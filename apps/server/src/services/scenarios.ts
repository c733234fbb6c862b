import { z } from 'zod';
import { toIso, toJson } from '../platform/platform-db.ts';
import type { EntityTable } from './entity-service.ts';

/** One step of a scenario. */
export const stepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().trim().min(1).max(4096) }),
  z.object({
    type: z.literal('ask'),
    text: z.string().trim().min(1).max(4096),
    field: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a lower-case name such as phone or email'),
    store: z.enum(['session', 'profile']),
  }),
  z.object({ type: z.literal('goto'), step: z.number().int().min(0).max(99) }),
]);

/** A scenario step. */
export type Step = z.output<typeof stepSchema>;

/** A scripted conversation started by a button or a command. */
export interface Scenario {
  readonly id: number;
  readonly name: string;
  /** `quiz` answers `/quiz`. */
  readonly command: string | null;
  readonly steps: Step[];
  readonly active: boolean;
  readonly updatedAt: string;
}

const shape = z.object({
  name: z.string().trim().min(1).max(128),
  command: z
    .string()
    .regex(/^[a-z0-9_]{1,32}$/, 'lower-case letters, digits and _ (no slash)')
    .nullable()
    .default(null),
  steps: z.array(stepSchema).min(1).max(50),
  active: z.boolean().default(true),
});

type ScenarioInput = z.output<typeof shape>;

function refine(input: ScenarioInput): string | undefined {
  const bad = input.steps.findIndex((s) => s.type === 'goto' && s.step >= input.steps.length);
  if (bad >= 0)
    return `steps.${bad}.step: goto must name a step between 0 and ${input.steps.length - 1}`;
  if (input.command === 'start') return "command: /start is the bot's own command";
  return undefined;
}

/** The `scenarios` table. */
export const scenariosTable: EntityTable<Scenario, ScenarioInput> = {
  name: 'scenarios',
  singular: 'scenario',
  shape,
  refine,
  columns: { name: 'name', command: 'command', steps: 'steps', active: 'active' },
  json: ['steps'],
  orderBy: 'id',
  fromRow: (row) => ({
    id: Number(row.id),
    name: String(row.name),
    command: (row.command as string | null) ?? null,
    steps: toJson(row.steps) as Step[],
    active: row.active === true,
    updatedAt: toIso(row.updated_at)!,
  }),
  toInput: ({ name, command, steps, active }) => ({ name, command, steps, active }),
};
