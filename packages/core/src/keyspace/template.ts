import { hsError } from '../errors.ts';
import { encodeKeyPart, type KeyPart } from './key-part.ts';

/**
 * The parameter names of a key template, as a union type.
 *
 * @example
 * ```ts
 * type P = TemplateParams<'user_data:{userId}:phone'>; // 'userId'
 * ```
 */
export type TemplateParams<T extends string> = T extends `${string}{${infer P}}${infer Rest}`
  ? P | TemplateParams<Rest>
  : never;

/** The object that fills a template: one {@link KeyPart} per parameter. */
export type KeyParams<T extends string> = [TemplateParams<T>] extends [never]
  ? Record<string, never>
  : { readonly [P in TemplateParams<T>]: KeyPart };

/** One segment of a parsed template: fixed text or a parameter. */
export type Segment =
  | { readonly kind: 'static'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string };

const STATIC_SEGMENT = /^[A-Za-z0-9_.-]+$/;
const PARAM_SEGMENT = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/;

/**
 * Parse `user_data:{userId}:phone` into segments. Each segment between `:` is either fixed
 * text (`A-Z a-z 0-9 _ . -`) or exactly one `{param}`.
 */
export function parseTemplate(template: string, family: string): readonly Segment[] {
  const segments = template.split(':').map((text): Segment => {
    const param = PARAM_SEGMENT.exec(text);
    if (param?.[1] !== undefined) return { kind: 'param', name: param[1] };
    if (STATIC_SEGMENT.test(text)) return { kind: 'static', text };
    throw invalid(
      family,
      `segment "${text}" of "${template}" is neither fixed text [A-Za-z0-9_.-] nor one {param}`,
    );
  });
  const names = segments.flatMap((s) => (s.kind === 'param' ? [s.name] : []));
  if (new Set(names).size !== names.length)
    throw invalid(family, `"${template}" repeats a parameter`);
  return segments;
}

/** Fill the template's parameters, escaping each part. */
export function renderTemplate(
  segments: readonly Segment[],
  params: Record<string, KeyPart>,
): string {
  let out = '';
  for (const segment of segments) {
    if (out !== '') out += ':';
    out +=
      segment.kind === 'static'
        ? segment.text
        : encodeKeyPart(requireParam(params, segment.name), segment.name);
  }
  return out;
}

/**
 * True when some key could be produced by both templates. Parameters never contain `:`,
 * so two templates overlap only when they have as many segments and every position is
 * either the same fixed text or a parameter on at least one side.
 */
export function templatesOverlap(a: readonly Segment[], b: readonly Segment[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((sa, i) => {
    const sb = b[i]!;
    return sa.kind === 'param' || sb.kind === 'param' || sa.text === sb.text;
  });
}

function requireParam(params: Record<string, KeyPart>, name: string): KeyPart {
  const value = params?.[name];
  if (value === undefined) {
    throw hsError('HS_KEY_INVALID', `Key parameter "${name}" is missing.`, { param: name });
  }
  return value;
}

function invalid(family: string, why: string) {
  return hsError('HS_KEYSPACE_INVALID', `Key family "${family}": ${why}.`, { family });
}
