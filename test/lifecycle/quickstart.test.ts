// The quick start example, installed from the packed tarball, under real `pulumi up` and `destroy`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { snapshotNames } from "../integration/rig/host.js";
import { createTestDomain } from "../integration/rig/test-domain.js";
import { newStack, stateResources } from "./harness.js";
import { installExample } from "./install.js";

describe("examples/quickstart", () => {
  it("takes a snapshot with `pulumi up` and removes it with `pulumi destroy`", async () => {
    const domain = await createTestDomain();
    const dir = mkdtempSync(join(tmpdir(), "virtsnap-quickstart-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    installExample("quickstart", dir, inject("tarball"));

    const test = await newStack(dir, { domain: domain.name });
    onTestFinished(() => test.remove());
    const result = await test.stack.up();
    expect(result.outputs).toMatchObject({
      snapshotName: { value: "before-change" },
      domainState: { value: "running" },
      disks: { value: { vda: { mode: "internal" }, vdb: { mode: "internal" } } },
    });
    expect(await snapshotNames(domain.name)).toEqual(["before-change"]);

    await test.stack.destroy();
    expect(await snapshotNames(domain.name)).toEqual([]);
    expect(await stateResources(test.stack)).toEqual({});
  });
});
