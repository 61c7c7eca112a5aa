// The shape docs/design.md promises of the source: small files, each saying what it is for.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const FILES = [...sources("provider"), ...sources("sdk")];

describe("the source tree", () => {
  it("has its files where the layers are", () => {
    expect(FILES.length).toBeGreaterThan(100);
  });

  it("keeps every file under 300 lines, starting with a one-line comment on what it is for", () => {
    const problems = FILES.flatMap((file) => {
      const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
      const first = lines[0]?.startsWith("#!") ? lines[1] : lines[0];
      return [
        ...(lines.length > 300 ? [`${file} has ${lines.length} lines`] : []),
        ...(/^\/\/ \S/.test(first ?? "")
          ? []
          : [`${file} does not start with a comment saying what it is for`]),
      ];
    });
    expect(problems).toEqual([]);
  });

  it("keeps takeBackup, the backup transaction, a short list of phases", () => {
    const text = readFileSync(join(ROOT, "provider/backup/take-backup.ts"), "utf8");
    const start = text.indexOf("export async function takeBackup(");
    const end = text.indexOf("\n}\n", start);
    expect(start).toBeGreaterThan(0);
    expect(text.slice(start, end).split("\n").length).toBeLessThan(60);
  });
});
