import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests never reach the network: LinkedIn is the sandbox, Slack is a recording fake.
    env: { LOG_LEVEL: 'silent' },
  },
});
