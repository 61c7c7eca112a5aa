// Before the lifecycle tests: the real Pulumi CLI, and a project that installs virtsnap from its packed tarball.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { installProject, packTarball } from "./install.js";

const ROOT = resolve(__dirname, "../..");

declare module "vitest" {
  export interface ProvidedContext {
    /** Directory with pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs. */
    pulumiBin: string;
    /** The lifecycle program, with virtsnap installed from the tarball. */
    lifecycleProject: string;
    /** The packed virtsnap tarball. */
    tarball: string;
  }
}

export default function setup(project: TestProject): () => void {
  const pulumiBin = ensurePulumi();
  const version = execFileSync(join(pulumiBin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  console.log(`lifecycle tests: real Pulumi CLI ${version} from ${pulumiBin}`);

  const scratch = mkdtempSync(join(tmpdir(), "virtsnap-lifecycle-"));
  const tarball = packTarball(scratch);
  const lifecycleProject = join(scratch, "program");
  cpSync(join(ROOT, "test/lifecycle/program"), lifecycleProject, { recursive: true });
  installProject(lifecycleProject, tarball);

  project.provide("pulumiBin", pulumiBin);
  project.provide("lifecycleProject", lifecycleProject);
  project.provide("tarball", tarball);
  return () => rmSync(scratch, { recursive: true, force: true });
}

function ensurePulumi(): string {
  const out = execFileSync(process.execPath, [join(ROOT, "scripts/ensure-pulumi.mjs"), "--print-path"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const dir = out.trim().split("\n").at(-1);
  if (!dir) throw new Error("scripts/ensure-pulumi.mjs printed no directory");
  return dir;
}
