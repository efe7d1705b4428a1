// The web app is built into dist/ and served by the Centralino server at `/`
// (one origin: the session cookie and CSRF token work as for any API client).
// `npm run dev -w packages/web` serves it with hot reload, proxying /api to a
// server started with `npx centralino start --demo`.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The operator desktop's first load must stay small (issue 8: < 300 KB gzipped);
    // each area is its own chunk, loaded when opened.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
