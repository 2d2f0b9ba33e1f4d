import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // DynamoDB Local is one Java process; two workers keep it and the CPU (2 cores) busy enough
    maxWorkers: 2,
    env: {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      TZ: 'UTC',
    },
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
