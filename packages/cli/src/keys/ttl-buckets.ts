/** Counts of keys by remaining lifetime. */
export interface TtlBuckets {
  /** No expiry at all (PTTL -1). */
  none: number;
  under1m: number;
  under1h: number;
  under1d: number;
  over1d: number;
}

/** Empty buckets. */
export function emptyBuckets(): TtlBuckets {
  return { none: 0, under1m: 0, under1h: 0, under1d: 0, over1d: 0 };
}

/** Count one key with `pttl` ms to live (`-1`: none). */
export function addTtl(buckets: TtlBuckets, pttl: number): void {
  if (pttl < 0) buckets.none++;
  else if (pttl < 60_000) buckets.under1m++;
  else if (pttl < 3_600_000) buckets.under1h++;
  else if (pttl < 86_400_000) buckets.under1d++;
  else buckets.over1d++;
}

/** `none 0, <1m 3, <1h 10, <1d 0, >=1d 2`, skipping empty buckets. */
export function formatBuckets(buckets: TtlBuckets): string {
  const labels: [keyof TtlBuckets, string][] = [
    ['none', 'no TTL'],
    ['under1m', '<1m'],
    ['under1h', '<1h'],
    ['under1d', '<1d'],
    ['over1d', '>=1d'],
  ];
  const parts = labels
    .filter(([k]) => buckets[k] > 0)
    .map(([k, label]) => `${label} ${buckets[k]}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}
