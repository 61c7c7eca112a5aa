// Test layout: unit (no host), integration (real libvirtd, QEMU, qemu-img), lifecycle (real Pulumi CLI too).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
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
