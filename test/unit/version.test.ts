import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROVIDER_VERSION } from "../../provider/version.js";

describe("PROVIDER_VERSION", () => {
  it("is the version in package.json", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8"));
    expect(PROVIDER_VERSION).toBe(pkg.version);
  });
});
