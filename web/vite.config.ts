import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The config lives in web/, so resolve everything from here: `npm run build:web` runs from the repo root.
const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);
const apiServer = 'http://127.0.0.1:8080';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      // `ws: true` carries the CTI WebSocket (/api/cti) through the same proxy entry.
      '/api': { target: apiServer, changeOrigin: false, ws: true },
      '/healthz': { target: apiServer, changeOrigin: false, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd is one long-cached vendor chunk (~325 kB gzipped with the date pickers); pages are split per route.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/,
            },
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion)[\\/]/,
            },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
