import type { ContextDefinition } from '../contexts/app-context.ts';

/** Where identity and the applications keep their tables. */
export interface SchemaOptions {
  /**
   * Put before every schema name, so several installations (or test runs) share a database:
   * `'exchanger_'` gives `exchanger_identity`, `exchanger_web`... @default ''
   */
  readonly schemaPrefix?: string;
}

/** The shared identity schema's name. */
export function identitySchema(options: SchemaOptions = {}): string {
  return `${options.schemaPrefix ?? ''}identity`;
}

/** The schema of one application context's own tables. */
export function appSchema(context: ContextDefinition, options: SchemaOptions = {}): string {
  return `${options.schemaPrefix ?? ''}${context.schema}`;
}
