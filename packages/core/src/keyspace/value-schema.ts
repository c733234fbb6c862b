/**
 * The validation port a family accepts: the Standard Schema interface, which zod (3.24+ and
 * 4), valibot and arktype implement. Only synchronous validation is supported.
 */
export interface ValueSchema<V> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => ValidationResult<V> | Promise<ValidationResult<V>>;
    readonly types?: { readonly input: unknown; readonly output: V } | undefined;
  };
}

/** Result of {@link ValueSchema} validation. */
export type ValidationResult<V> =
  | { readonly value: V; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<unknown> | undefined;
      }>;
    };
