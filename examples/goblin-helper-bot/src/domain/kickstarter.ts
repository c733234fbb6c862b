/** A kickstarter of the catalog (`ctx.kickstarters.list[id]`). */
export interface Kickstarter {
  id: string;
  name: string;
  creator: string;
  cost: number;
  pledgeName: string;
  pledgeCost: number;
  photos: string[];
  files: string[];
  link: string;
}

/** A setting: the seed's `settings(key, value TEXT)`. */
export interface Setting {
  key: string;
  value: string;
}
