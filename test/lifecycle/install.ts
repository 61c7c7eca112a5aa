// Installs virtsnap into Pulumi projects the way users get it: packed, then installed as a real copy.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
    .version;

/** `npm pack` of this repository (prepack builds dist/), as a user's registry install would get it. */
export function packTarball(destination: string): string {
  execFileSync("npm", ["pack", "--pack-destination", destination, "--silent"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const name = readdirSync(destination).find((file) => file.startsWith("virtsnap-") && file.endsWith(".tgz"));
  if (!name) throw new Error(`npm pack left no virtsnap tarball in ${destination}`);
  return join(destination, name);
}

/**
 * Installs a copy of an example project the way a user would, with virtsnap from the tarball
 * instead of the registry (as a real copy: `--install-links`).
 */
export function installExample(example: string, destination: string, tarball: string): void {
  cpSync(join(ROOT, "examples", example), destination, { recursive: true });
  execFileSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--loglevel=error", "--install-links", tarball],
    {
      cwd: destination,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
}

/**
 * A Pulumi project's package.json depending on the tarball (installed as a real copy: a
 * linked package would be serialized by value and break, docs/design.md), @pulumi/pulumi at our
 * development version and TypeScript (the program is type-checked against virtsnap's .d.ts).
 */
export function installProject(dir: string, tarball: string): void {
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify(
      {
        name: "virtsnap-test-project",
        private: true,
        dependencies: {
          "@pulumi/pulumi": versionOf("@pulumi/pulumi"),
          virtsnap: `file:${tarball}`,
          typescript: versionOf("typescript"),
        },
      },
      null,
      2,
    )}\n`,
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--install-links"], {
    cwd: dir,
    stdio: ["ignore", "inherit", "inherit"],
  });
}
