import { describe, expect, it } from "vitest";
import { OutputParseError } from "../../../../provider/tools/parse-output.js";
import { parseImageComparison } from "../../../../provider/tools/qemu-img/image-comparison.js";
import { exitCode, fixture } from "./fixtures.js";

function compared(name: string) {
  const code = exitCode(name);
  if (code !== 0 && code !== 1) throw new Error(`${name} exited ${code}`);
  return parseImageComparison(code, fixture(`${name}.stdout`));
}

describe("parseImageComparison", () => {
  it("reports identical images", () => {
    expect(compared("compare-identical")).toEqual({ identical: true, sizesDiffer: false });
  });

  it("reports the offset of the first difference", () => {
    expect(compared("compare-mismatch")).toEqual({
      identical: false,
      difference: "content",
      offset: 1024 * 1024,
    });
  });

  it("reports images of different sizes as identical when the extra part reads as zeros", () => {
    expect(compared("compare-size-mismatch")).toEqual({ identical: true, sizesDiffer: true });
  });

  it("reports a size difference in strict mode", () => {
    expect(compared("compare-size-mismatch-strict")).toEqual({ identical: false, difference: "size" });
  });

  it("fails with the raw text on wording it does not know", () => {
    expect(() => parseImageComparison(1, "Images differ somehow\n")).toThrow(OutputParseError);
    expect(() => parseImageComparison(0, "")).toThrow(OutputParseError);
  });
});
