import type { ValueSchema } from '@hybridstate/core';
import { type LotsSession, lotProblems } from '../domain/lot.ts';
import { isPeriod } from '../domain/period.ts';
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

/** The seed's lot invariants, checked on every write of the `lots` session. */
export const lotsSchema = schemaOf<LotsSession>((value) => {
  const lots = value as LotsSession;
  if (typeof lots !== 'object' || lots === null || typeof lots.list !== 'object')
    return [{ message: 'lots must be { list, nextId }' }];
  return Object.entries(lots.list).flatMap(([id, lot]) => [
    ...lotProblems(lot).map((message) => ({ message, path: ['list', id] })),
    ...(Array.isArray(lot.participants) &&
    new Set(lot.participants).size === lot.participants.length
      ? []
      : [{ message: 'participants must be unique user ids', path: ['list', id, 'participants'] }]),
  ]);
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
