import { defineConfig } from '@playwright/test';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3197);
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password-1';

/**
 * End-to-end tests run the built app (npm run build first) against a real
 * server process on a throwaway data directory, in Debian's Chromium:
 * Playwright cannot download its own browsers here.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: 'rm -rf .e2e-data && node --enable-source-maps dist/server/server.mjs',
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(E2E_PORT), HOST: '127.0.0.1', DATA_DIR: '.e2e-data', OFFLINE_CIRC_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      // The demo library's items and cards follow these rules, so the desk warns about mistyped barcodes
      // and knows the next patron's card scanned into the item field.
      OFFLINE_CIRC_ITEM_BARCODE_PATTERN: 'I\\d{5}',
      OFFLINE_CIRC_PATRON_BARCODE_PATTERN: 'P\\d{4}',
    },
  },
});
