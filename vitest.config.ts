import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node; the browser end-to-end suite (e2e/) runs under Playwright.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Reference tools (LibRaw, exiftool) and decoding real files are slow on a busy 2-core machine;
    // the limit catches hangs, not speed (speed is measured by the bench scripts).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
