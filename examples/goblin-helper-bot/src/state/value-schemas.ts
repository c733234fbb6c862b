import type { ValueSchema } from '@hybridstate/core';
import { type Lot, lotProblems } from '../domain/lot.ts';
import { isPeriod } from '../domain/period.ts';
import type { LotIndex } from './lot-board.ts';
import type { GlobalSession } from './session-values.ts';

type Issues = { message: string; path?: (string | number)[] }[];

/** A Standard Schema from a function listing problems; the store refuses a value with any. */
function schemaOf<V>(problems: (value: unknown) => Issues): ValueSchema<V> {
  return {
    '~standard': {
      version: 1,
      vendor: 'goblin-helper-bot',
      validate: (value) => {
        const issues = problems(value);
        return issues.length === 0 ? { value: value as V } : { issues };
      },
    },
  };
}

/** The seed's lot invariants, checked on every write of a lot (only that lot: one key each). */
export const lotSchema = schemaOf<Lot>((value) => {
  const lot = value as Lot;
  if (typeof lot !== 'object' || lot === null || !Array.isArray(lot.photos))
    return [{ message: 'a lot must be an object with photos' }];
  return [
    ...lotProblems(lot).map((message) => ({ message })),
    ...(Array.isArray(lot.participants) &&
    new Set(lot.participants).size === lot.participants.length
      ? []
      : [{ message: 'participants must be unique user ids', path: ['participants'] }]),
  ];
});

/** The lot index: unique ids, and a next id above every numeric one. */
export const lotIndexSchema = schemaOf<LotIndex>((value) => {
  const index = value as LotIndex;
  if (typeof index !== 'object' || index === null || !Array.isArray(index.ids))
    return [{ message: 'the lot index must be { ids, nextId }' }];
  const issues: Issues = [];
  if (new Set(index.ids).size !== index.ids.length)
    issues.push({ message: 'lot ids must be unique', path: ['ids'] });
  if (!Number.isSafeInteger(index.nextId) || index.ids.some((id) => Number(id) >= index.nextId))
    issues.push({ message: 'nextId must be a whole number above every lot id', path: ['nextId'] });
  return issues;
});

/** The seed's global session invariants: a valid current month, studios as strings. */
export const globalSchema = schemaOf<GlobalSession>((value) => {
  const g = value as GlobalSession;
  const issues: Issues = [];
  if (!isPeriod(`${g?.current?.year}_${g?.current?.month}`))
    issues.push({
      message: 'current must be a valid { year: "YYYY", month: "MM" }',
      path: ['current'],
    });
  if (!Array.isArray(g?.studios) || g.studios.some((x) => typeof x !== 'string'))
    issues.push({ message: 'studios must be strings', path: ['studios'] });
  return issues;
});
