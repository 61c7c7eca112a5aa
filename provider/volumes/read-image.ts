// `qemu-img info -U` of an image that a running domain, or another qemu-img, may be writing right now.
import { setTimeout as sleep } from "node:timers/promises";
import type { CommandRunner } from "../host/command-runner.js";
import { CommandError } from "../host/errors.js";
import { OutputParseError } from "../tools/parse-output.js";
import { imageInfo } from "../tools/qemu-img/commands.js";
import type { ImageInfo } from "../tools/qemu-img/image-info.js";

/** Reads of one image: the first, and this many more when a read was torn. */
const READ_ATTEMPTS = 5;

/**
 * The image's `qemu-img info --output=json -U`: it reads without taking QEMU's lock, so it works
 * while a domain runs on the image. A read that meets another process half-way through rewriting
 * the qcow2 metadata (a parallel VolumeSnapshot's `qemu-img snapshot -c`, seen on QEMU 7.2 as a
 * snapshot with an empty id) does not parse, or makes qemu-img fail: it is read again, a few
 * times, after a short pause. Classified failures (a missing file, another format) are final.
 */
export async function readImageInfo(host: CommandRunner, path: string): Promise<ImageInfo> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await imageInfo(host, path, { shareLocked: true });
    } catch (error) {
      const torn =
        error instanceof OutputParseError ||
        (error instanceof CommandError && error.constructor === CommandError);
      if (!torn || attempt >= READ_ATTEMPTS) throw error;
      await sleep(100 * attempt);
    }
  }
}
