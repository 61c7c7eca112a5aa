import { describe, expect, it } from "vitest";
import { ProgressReader, parseProgress } from "../../../../provider/tools/qemu-img/convert-progress.js";
import { fixture } from "./fixtures.js";

const STDOUT = fixture("convert-progress.stdout");
const STEPS = [
  0, 6.25, 12.5, 18.75, 25, 31.25, 37.5, 43.75, 50, 56.25, 62.5, 68.75, 75, 81.25, 87.5, 93.75, 100,
];

describe("parseProgress", () => {
  it("reads every step of real convert -p output, separated by carriage returns", () => {
    expect(STDOUT).toContain("\r");
    expect(parseProgress(STDOUT)).toEqual([...STEPS, 100]);
  });
});

describe("ProgressReader", () => {
  it("reports each new percentage once when the output arrives whole", () => {
    const seen: number[] = [];
    new ProgressReader((percent) => seen.push(percent)).push(STDOUT);
    expect(seen).toEqual(STEPS);
  });

  it("reports the same steps when the output arrives in pieces split anywhere", () => {
    const seen: number[] = [];
    const reader = new ProgressReader((percent) => seen.push(percent));
    for (let at = 0; at < STDOUT.length; at += 3) reader.push(STDOUT.slice(at, at + 3));
    expect(seen).toEqual(STEPS);
  });

  it("does not repeat steps when the whole output is pushed again after streaming", () => {
    const seen: number[] = [];
    const reader = new ProgressReader((percent) => seen.push(percent));
    reader.push(STDOUT);
    reader.push(STDOUT);
    expect(seen).toEqual(STEPS);
  });
});
