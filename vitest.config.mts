// Test layout: unit (no host), integration (real libvirtd, QEMU, qemu-img), lifecycle (real Pulumi CLI too).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The integration and lifecycle tests mostly wait for libvirt, QEMU and the Pulumi CLI:
    // more files at once than the 2 cores vitest would otherwise use one less of.
    maxWorkers: 3,
    projects: [
      {
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 20_000 },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/rig/global-setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        // Not part of npm test: `npm run bench`.
        test: {
          name: "bench",
          include: ["bench/**/*.bench.ts"],
          globalSetup: ["test/integration/rig/global-setup.ts"],
        },
      },
      {
        test: {
          name: "lifecycle",
          include: ["test/lifecycle/**/*.test.ts"],
          globalSetup: ["test/integration/rig/global-setup.ts", "test/lifecycle/global-setup.ts"],
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
