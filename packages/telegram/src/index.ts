/**
 * @hybridstate/telegram: lossless scoped sessions for grammY and Telegraf on
 * @hybridstate/core.
 */

export { toGrammyStorage } from './adapters/grammy-storage.ts';
export {
  type StorageFamily,
  type StorageFamilyOptions,
  storageFamily,
} from './adapters/storage-family.ts';
export { toTelegrafStore } from './adapters/telegraf-store.ts';
export {
  type BridgeAccess,
  type BridgeCollection,
  type BridgeFlavor,
  createBridge,
  type RowChange,
} from './bridge/bridge.ts';
export { readTelegramOptions, type TelegramOptions } from './config/telegram-options.ts';
export { TELEGRAM_ERROR_CODES, TelegramError, type TelegramErrorCode } from './errors.ts';
export {
  importLegacySessions,
  type LegacyImportOptions,
  type LegacyImportReport,
  type LegacyLayout,
} from './legacy/legacy-import.ts';
export {
  INIT_DATA_DEFAULTS,
  type InitData,
  type InitDataUser,
  signInitData,
  type VerifyInitDataOptions,
  verifyInitData,
} from './security/init-data.ts';
export {
  assertWebhookSecret,
  WEBHOOK_SECRET_HEADER,
  webhookSecretChecker,
} from './security/webhook-secret.ts';
export {
  declareSessions,
  type SessionDefinition,
  type SessionProperty,
} from './session/session-definition.ts';
export { type SessionScope, type SessionSource, scopeParams } from './session/session-scope.ts';
export {
  SESSIONS_DEFAULTS,
  type SessionFlavor,
  Sessions,
  type SessionsOptions,
} from './session/sessions.ts';
