import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests run real HTTP servers on 127.0.0.1; generous limits keep a loaded 2-core CI machine green.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    restoreMocks: true,
  },
});
