import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const server = 'http://127.0.0.1:7070';

// The Slipway server serves dist/ with an SPA fallback; in development Vite proxies the API, probes and metrics to it.
// Vite reads its config from the default export: the one default export in the package.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': server,
      '/healthz': server,
      '/metrics': server,
    },
  },
});
