/**
 * Every stored session name, in one place (seed defect 5: keys were hard-coded strings spread
 * over the code). Each becomes one key family `session_<name>` in the keyspace; keys are only
 * ever built from those families.
 */
export const SESSION_NAMES = {
  global: 'global',
  lots: 'lots',
  polls: 'polls',
  channels: 'channels',
  user: 'user',
  chat: 'chat',
  scene: 'scene',
} as const;

/** The seed's Redis layout (`telegraf-session-redis-upd`), mapped to these sessions for `importLegacySessions`. */
export const LEGACY_LAYOUT = {
  global: 'globalSession',
  lots: 'lots',
  polls: 'polls',
  channels: 'channelsSession',
  user: 'userSession',
  chat: 'chatSession',
  scene: 'scene',
} as const;
