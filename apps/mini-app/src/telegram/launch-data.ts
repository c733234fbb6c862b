/** The slice of `window.Telegram.WebApp` the Mini App uses. */
interface TelegramWebApp {
  readonly initData: string;
  ready(): void;
  expand(): void;
  openLink?(url: string): void;
}

declare global {
  interface Window {
    Telegram?: { WebApp?: TelegramWebApp };
    TelegramWebviewProxy?: unknown;
  }
}

const SCRIPT_URL = 'https://telegram.org/js/telegram-web-app.js';

/** The launch parameters Telegram (or the playground) puts in the URL's hash. */
function hashParams(): URLSearchParams {
  return new URLSearchParams(window.location.hash.replace(/^#/, ''));
}

/**
 * True when a Telegram client opened the page: it always adds `tgWebAppPlatform` to the hash,
 * and mobile clients inject `TelegramWebviewProxy`. The playground's link has neither.
 */
export function isInsideTelegram(): boolean {
  return hashParams().has('tgWebAppPlatform') || window.TelegramWebviewProxy !== undefined;
}

/** Load Telegram's script (only inside Telegram: a plain browser never fetches it). */
export function loadTelegramScript(): Promise<void> {
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = SCRIPT_URL;
    // Without the script the app still works from the hash's initData.
    script.onload = script.onerror = () => resolve();
    document.head.append(script);
  });
}

/**
 * The raw initData to authenticate with: `Telegram.WebApp.initData` inside Telegram, else the
 * `tgWebAppData` of the URL's hash (how the playground opens the Mini App); `null` if neither.
 */
export function readInitData(): string | null {
  const fromTelegram = window.Telegram?.WebApp?.initData;
  if (fromTelegram) return fromTelegram;
  return hashParams().get('tgWebAppData') || null;
}

/** Tell Telegram the app is ready and use the full height; no-op in a plain browser. */
export function signalReady(): void {
  window.Telegram?.WebApp?.ready();
  window.Telegram?.WebApp?.expand();
}

/** Open an external link: through Telegram inside it, in a new tab otherwise. */
export function openLink(url: string): void {
  const webApp = window.Telegram?.WebApp;
  if (webApp?.openLink) webApp.openLink(url);
  else window.open(url, '_blank', 'noopener');
}
