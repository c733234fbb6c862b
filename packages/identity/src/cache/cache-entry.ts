import { decodeValue, encodeValue } from '@hybridstate/core';

/** A cached value with its lifetimes. */
export interface CacheEntry {
  readonly value: unknown;
  /** Epoch ms until which the value is fresh. */
  readonly freshUntil: number;
  /** Epoch ms until which the value may be served while its loader fails (grace). */
  readonly staleUntil: number;
  readonly tags: readonly string[];
}

const TAG = /^[A-Za-z0-9_.:-]{1,128}$/;

/** True for a tag that can be stored: 1-128 of `[A-Za-z0-9_.:-]`. */
export function isTag(tag: unknown): tag is string {
  return typeof tag === 'string' && TAG.test(tag);
}

/** `freshUntil|staleUntil|tag,tag|<codec JSON>`: readable in redis-cli, cheap to split. */
export function encodeEntry(entry: CacheEntry): string {
  return `${entry.freshUntil}|${entry.staleUntil}|${entry.tags.join(',')}|${encodeValue(entry.value)}`;
}

/** Decode a Redis entry; a corrupt one throws `HS_CORRUPT_VALUE` naming the key. */
export function decodeEntry(text: string, key: string): CacheEntry {
  const a = text.indexOf('|');
  const b = text.indexOf('|', a + 1);
  const c = text.indexOf('|', b + 1);
  const tags = text.slice(b + 1, c);
  return {
    freshUntil: Number(text.slice(0, a)),
    staleUntil: Number(text.slice(a + 1, b)),
    tags: tags === '' ? [] : tags.split(','),
    value: decodeValue(c < 0 ? '' : text.slice(c + 1), key),
  };
}
