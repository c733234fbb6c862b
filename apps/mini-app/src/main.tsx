import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from '../../ui-shared/src/api-error.ts';
import { createAppApi } from './api/app-api.ts';
import { AppApiProvider } from './api/app-api-context.tsx';
import { App } from './app.tsx';
import { AppSyncProvider } from './live/app-sync-provider.tsx';
import {
  isInsideTelegram,
  loadTelegramScript,
  readInitData,
  signalReady,
} from './telegram/launch-data.ts';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

async function start(root: HTMLElement): Promise<void> {
  if (isInsideTelegram()) await loadTelegramScript();
  const initData = readInitData();
  if (initData === null) {
    root.innerHTML =
      '<main class="app"><h1>Open from Telegram</h1><p class="muted">This Mini App needs Telegram’s launch data: open it from the bot, or from the admin panel’s playground.</p></main>';
    return;
  }
  signalReady();
  const api = createAppApi(initData);
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <AppApiProvider api={api}>
          <AppSyncProvider initData={initData}>
            <App />
          </AppSyncProvider>
        </AppApiProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
void start(root);
