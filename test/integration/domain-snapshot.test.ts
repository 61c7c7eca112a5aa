// DomainSnapshot's provider hooks, called as the engine calls them, against a real libvirtd.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inputsOf } from "../../provider/inputs/check-inputs.js";
import { domainSnapshotProvider as provider } from "../../provider/resources/domain-snapshot/provider.js";
import {
  type DomainSnapshotOutputs,
  domainSnapshotInputsSchema,
} from "../../provider/resources/domain-snapshot/schema.js";
import { snapshotNames, TEST_URI, virsh } from "./rig/host.js";
import { createTestDomain, type TestDomain } from "./rig/test-domain.js";

/** check then create, as `pulumi up` does for a new resource; fails on check failures. */
async function up(inputs: Record<string, unknown>): Promise<{ id: string; outs: DomainSnapshotOutputs }> {
  const checked = await provider.check?.({}, { uri: TEST_URI, ...inputs });
  expect(checked?.failures ?? []).toEqual([]);
  const { id, outs } = await provider.create(checked?.inputs);
  return { id, outs };
}

async function dumpXml(domain: TestDomain, snapshot: string): Promise<string> {
  return virsh("snapshot-dumpxml", "--domain", domain.name, "--snapshotname", snapshot);
}

function expectNoUndefined(value: unknown, path = "outs"): void {
  expect(value, path).not.toBeUndefined();
  if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) expectNoUndefined(inner, `${path}.${key}`);
  }
}

describe("DomainSnapshot on a running domain", () => {
  it("takes an internal snapshot with memory by default and reports it", async () => {
    const domain = await createTestDomain();
    const { id, outs } = await up({ domain: domain.name, name: "full", description: "with memory" });

    expect(await snapshotNames(domain.name)).toEqual(["full"]);
    expect(id).toBe(`${domain.uuid}/full`);
    expect(outs).toMatchObject({
      name: "full",
      domainName: domain.name,
      domainUuid: domain.uuid,
      domainState: "running",
      description: "with memory",
      snapshotMemory: { mode: "internal" },
      snapshotDisks: { vda: { mode: "internal" }, vdb: { mode: "internal" } },
      adopted: false,
    });
    expect(Date.now() - Date.parse(outs.createdAt)).toBeLessThan(10 * 60_000);
    expectNoUndefined(outs);
  });

  it("takes an external disk-only snapshot of a subset of disks", async () => {
    const domain = await createTestDomain();
    const overlay = join(domain.dir, "vda.before-upgrade");
    const { outs } = await up({
      domain: domain.name,
      name: "before-upgrade",
      memory: "none",
      disks: { vda: { mode: "external", file: overlay }, vdb: { mode: "exclude" } },
    });

    expect(await snapshotNames(domain.name)).toEqual(["before-upgrade"]);
    expect(outs.snapshotDisks).toEqual({
      vda: { mode: "external", file: overlay },
      vdb: { mode: "exclude" },
    });
    expect(outs.snapshotMemory).toEqual({ mode: "none" });
    expect(outs.domainState).toBe("disk-snapshot");
    // The domain now writes vda into the overlay; vdb is untouched.
    const blockList = await virsh("domblklist", "--domain", domain.name);
    expect(blockList).toContain(overlay);
    expect(blockList).toContain(domain.disks[1]?.path);
    expectNoUndefined(outs);
  });

  it("saves memory to an external file with external disks", async () => {
    const domain = await createTestDomain();
    const memoryFile = join(domain.dir, "memory.save");
    const { outs } = await up({
      domain: domain.name,
      name: "with-ram",
      memory: "external",
      memoryFile,
      disks: { vda: { mode: "external" }, vdb: { mode: "external" } },
    });

    expect(await snapshotNames(domain.name)).toEqual(["with-ram"]);
    expect(outs.snapshotMemory).toEqual({ mode: "external", file: memoryFile });
    expect(existsSync(memoryFile)).toBe(true);
    expect(outs.snapshotDisks.vda?.mode).toBe("external");
  });

  it("explains libvirt's refusal of an internal disk-only snapshot and leaves nothing behind", async () => {
    const domain = await createTestDomain();
    const checked = await provider.check?.(
      {},
      {
        uri: TEST_URI,
        domain: domain.name,
        name: "nomem",
        memory: "none",
        disks: { vda: { mode: "internal" }, vdb: { mode: "internal" } },
      },
    );
    await expect(provider.create(checked?.inputs)).rejects.toThrow(
      /Could not create snapshot "nomem" of domain "virtsnap-test-[\w-]+" on localhost: libvirt refused: .*active qemu domains require external disk snapshots.*set memory: 'internal', or use mode 'external'/,
    );
    expect(await snapshotNames(domain.name)).toEqual([]);
  });

  it("names the domain's disks when the program names a disk it does not have, and runs no snapshot", async () => {
    const domain = await createTestDomain();
    await expect(
      up({ domain: domain.name, name: "s", memory: "none", disks: { vdz: { mode: "external" } } }),
    ).rejects.toThrow(`disks.vdz is not a disk of domain "${domain.name}" (its disks: vda, vdb)`);
    expect(await snapshotNames(domain.name)).toEqual([]);
  });

  it("says how to proceed when a snapshot of that name exists and adopt is off", async () => {
    const domain = await createTestDomain();
    await up({ domain: domain.name, name: "taken" });
    await expect(up({ domain: domain.name, name: "taken" })).rejects.toThrow(
      /already exists\. Set adopt: true/,
    );
    expect(await snapshotNames(domain.name)).toEqual(["taken"]);
  });

  it("fails clearly for a domain that does not exist", async () => {
    await expect(up({ domain: "virtsnap-no-such-domain", name: "s" })).rejects.toThrow(
      /domain "virtsnap-no-such-domain" on localhost: the domain does not exist/,
    );
  });
});

describe("DomainSnapshot on a shut-off domain", () => {
  it("takes an internal disk snapshot by default", async () => {
    const domain = await createTestDomain({ running: false });
    const { outs } = await up({ domain: domain.name, name: "offline" });
    expect(await snapshotNames(domain.name)).toEqual(["offline"]);
    expect(outs).toMatchObject({
      domainState: "shutoff",
      snapshotMemory: { mode: "none" },
      snapshotDisks: { vda: { mode: "internal" }, vdb: { mode: "internal" } },
    });
  });

  it("takes an external disk-only snapshot of one disk", async () => {
    const domain = await createTestDomain({ running: false });
    const { outs } = await up({
      domain: domain.uuid,
      name: "offline-ext",
      disks: { vda: { mode: "exclude" }, vdb: { mode: "external" } },
    });
    expect(await snapshotNames(domain.name)).toEqual(["offline-ext"]);
    expect(outs.domainName).toBe(domain.name);
    expect(outs.snapshotDisks.vda).toEqual({ mode: "exclude" });
    expect(outs.snapshotDisks.vdb?.mode).toBe("external");
    expect(existsSync(outs.snapshotDisks.vdb?.file ?? "/nonexistent")).toBe(true);
  });
});

describe("DomainSnapshot after create", () => {
  it("updates the description in place: same snapshot, new description", async () => {
    const domain = await createTestDomain();
    const { id, outs } = await up({ domain: domain.name, name: "s1", description: "first" });
    const news = {
      ...(
        await provider.check?.(
          {},
          { ...inputsOf(domainSnapshotInputsSchema, outs), description: "second <b> & more" },
        )
      )?.inputs,
    };

    const diff = await provider.diff?.(id, outs, news);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await provider.update?.(id, outs, news);

    expect(await dumpXml(domain, "s1")).toContain("<description>second &lt;b&gt; &amp; more</description>");
    expect(updated?.outs).toMatchObject({ description: "second <b> & more", createdAt: outs.createdAt });
    expect(await snapshotNames(domain.name)).toEqual(["s1"]);
    // The redefined snapshot is still the domain's current one.
    expect((await virsh("snapshot-current", "--domain", domain.name, "--name")).trim()).toBe("s1");
  });

  it("reads what the host has, and a snapshot deleted behind its back as gone", async () => {
    const domain = await createTestDomain({ running: false });
    const { id, outs } = await up({ domain: domain.name, name: "s1" });
    // Someone edits the description by hand (virsh has no snapshot-desc: dumpxml, edit, redefine).
    const edited = join(domain.dir, "edited.xml");
    await writeFile(
      edited,
      (await dumpXml(domain, "s1")).replace(
        "<name>s1</name>",
        "<name>s1</name><description>edited by hand</description>",
      ),
    );
    await virsh("snapshot-create", "--domain", domain.name, "--xmlfile", edited, "--redefine");

    const read = await provider.read?.(id, outs);
    expect(read).toMatchObject({ id, props: { description: "edited by hand" } });

    await virsh("snapshot-delete", "--domain", domain.name, "--snapshotname", "s1");
    expect(await provider.read?.(id, outs)).toEqual({ id: "", props: {} });
  });

  it("adopts an existing snapshot that matches, instead of failing", async () => {
    const domain = await createTestDomain({ running: false });
    await virsh("snapshot-create-as", "--domain", domain.name, "--name", "handmade");
    const { outs } = await up({
      domain: domain.name,
      name: "handmade",
      adopt: true,
      description: "now managed",
    });

    expect(outs).toMatchObject({ adopted: true, description: "now managed" });
    expect(await snapshotNames(domain.name)).toEqual(["handmade"]);
    expect(await dumpXml(domain, "handmade")).toContain("<description>now managed</description>");
  });

  it("refuses to adopt a snapshot that differs from the program, saying how", async () => {
    const domain = await createTestDomain({ running: false });
    await virsh("snapshot-create-as", "--domain", domain.name, "--name", "handmade");
    await expect(
      up({ domain: domain.name, name: "handmade", adopt: true, disks: { vda: { mode: "external" } } }),
    ).rejects.toThrow(
      /exists but does not match the program \(disk vda is 'internal', the program asks for 'external'\)/,
    );
  });

  it("deletes snapshots until none is left, and treats a missing one as deleted", async () => {
    const domain = await createTestDomain({ running: false });
    const first = await up({ domain: domain.name, name: "a" });
    const second = await up({ domain: domain.name, name: "b" });
    await provider.delete?.(second.id, second.outs);
    await provider.delete?.(first.id, first.outs);
    expect(await snapshotNames(domain.name)).toEqual([]);
    await expect(provider.delete?.(first.id, first.outs)).resolves.toBeUndefined();
  });

  it("turns libvirt's refusal to delete an external snapshot with an internal parent into a way out", async () => {
    const domain = await createTestDomain();
    const parent = await up({ domain: domain.name, name: "inner", memory: "internal" });
    const child = await up({
      domain: domain.name,
      name: "outer",
      memory: "none",
      disks: { vda: { mode: "external" }, vdb: { mode: "exclude" } },
    });

    const error = await Promise.resolve(provider.delete?.(child.id, child.outs)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`Could not delete snapshot "outer" of domain "${domain.name}" on localhost`);
    expect(message).toContain(
      "deleting external snapshot that has internal snapshot as parent not supported",
    );
    expect(message).toContain("onDelete: 'metadata-only'");
    expect(message).toContain("retainOnDelete: true");
    expect(await snapshotNames(domain.name)).toEqual(["inner", "outer"]);

    // The way out works: metadata-only forgets it and keeps the overlay file the domain uses.
    await provider.delete?.(child.id, { ...child.outs, onDelete: "metadata-only" });
    expect(await snapshotNames(domain.name)).toEqual(["inner"]);
    expect(existsSync(child.outs.snapshotDisks.vda?.file ?? "/nonexistent")).toBe(true);
    await provider.delete?.(parent.id, { ...parent.outs, onDelete: "metadata-only" });
    expect(await snapshotNames(domain.name)).toEqual([]);
  });
});
