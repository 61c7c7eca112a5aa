import { describe, expect, it } from "vitest";
import { LocalCommandRunner } from "../../../provider/host/local-command-runner.js";
import { shellJoin, shellQuote } from "../../../provider/host/shell-quote.js";

/** Arguments a shell would mangle if they were not quoted right. */
const HOSTILE: readonly [string, string][] = [
  ["a command separator", "a;rm -rf /"],
  ["command substitution", "$(x)"],
  ["backticks", "`id`"],
  ["a variable", "$HOME \u0024{PATH}"],
  ["a relative path", "../x"],
  ["redirections", "<x> >>y 2>&1"],
  ["an option", "--help"],
  ["a leading dash", "-rf"],
  ["newlines", "line1\nline2\n"],
  ["tabs", "a\tb\t"],
  ["single quotes", "it's 'quoted'"],
  ["only a single quote", "'"],
  ["double quotes", 'say "hi"'],
  ["a backslash", "a\\b\\"],
  ["a glob", "*"],
  ["a tilde", "~"],
  ["a tilde path", "~root/x"],
  ["a bang", "!"],
  ["history expansion", "!!"],
  ["a pipe and background", "a | b &"],
  ["braces", "{a,b}"],
  ["a comment", "# not a comment"],
  ["an assignment", "A=1"],
  ["unicode", "snapshot-übung-日本語-🦀"],
  ["spaces only", "   "],
  ["the empty string", ""],
  ["a 10 KB string", `${"x'y\"z $(q) ".repeat(1024)}`.slice(0, 10 * 1024)],
];

const sh = new LocalCommandRunner();

/** Runs the quoted command line through a real `sh -c` and returns the argv the program got. */
async function roundTrip(args: readonly string[]): Promise<string[]> {
  const { stdout } = await sh.run(["sh", "-c", `printf '%s\\0' ${shellJoin(args)}`]);
  return stdout.split("\0").slice(0, -1);
}

describe("shellQuote", () => {
  it.each(HOSTILE)("gets %s back byte for byte through a real sh", async (_name, argument) => {
    expect(await roundTrip([argument])).toEqual([argument]);
  });

  it("gets every hostile argument back in order when they are joined", async () => {
    const args = HOSTILE.map(([, argument]) => argument);
    expect(await roundTrip(args)).toEqual(args);
  });

  it("keeps an argument one word even when it is a shell keyword or operator", async () => {
    expect(await roundTrip(["if", "then", "&&", ";", "fi"])).toEqual(["if", "then", "&&", ";", "fi"]);
  });

  it("writes the empty string as '' and a quote as '\\''", () => {
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("plain")).toBe("'plain'");
  });

  it("refuses a NUL byte, which no argv element can carry", () => {
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });

  it("joins with single spaces", () => {
    expect(shellJoin(["qemu-img", "info", "/a b"])).toBe("'qemu-img' 'info' '/a b'");
    expect(shellJoin([])).toBe("");
  });
});
