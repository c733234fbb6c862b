import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The server the dev server forwards API and /sync calls to (`npm start` listens on 3000). */
const API = 'http://localhost:3000';

// Served by apps/server under /admin/; `vite` (dev) proxies the API and /sync to it.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': API,
      '/sync': { target: API, ws: true },
    },
  },
});
