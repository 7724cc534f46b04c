import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** `npm run dev` talks to an API started with `npm start` at the root (API_URL to change it). */
const api = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/graphql': { target: api, ws: true }, '/health': api, '/ready': api },
  },
  build: {
    // Areas are split by route (React.lazy); the vendor split keeps the login page small and cacheable.
    chunkSizeWarningLimit: 900,
    // scripts/login-size.mjs reads which chunks the login page loads.
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            // graphql-js is not grouped: the API explorer uses much more of it (validation, schema building) than Apollo
            // does, and a group takes every matching module, which would put all of it on the login page.
            { name: 'apollo', test: /node_modules[\\/](@apollo|@wry|optimism|rxjs|tslib)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    testTimeout: 20000,
  },
});
