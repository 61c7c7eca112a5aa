#!/usr/bin/env node
// Makes the real Pulumi CLI available to the tests and prints the directory holding it.
//
//   node scripts/ensure-pulumi.mjs [--print-path] [--source=auto|path|go|npm] [--rebuild]
//
// The directory (always named `bin`, so that its parent works as Automation API's
// `PulumiCommand.get({ root })`) contains the three executables the engine needs to run a
// Node.js program with dynamic resources:
//   pulumi                          the CLI / engine
//   pulumi-language-nodejs          the Node.js language host
//   pulumi-resource-pulumi-nodejs   the dynamic-provider plugin, shipped inside @pulumi/pulumi
// The last stdout line is the directory; with --print-path it is the only stdout output.
// Progress and the path taken go to stderr.
//
// Sources, tried in order (or only the one given by --source / $VIRTSNAP_PULUMI_SOURCE):
//   path  a `pulumi` already on $PATH, with a `pulumi-language-nodejs` on $PATH or next to it;
//   go    built from the Go module proxy through scripts/pulumi-cli (see its README.md) into
//         $VIRTSNAP_CACHE_DIR or ${XDG_CACHE_HOME:-~/.cache}/virtsnap, once per machine and
//         version, reused afterwards;
//   npm   the `pulumi` npm package, which downloads the official release from get.pulumi.com
//         (machines with internet access but without Go).
// The version is the one of the installed @pulumi/pulumi (node_modules), so CLI and SDK match.
// Only Node builtins are used: this runs before anything else is known to work.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const moduleDir = path.join(repoRoot, "scripts", "pulumi-cli");
const sdkDir = path.join(repoRoot, "node_modules", "@pulumi", "pulumi");
const EXES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];
const PROVIDER_SHIM = "pulumi-resource-pulumi-nodejs";

const args = process.argv.slice(2);
const printPathOnly = args.includes("--print-path");
const rebuild = args.includes("--rebuild");
const source =
  args.find((a) => a.startsWith("--source="))?.slice("--source=".length) ??
  process.env.VIRTSNAP_PULUMI_SOURCE ??
  "auto";

const log = (msg) => process.stderr.write(`ensure-pulumi: ${msg}\n`);

class Skip extends Error {} // "this source is not available here": try the next one

function main() {
  const version = sdkVersion();
  const cacheRoot =
    process.env.VIRTSNAP_CACHE_DIR ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "virtsnap");
  const sources = { path: fromPath, go: fromGo, npm: fromNpm };
  const order = source === "auto" ? ["path", "go", "npm"] : [source];
  if (!order.every((s) => s in sources)) {
    throw new Error(`unknown source ${JSON.stringify(source)}: use auto, path, go or npm`);
  }

  const failures = [];
  for (const name of order) {
    try {
      const { dir, how } = sources[name](version, cacheRoot);
      log(`using ${how}: ${dir}`);
      if (!printPathOnly) {
        process.stdout.write(`${how}\n`);
      }
      process.stdout.write(`${dir}\n`);
      return;
    } catch (err) {
      const why = err instanceof Skip ? err.message : `failed: ${err.message}`;
      log(`source "${name}" not used: ${why}`);
      failures.push(`  ${name}: ${why}`);
    }
  }
  throw new Error(`no Pulumi CLI ${version} could be provided:\n${failures.join("\n")}`);
}

// --- sources ------------------------------------------------------------------------------

function fromPath(version, cacheRoot) {
  const pulumi = which("pulumi");
  if (!pulumi) throw new Skip("no pulumi on $PATH");
  const real = fs.realpathSync(pulumi);
  // Our own build on $PATH (a test harness may put it there) is the "go" source's business:
  // it checks that the build is current.
  if (isInside(real, fs.existsSync(cacheRoot) ? fs.realpathSync(cacheRoot) : cacheRoot)) {
    throw new Skip(`${pulumi} is this script's own build`);
  }
  const lang = which("pulumi-language-nodejs") ?? executableIn(path.dirname(real), "pulumi-language-nodejs");
  if (!lang) throw new Skip(`${pulumi} has no pulumi-language-nodejs on $PATH or next to it`);
  const found = pulumiVersion(pulumi);
  if (!found) throw new Error(`${pulumi} version does not run`);
  if (found.replace(/^v/, "") !== version) {
    log(`warning: ${pulumi} is ${found}, @pulumi/pulumi is ${version} (use --source=go for a matching one)`);
  }
  return {
    dir: completeDir(pulumi, lang, path.join(cacheRoot, "from-path")),
    how: `pulumi ${found} from $PATH`,
  };
}

function fromGo(version, cacheRoot) {
  const go = which("go") ?? executableIn("/usr/local/go/bin", "go");
  if (!go) throw new Skip("no Go toolchain (go on $PATH or /usr/local/go/bin/go)");
  const dir = path.join(cacheRoot, `pulumi-v${version}`);
  const bin = path.join(dir, "bin");
  // The stamp covers our own inputs too, so editing the language host or go.mod rebuilds it.
  const stamp = buildStamp(version);

  const usable = () =>
    fs.existsSync(path.join(bin, "pulumi-language-nodejs")) &&
    readOr(path.join(bin, ".stamp"), "") === stamp &&
    pulumiVersion(path.join(bin, "pulumi")) === `v${version}`;

  if (!rebuild && usable()) {
    writeProviderShim(bin);
    return { dir: bin, how: `pulumi v${version} built earlier from the Go module proxy` };
  }

  fs.mkdirSync(dir, { recursive: true });
  withLock(path.join(dir, ".lock"), () => {
    if (!rebuild && usable()) return; // another process built it while we waited
    buildWithGo(go, version, dir, stamp);
  });
  writeProviderShim(bin);
  return { dir: bin, how: `pulumi v${version} built from the Go module proxy` };
}

function fromNpm(version, cacheRoot) {
  // The `pulumi` npm package installs the CLI version given in $PULUMI_VERSION into
  // ${PULUMI_HOME:-~/.pulumi}/versions/<version>/bin by running get.pulumi.com's install script
  // (that host must be reachable). Its own version need not match: it only starts with 3.250.
  const root = path.join(process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi"), "versions", version);
  const bin = path.join(root, "bin");
  if (!pulumiVersion(path.join(bin, "pulumi"))) {
    log(`installing Pulumi CLI ${version} through the "pulumi" npm package (downloads from get.pulumi.com)`);
    const started = Date.now();
    const r = spawnSync("npm", ["exec", "--yes", "--package=pulumi@latest", "--", "pulumi", "version"], {
      cwd: os.tmpdir(), // not the repo: npm must not resolve `pulumi` from our own package.json
      env: { ...process.env, PULUMI_VERSION: version, PULUMI_SKIP_UPDATE_CHECK: "true" },
      stdio: ["ignore", 2, 2],
      timeout: 15 * 60_000,
    });
    if (r.error) throw new Error(`npm exec pulumi: ${r.error.message}`);
    if (r.status !== 0) {
      throw new Error(
        `npm exec pulumi exited with ${r.status}; it needs https://get.pulumi.com reachable (see output above)`,
      );
    }
    log(`installed in ${seconds(started)}`);
  }
  const lang = executableIn(bin, "pulumi-language-nodejs");
  if (!pulumiVersion(path.join(bin, "pulumi")) || !lang) {
    throw new Error(`${bin} has no working pulumi and pulumi-language-nodejs after the install`);
  }
  return {
    dir: completeDir(path.join(bin, "pulumi"), lang, path.join(cacheRoot, "from-npm")),
    how: `official Pulumi CLI ${version} from get.pulumi.com`,
  };
}

// --- the Go build ---------------------------------------------------------------------------

function buildWithGo(go, version, dir, stamp) {
  const out = path.join(dir, `bin.tmp-${process.pid}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });

  // GOFLAGS=-mod=mod: a clean checkout builds even if go.sum lacks an entry for this platform;
  // the module cache (GOMODCACHE/GOPATH) and build cache stay Go's defaults, so CI can cache them.
  const env = {
    ...process.env,
    GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=mod`.trim(),
  };
  const modDir = moduleDirFor(go, version, env);
  try {
    const ldflags = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`;
    const goArgs = [
      "build",
      "-trimpath",
      "-buildvcs=false",
      `-ldflags=${ldflags}`,
      "-o",
      `${out}${path.sep}`,
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
      "./cmd/pulumi-language-nodejs",
    ];
    log(`building pulumi v${version} and our pulumi-language-nodejs with ${go} (cold: several minutes)`);
    log(`  (cd ${modDir} && ${go} ${goArgs.map((a) => (a.includes(" ") ? `'${a}'` : a)).join(" ")})`);
    const started = Date.now();
    const r = spawnSync(go, goArgs, { cwd: modDir, env, stdio: ["ignore", 2, 2] });
    if (r.error) throw new Error(`${go} build: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`go build exited with ${r.status} (see output above)`);
    log(`go build took ${seconds(started)}`);

    const built = pulumiVersion(path.join(out, "pulumi"));
    if (built !== `v${version}`) {
      throw new Error(`built pulumi reports ${built ?? "nothing"}, expected v${version}`);
    }
    fs.writeFileSync(path.join(out, ".stamp"), stamp);

    // Swap the new bin/ in with renames, so no reader ever sees a half-written directory.
    const bin = path.join(dir, "bin");
    const old = path.join(dir, `bin.old-${process.pid}`);
    if (fs.existsSync(bin)) fs.renameSync(bin, old);
    fs.renameSync(out, bin);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(out, { recursive: true, force: true }); // only left over if the build failed
    if (modDir !== moduleDir) fs.rmSync(modDir, { recursive: true, force: true });
  }
}

// scripts/pulumi-cli pins one Pulumi version. If @pulumi/pulumi was bumped without it, build
// from a temporary copy moved to the SDK's version rather than ship a mismatched engine.
function moduleDirFor(go, version, env) {
  const goMod = fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  if (goMod.includes(`github.com/pulumi/pulumi/pkg/v3 v${version}\n`)) return moduleDir;
  log(`warning: scripts/pulumi-cli/go.mod does not pin pulumi v${version}; building from a temporary copy.`);
  log(
    `  Fix it: cd scripts/pulumi-cli && go mod edit -require=github.com/pulumi/pulumi/pkg/v3@v${version} ` +
      `-require=github.com/pulumi/pulumi/sdk/v3@v${version} && go mod tidy`,
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "virtsnap-pulumi-cli-"));
  fs.cpSync(moduleDir, tmp, { recursive: true });
  // `go mod edit` rewrites the pins offline (the old version need not be downloadable any more);
  // `go mod tidy` then resolves the new graph.
  for (const step of [
    [
      "mod",
      "edit",
      `-require=github.com/pulumi/pulumi/pkg/v3@v${version}`,
      `-require=github.com/pulumi/pulumi/sdk/v3@v${version}`,
    ],
    ["mod", "tidy"],
  ]) {
    const r = spawnSync(go, step, { cwd: tmp, env, stdio: ["ignore", 2, 2] });
    if (r.status !== 0) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`go ${step.join(" ")} exited with ${r.status ?? r.error?.message}`);
    }
  }
  return tmp;
}

function buildStamp(version) {
  const hash = createHash("sha256").update(`pulumi v${version}\n`);
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(go|mod|sum)$/.test(e.name)) files.push(p);
    }
  };
  walk(moduleDir);
  for (const f of files.sort()) hash.update(`${path.relative(moduleDir, f)}\n`).update(fs.readFileSync(f));
  return `${hash.digest("hex")}\n`;
}

// --- helpers --------------------------------------------------------------------------------

// The dynamic-provider plugin: a wrapper exec'ing the script @pulumi/pulumi ships (it resolves
// @pulumi/pulumi/cmd/dynamic-provider from its working directory, the program's directory).
// A wrapper rather than a symlink: the engine resolves symlinks of plugins found on $PATH and
// warns when the result is not the copy next to `pulumi`. Rewritten on every run, because the
// checkout it points into may have moved.
function writeProviderShim(bin) {
  const target = path.join(sdkDir, PROVIDER_SHIM);
  if (!fs.existsSync(target)) throw new Error(`${target} is missing: run npm install`);
  const content = `#!/bin/sh\n# Written by virtsnap's scripts/ensure-pulumi.mjs.\nexec "${target}" "$@"\n`;
  const dest = path.join(bin, PROVIDER_SHIM);
  if (readOr(dest, null) === content) return;
  const tmp = `${dest}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content, { mode: 0o755 });
  fs.renameSync(tmp, dest);
}

// A dir named `bin` holding all three executables: the one holding `pulumi` if it qualifies,
// else a directory with copies of `pulumi` and the language host plus our dynamic-provider
// wrapper. Copies, not symlinks: the engine looks for bundled plugins next to its own resolved
// executable and warns about every plugin it finds on $PATH somewhere else.
function completeDir(pulumi, lang, shimRoot) {
  const own = path.dirname(pulumi);
  if (path.basename(own) === "bin" && EXES.every((e) => executableIn(own, e))) return own;
  const bin = path.join(shimRoot, "bin");
  fs.mkdirSync(bin, { recursive: true });
  for (const [name, source] of [
    ["pulumi", pulumi],
    ["pulumi-language-nodejs", lang],
  ]) {
    const dest = path.join(bin, name);
    const from = fs.statSync(source);
    const to = fs.existsSync(dest) ? fs.statSync(dest) : null;
    if (to && to.size === from.size && to.mtimeMs >= from.mtimeMs) continue;
    const tmp = `${dest}.tmp-${process.pid}`;
    fs.copyFileSync(source, tmp, fs.constants.COPYFILE_FICLONE);
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, dest);
  }
  writeProviderShim(bin);
  return bin;
}

function sdkVersion() {
  const pkgJson = path.join(sdkDir, "package.json");
  if (!fs.existsSync(pkgJson)) throw new Error(`${pkgJson} not found: run npm install first`);
  return JSON.parse(fs.readFileSync(pkgJson, "utf8")).version;
}

// `pulumi version` output ("v3.248.0"), or null if the binary is missing or does not run.
function pulumiVersion(bin) {
  if (!fs.existsSync(bin)) return null;
  const r = spawnSync(bin, ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    timeout: 60_000,
  });
  return r.status === 0 ? r.stdout.trim() : null;
}

function isInside(file, dir) {
  const rel = path.relative(path.resolve(dir), file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

function which(name) {
  for (const d of (process.env.PATH ?? "").split(path.delimiter)) {
    const found = d && executableIn(d, name);
    if (found) return found;
  }
  return null;
}

function executableIn(dir, name) {
  const p = path.join(dir, name);
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile() ? p : null;
  } catch {
    return null;
  }
}

// A directory lock, so parallel test workers or CI jobs on one machine build only once. A lock
// left by a dead process (same host) is taken over.
function withLock(lockDir, fn) {
  const started = Date.now();
  let lastNote = 0;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, "owner"), `${os.hostname()} ${process.pid}\n`);
      break;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      const [host, pid] = readOr(path.join(lockDir, "owner"), "").trim().split(" ");
      if (host === os.hostname() && pid && !alive(Number(pid))) {
        log(`removing stale lock of dead process ${pid}`);
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > 60 * 60_000) throw new Error(`timed out waiting for ${lockDir}`);
      if (Date.now() - lastNote > 30_000) {
        log(`waiting for another build (lock ${lockDir}, owner ${host ?? "?"} ${pid ?? "?"})`);
        lastNote = Date.now();
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

try {
  main();
} catch (err) {
  log(`error: ${err.message}`);
  process.exit(1);
}
