// Drives a Pulumi program through the real CLI (Automation API) with a local file backend.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  type EngineEvent,
  LocalWorkspace,
  type OpType,
  PulumiCommand,
  type Stack,
} from "@pulumi/pulumi/automation";
import { inject } from "vitest";

export interface TestStack {
  readonly stack: Stack;
  /** Removes the stack's state and backend directory (after destroy). */
  remove(): Promise<void>;
}

/** A new stack of the Pulumi project in `workDir`, with its own file:// backend and passphrase. */
export async function newStack(workDir: string, config: Record<string, string> = {}): Promise<TestStack> {
  const pulumiBin = inject("pulumiBin");
  const backend = mkdtempSync(join(tmpdir(), "virtsnap-backend-"));
  const pulumiCommand = await PulumiCommand.get({ root: dirname(pulumiBin) });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: `t${randomBytes(4).toString("hex")}`, workDir },
    {
      pulumiCommand,
      envVars: {
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "virtsnap-tests",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_HOME: join(backend, ".pulumi-home"),
        PATH: `${pulumiBin}:${process.env.PATH}`,
      },
    },
  );
  for (const [key, value] of Object.entries(config)) await stack.setConfig(key, { value });
  return {
    stack,
    async remove() {
      await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
      rmSync(backend, { recursive: true, force: true });
    },
  };
}

/** What `pulumi preview` says it would do to each resource, by resource name, "same" left out. */
export async function previewOps(stack: Stack): Promise<Record<string, OpType>> {
  const ops: Record<string, OpType> = {};
  await stack.preview({
    onEvent: (event: EngineEvent) => {
      const metadata = event.resourcePreEvent?.metadata;
      if (!metadata || metadata.op === "same" || !metadata.type.startsWith("pulumi-nodejs:dynamic")) return;
      ops[metadata.urn.split("::").at(-1) ?? metadata.urn] = metadata.op;
    },
  });
  return ops;
}

/** The resources in the stack's state, by name, with their outputs. */
export async function stateResources(stack: Stack): Promise<Record<string, Record<string, unknown>>> {
  const deployment = (await stack.exportStack()).deployment as {
    resources?: { urn: string; type: string; outputs?: Record<string, unknown> }[];
  };
  return Object.fromEntries(
    (deployment.resources ?? [])
      .filter((resource) => resource.type.startsWith("pulumi-nodejs:dynamic"))
      .map((resource) => [resource.urn.split("::").at(-1), resource.outputs ?? {}]),
  );
}

/** Runs the `virtsnap` command installed in the project (from the tarball), as a user would. */
export async function virtsnapCli(
  project: string,
  ...args: string[]
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const bin = join(project, "node_modules", ".bin", "virtsnap");
  const result = spawnSync(bin, args, { encoding: "utf8", timeout: 600_000 });
  return { exitCode: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** A resource the lifecycle program declares: its name, args and resource options. */
export interface ResourceSpec {
  resource: string;
  args: Record<string, unknown>;
  protect?: boolean;
  retainOnDelete?: boolean;
}

/** Sets what the lifecycle program declares in one config section (`snapshots`, `backupChains`, ...). */
export async function declare(stack: Stack, section: string, specs: readonly ResourceSpec[]): Promise<void> {
  await stack.setConfig(section, { value: JSON.stringify(specs) });
}
