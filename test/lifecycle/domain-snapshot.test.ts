// DomainSnapshot under the real Pulumi engine: preview, up, refresh, destroy of a program using the packed package.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { snapshotNames, virsh } from "../integration/rig/host.js";
import { createTestDomain, removeTestDomain, type TestDomain } from "../integration/rig/test-domain.js";
import { newStack, previewOps, stateResources, type TestStack } from "./harness.js";

interface Spec {
  resource: string;
  args: Record<string, unknown>;
  protect?: boolean;
  retainOnDelete?: boolean;
}

describe("DomainSnapshot lifecycle under the Pulumi CLI", () => {
  let running: TestDomain;
  let offline: TestDomain;
  let subsetHost: TestDomain;
  let test: TestStack;
  let specs: Spec[] = [];

  /** Sets the program's snapshot list (stack config) for the next preview or up. */
  async function declare(next: Spec[]): Promise<void> {
    specs = next;
    await test.stack.setConfig("snapshots", { value: JSON.stringify(specs) });
  }
  const without = (resource: string) => specs.filter((spec) => spec.resource !== resource);
  const replacing = (resource: string, change: (spec: Spec) => Spec) =>
    specs.map((spec) => (spec.resource === resource ? change(spec) : spec));

  beforeAll(async () => {
    [running, offline, subsetHost] = await Promise.all([
      createTestDomain({ removeAfterTest: false }),
      createTestDomain({ running: false, removeAfterTest: false }),
      createTestDomain({ removeAfterTest: false }),
    ]);
    test = await newStack(inject("lifecycleProject"));
  });

  afterAll(async () => {
    await test?.stack.destroy().catch(() => undefined);
    await test?.remove();
    await Promise.all(
      [running, offline, subsetHost].filter(Boolean).map((domain) => removeTestDomain(domain.name)),
    );
  });

  it("creates snapshots on a running and a shut-off domain with `up`", async () => {
    await declare([
      { resource: "running-full", args: { domain: running.name } },
      { resource: "offline", args: { domain: offline.name, description: "first" } },
      {
        resource: "subset",
        args: {
          domain: subsetHost.name,
          memory: "none",
          disks: { vda: { mode: "external" }, vdb: { mode: "exclude" } },
        },
      },
    ]);
    expect(await previewOps(test.stack)).toEqual({
      "running-full": "create",
      offline: "create",
      subset: "create",
    });

    const result = await test.stack.up();
    expect(result.summary.resourceChanges).toMatchObject({ create: 4 });
    expect(await snapshotNames(running.name)).toEqual(["running-full"]);
    expect(await snapshotNames(offline.name)).toEqual(["offline"]);
    expect(await snapshotNames(subsetHost.name)).toEqual(["subset"]);
    expect(result.outputs.snapshots?.value).toMatchObject({
      "running-full": { disks: { vda: { mode: "internal" }, vdb: { mode: "internal" } } },
      subset: { disks: { vda: { mode: "external" }, vdb: { mode: "exclude" } } },
    });
  });

  it("stores the provider as a require of the installed package, not a copy of its code", async () => {
    const state = await stateResources(test.stack);
    const provider = String(state.offline?.__provider);
    expect(provider).toContain('require("virtsnap/dist/provider/resources/domain-snapshot/');
    expect(provider).not.toMatch(/execa|fast-xml-parser|zod/);
  });

  it("previews a description change as an update, and `up` changes it on the same snapshot", async () => {
    const before = (await test.stack.outputs()).snapshots?.value.offline;
    await declare(
      replacing("offline", (spec) => ({ ...spec, args: { ...spec.args, description: "second" } })),
    );
    expect(await previewOps(test.stack)).toEqual({ offline: "update" });

    await test.stack.up();
    const xml = await virsh("snapshot-dumpxml", "--domain", offline.name, "--snapshotname", "offline");
    expect(xml).toContain("<description>second</description>");
    const after = (await test.stack.outputs()).snapshots?.value.offline;
    expect(after).toMatchObject({ description: "second", createdAt: before.createdAt });
    expect(await snapshotNames(offline.name)).toEqual(["offline"]);
  });

  it("previews a disk mode change as a replace, and `up` replaces the snapshot", async () => {
    await declare(
      replacing("subset", (spec) => ({
        ...spec,
        args: { ...spec.args, disks: { vda: { mode: "external" }, vdb: { mode: "external" } } },
      })),
    );
    expect(await previewOps(test.stack)).toEqual({ subset: expect.stringMatching(/replace/) });

    const result = await test.stack.up();
    expect(result.summary.resourceChanges).toMatchObject({ replace: 1 });
    const xml = await virsh("snapshot-dumpxml", "--domain", subsetHost.name, "--snapshotname", "subset");
    expect(xml).toMatch(/<disk name='vdb' snapshot='external'/);
    expect(await snapshotNames(subsetHost.name)).toEqual(["subset"]);
  });

  it("drops a snapshot deleted behind the program's back from the state on `refresh`", async () => {
    await virsh("snapshot-delete", "--domain", running.name, "--snapshotname", "running-full");
    await test.stack.refresh();
    expect(Object.keys(await stateResources(test.stack))).not.toContain("running-full");
    // The program still declares it: the next preview would take it again.
    expect(await previewOps(test.stack)).toEqual({ "running-full": "create" });
    await declare(without("running-full"));
  });

  it("adopts a snapshot that already exists instead of failing", async () => {
    await virsh("snapshot-create-as", "--domain", offline.name, "--name", "handmade");
    await declare([...specs, { resource: "handmade", args: { domain: offline.name, adopt: true } }]);
    const result = await test.stack.up();
    expect(result.outputs.snapshots?.value.handmade).toMatchObject({ adopted: true });
    expect(await snapshotNames(offline.name)).toEqual(["handmade", "offline"]);
  });

  it("refuses to destroy a protected snapshot and leaves everything in place", async () => {
    await declare([...specs, { resource: "guarded", args: { domain: offline.name }, protect: true }]);
    await test.stack.up();
    await expect(test.stack.destroy()).rejects.toThrow(/protected/);
    expect(await snapshotNames(offline.name)).toContain("guarded");
    await declare(replacing("guarded", (spec) => ({ ...spec, protect: false })));
    await test.stack.up();
  });

  it("destroys every snapshot but the one marked retainOnDelete, which stays on the host", async () => {
    await declare([...specs, { resource: "kept", args: { domain: offline.name }, retainOnDelete: true }]);
    await test.stack.up();

    await test.stack.destroy();
    expect(await stateResources(test.stack)).toEqual({});
    expect(await snapshotNames(offline.name)).toEqual(["kept"]);
    expect(await snapshotNames(subsetHost.name)).toEqual([]);
    expect(await snapshotNames(running.name)).toEqual([]);
  });
});

describe("DomainSnapshot check failures under the Pulumi CLI", () => {
  it("shows the property and the reason as Pulumi prints them, and runs nothing", async () => {
    const test = await newStack(inject("lifecycleProject"), {
      snapshots: JSON.stringify([{ resource: "bad", args: { domain: "a;rm -rf /", memory: "ram" } }]),
    });
    try {
      const error = await test.stack.up().catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toMatch(
        /property domain value \{a;rm -rf \/\} has a problem: is not a valid domain name or UUID/,
      );
      expect(message).toMatch(
        /property memory value \{ram\} has a problem: must be 'none', 'internal' or 'external'/,
      );
      expect(await stateResources(test.stack)).toEqual({});
    } finally {
      await test.remove();
    }
  });
});
