/**
 * Every stored session name, in one place (seed defect 5: keys were hard-coded strings spread
 * over the code). Each becomes one key family `session_<name>` in the keyspace; keys are only
 * ever built from those families.
 */
export const SESSION_NAMES = {
  global: 'global',
  polls: 'polls',
  channels: 'channels',
  user: 'user',
  chat: 'chat',
  scene: 'scene',
} as const;

/**
 * The lots' key names: the seed's one `lots` session became one key per lot (`lot:{lotId}`)
 * and an index of the lot ids (`lot_index`); see `state/lot-families.ts` for why.
 */
export const LOT_KEY_NAMES = {
  lot: 'lot',
  index: 'lot_index',
} as const;

/**
 * The seed's Redis layout (`telegraf-session-redis-upd`), mapped to these sessions for
 * `importLegacySessions`. Its `lots` key is not a session here: `importLegacyLots` splits it.
 */
export const LEGACY_LAYOUT = {
  global: 'globalSession',
  polls: 'polls',
  channels: 'channelsSession',
  user: 'userSession',
  chat: 'chatSession',
  scene: 'scene',
} as const;
