import { describe, expect, it } from "vitest";
import type { CommandRunner } from "../../../provider/host/command-runner.js";
import { OutputParseError } from "../../../provider/tools/parse-output.js";
import { ImageNotFoundError } from "../../../provider/tools/qemu-img/errors.js";
import { QemuImgClient } from "../../../provider/tools/qemu-img/qemu-img-client.js";
import { readImageInfo } from "../../../provider/volumes/read-image.js";
import { RecordingCommandRunner, type ScriptedAnswer } from "../../support/recording-command-runner.js";
import { fixture } from "./volume-host-script.js";

const IMAGE = "/var/lib/libvirt/images/golden.qcow2";
const GOOD = fixture("qemu-img", "info-snapshots.stdout");
/** What QEMU 7.2 printed when it read the image while another qemu-img wrote its snapshot table. */
const TORN = GOOD.replace('"id": "1"', '"id": ""');

/** A host whose `qemu-img info` answers `answers` in turn; counts the runs. */
function host(answers: ScriptedAnswer[]): CommandRunner & { runs: number } {
  const runner = {
    host: "localhost",
    runs: 0,
    run(argv: readonly string[]) {
      runner.runs++;
      const answer = answers.shift() ?? { exitCode: 1, stderr: "no more answers" };
      return new RecordingCommandRunner([{ match: () => true, answer }]).run(argv);
    },
  };
  return runner;
}

describe("readImageInfo", () => {
  it("reads with -U, so a running domain's image can be read", async () => {
    const recorder = new RecordingCommandRunner([{ match: () => true, answer: { stdout: GOOD } }]);
    await readImageInfo(new QemuImgClient(recorder), IMAGE);
    expect(recorder.runs[0]?.argv).toEqual(["qemu-img", "info", "--output=json", "-U", IMAGE]);
  });

  it("reads again when a read was torn by a concurrent metadata write", async () => {
    const runner = host([
      { stdout: TORN },
      { exitCode: 1, stderr: "qemu-img: Could not read snapshots: Invalid argument\n" },
      { stdout: GOOD },
    ]);
    expect(
      (await readImageInfo(new QemuImgClient(runner), IMAGE)).snapshots.map((snapshot) => snapshot.id),
    ).toEqual(["1", "2"]);
    expect(runner.runs).toBe(3);
  });

  it("gives up with the parse error when every read is torn", async () => {
    const runner = host(Array.from({ length: 10 }, () => ({ stdout: TORN })));
    await expect(readImageInfo(new QemuImgClient(runner), IMAGE)).rejects.toBeInstanceOf(OutputParseError);
    expect(runner.runs).toBe(5);
  });

  it("does not read again a missing image", async () => {
    const runner = host([{ exitCode: 1, stderr: fixture("qemu-img", "info-not-found.stderr") }]);
    await expect(readImageInfo(new QemuImgClient(runner), IMAGE)).rejects.toBeInstanceOf(ImageNotFoundError);
    expect(runner.runs).toBe(1);
  });
});
