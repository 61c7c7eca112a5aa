#!/usr/bin/env node
// `npm run demo`: the quick start end to end on this machine, with a throwaway VM.
// Sets up the host (packages, libvirtd, the Pulumi CLI), takes a snapshot of a new VM with
// `pulumi up` of examples/quickstart, shows it in `virsh snapshot-list`, then `pulumi destroy`
// and removes the VM, its files and the stack. Only Node builtins: it runs before npm ci.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const uri = "qemu:///system";
const vm = `virtsnap-demo-${randomBytes(3).toString("hex")}`;
const vmDir = path.join("/var/lib/libvirt/images", vm);
const work = mkdtempSync(path.join(tmpdir(), "virtsnap-demo-"));
const project = path.join(work, "quickstart");
const backend = path.join(work, "state");
const STEPS = 9;
let stepNumber = 0;
let pulumiEnv;

const step = (title) => console.log(`\n[${++stepNumber}/${STEPS}] ${title}`);

/** Runs a command with its output shown; throws when it fails. */
function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed${result.error ? `: ${result.error.message}` : ""}`);
  }
}

/** Runs a command and returns its stdout (stderr shown). */
function capture(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    ...options,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed`);
  return result.stdout;
}

const virsh = (...args) => run("virsh", ["--connect", uri, ...args]);

function cleanUp() {
  step("cleaning up: VM, files, stack");
  if (pulumiEnv && existsSync(path.join(project, "node_modules"))) {
    spawnSync("pulumi", ["destroy", "--yes", "--stack", "demo", "--non-interactive"], {
      cwd: project,
      env: pulumiEnv,
      stdio: "ignore",
    });
    spawnSync("pulumi", ["stack", "rm", "--yes", "--force", "demo"], {
      cwd: project,
      env: pulumiEnv,
      stdio: "ignore",
    });
  }
  spawnSync("virsh", ["--connect", uri, "destroy", vm], { stdio: "ignore" });
  spawnSync("virsh", ["--connect", uri, "undefine", vm, "--snapshots-metadata", "--checkpoints-metadata"], {
    stdio: "ignore",
  });
  rmSync(vmDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  const left =
    spawnSync("virsh", ["--connect", uri, "list", "--all", "--name"], { encoding: "utf8" }).stdout ?? "";
  console.log(left.includes(vm) ? `warning: ${vm} is still defined` : `removed ${vm}, ${vmDir} and ${work}`);
}

function main() {
  step("libvirt host: Debian packages, virtlogd, libvirtd");
  run(path.join(root, "scripts/setup-host.sh"), []);

  step("npm packages");
  if (!existsSync(path.join(root, "node_modules", ".package-lock.json"))) {
    run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root });
  } else {
    console.log("node_modules present");
  }

  step("Pulumi CLI (built from the Go module proxy once per machine; the first build takes minutes)");
  const pulumiBin = capture(process.execPath, [path.join(root, "scripts/ensure-pulumi.mjs"), "--print-path"])
    .trim()
    .split("\n")
    .at(-1);
  mkdirSync(backend, { recursive: true });
  pulumiEnv = {
    ...process.env,
    PATH: `${pulumiBin}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "virtsnap-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_HOME: path.join(work, "pulumi-home"),
  };
  run("pulumi", ["version"], { env: pulumiEnv });

  step("the quick start project, with virtsnap installed from its packed tarball");
  run("npm", ["pack", "--pack-destination", work, "--silent"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = path.join(
    work,
    readdirSync(work).find((name) => name.endsWith(".tgz")),
  );
  cpSync(path.join(root, "examples/quickstart"), project, { recursive: true });
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--install-links", tarball], {
    cwd: project,
  });

  step(`a throwaway VM: ${vm} (TCG, two empty 64 MiB qcow2 disks, no OS)`);
  mkdirSync(vmDir, { recursive: true });
  const disks = ["vda", "vdb"].map((target) => ({ target, file: path.join(vmDir, `${target}.qcow2`) }));
  for (const disk of disks) run("qemu-img", ["create", "-q", "-f", "qcow2", disk.file, "64M"]);
  const xml = `<domain type='qemu'>
  <name>${vm}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
${disks
  .map(
    (disk) => `    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${disk.file}'/>
      <target dev='${disk.target}' bus='virtio'/>
    </disk>`,
  )
  .join("\n")}
  </devices>
</domain>
`;
  writeFileSync(path.join(vmDir, "domain.xml"), xml);
  virsh("define", path.join(vmDir, "domain.xml"));
  virsh("start", vm);

  step("pulumi up: the snapshot is declared in examples/quickstart/index.ts");
  const pulumi = (...args) => run("pulumi", args, { cwd: project, env: pulumiEnv });
  pulumi("stack", "init", "demo", "--non-interactive");
  pulumi("config", "set", "domain", vm);
  pulumi("up", "--yes", "--non-interactive", "--skip-preview");

  step(`the snapshot on the host: virsh snapshot-list ${vm}`);
  virsh("snapshot-list", vm, "--parent");

  step("pulumi destroy: the snapshot is deleted again");
  pulumi("destroy", "--yes", "--non-interactive", "--skip-preview");
  virsh("snapshot-list", vm);
}

let failed = false;
try {
  main();
} catch (error) {
  failed = true;
  console.error(`\ndemo failed: ${error.message}`);
} finally {
  stepNumber = STEPS - 1;
  cleanUp();
}
console.log(
  failed ? "\ndemo: FAILED (see above)" : "\ndemo: done. Next: `npm test` runs the whole test suite.",
);
process.exit(failed ? 1 : 0);
