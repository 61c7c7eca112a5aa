import { describe, expect, it } from "vitest";
import { CommandError, CommandTimeoutError, ProgramNotFoundError } from "../../../provider/host/errors.js";
import { LocalCommandRunner } from "../../../provider/host/local-command-runner.js";
import { silentLog } from "../../../provider/host/log.js";

describe("LocalCommandRunner", () => {
  const runner = new LocalCommandRunner();

  it("returns stdout and exit code 0 when the program succeeds", async () => {
    const result = await runner.run(["printf", "%s|%s", "a b", "$(x)"]);
    expect(result).toMatchObject({ exitCode: 0, stdout: "a b|$(x)" });
  });

  it("passes each argv element verbatim, with no shell in between", async () => {
    const hostile = "a;rm -rf /tmp/nothing `id` $HOME 'q' \"d\"";
    const result = await runner.run(["printf", "%s", hostile]);
    expect(result.stdout).toBe(hostile);
  });

  it("runs in the C locale so that tool messages are untranslated", async () => {
    const result = await runner.run(["sh", "-c", 'printf "%s" "$LC_ALL"']);
    expect(result.stdout).toBe("C");
  });

  it("feeds input to stdin and closes stdin otherwise", async () => {
    expect((await runner.run(["cat"], { input: "<xml/>" })).stdout).toBe("<xml/>");
    expect((await runner.run(["cat"])).stdout).toBe("");
  });

  it("hands stdout to onStdout as it arrives and still returns all of it", async () => {
    const chunks: string[] = [];
    const result = await runner.run(
      ["sh", "-c", "printf '(10/100%%)\\r'; sleep 0.2; printf '(100/100%%)\\r'"],
      {
        onStdout: (chunk) => chunks.push(chunk),
      },
    );
    expect(chunks.join("")).toBe("(10/100%)\r(100/100%)\r");
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toBe("(10/100%)\r(100/100%)\r");
  });

  it("throws a CommandError with argv, exit code, stdout and stderr when the program fails", async () => {
    const error = await runner.run(["sh", "-c", "echo out; echo 'error: boom' >&2; exit 3"]).catch((e) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toMatchObject({
      argv: ["sh", "-c", "echo out; echo 'error: boom' >&2; exit 3"],
      exitCode: 3,
      stdout: "out\n",
      stderr: "error: boom\n",
      host: "localhost",
    });
    expect(error.message).toContain("error: boom");
  });

  it("names the Debian package when the program is missing", async () => {
    const error = await new LocalCommandRunner().run(["virsh-does-not-exist"]).catch((e) => e);
    expect(error).toBeInstanceOf(ProgramNotFoundError);
    expect(error.message).toMatch(/virsh-does-not-exist is not installed on localhost/);
  });

  it("names the package for a known program", () => {
    const error = new ProgramNotFoundError(
      { argv: ["qemu-img"], exitCode: undefined, stdout: "", stderr: "", host: "localhost" },
      "qemu-img",
      "qemu-utils",
    );
    expect(error.message).toBe(
      "qemu-img is not installed on localhost: install it with `apt-get install qemu-utils` (Debian/Ubuntu)",
    );
  });

  it("kills the program and says so when it runs past its timeout", async () => {
    const started = Date.now();
    const error = await runner.run(["sleep", "5"], { timeoutMs: 200 }).catch((e) => e);
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error.message).toMatch(/did not finish within 0 s|did not finish within/);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("logs every run at debug level: argv, host, duration and exit code, failed or not", async () => {
    const lines: string[] = [];
    const logged = new LocalCommandRunner({ log: { ...silentLog, debug: (line) => lines.push(line) } });
    await logged.run(["true"]);
    await logged.run(["sh", "-c", "exit 3"]).catch(() => undefined);
    expect(lines).toEqual([
      expect.stringMatching(/^ran on localhost in \d+ ms, exit 0: \["true"\]$/),
      expect.stringMatching(/^ran on localhost in \d+ ms, exit 3: \["sh","-c","exit 3"\]$/),
    ]);
  });
});
