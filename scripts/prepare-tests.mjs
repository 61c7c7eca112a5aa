#!/usr/bin/env node
// Runs before `npm test`: what a fresh machine lacks for the tests is installed or started here.
// npm packages (npm ci when node_modules is missing), the libvirt host (scripts/setup-host.sh),
// and the real Pulumi CLI (scripts/ensure-pulumi.mjs, built once per machine).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function step(title, command, args) {
  console.log(`prepare-tests: ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`prepare-tests: ${title} failed (${command} ${args.join(" ")})`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(path.join(root, "node_modules", ".package-lock.json"))) {
  step("installing npm packages (npm ci)", "npm", ["ci", "--no-audit", "--no-fund"]);
}
step("libvirt host", path.join(root, "scripts", "setup-host.sh"), []);
step("Pulumi CLI", process.execPath, [path.join(root, "scripts", "ensure-pulumi.mjs")]);
