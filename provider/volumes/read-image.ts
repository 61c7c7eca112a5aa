// `qemu-img info -U` of an image that a running domain, or another qemu-img, may be writing right now.
import { setTimeout as sleep } from "node:timers/promises";
import { CommandError } from "../host/errors.js";
import { OutputParseError } from "../tools/parse-output.js";
import type { ImageInfo } from "../tools/qemu-img/image-info.js";
import type { QemuImgClient } from "../tools/qemu-img/qemu-img-client.js";

/** Reads of one image: the first, and this many more when a read was torn. */
const READ_ATTEMPTS = 5;

/**
 * The image's `qemu-img info --output=json -U`: it reads without taking QEMU's lock, so it works
 * while a domain runs on the image. A read that meets another process half-way through rewriting
 * the qcow2 metadata (a parallel VolumeSnapshot's `qemu-img snapshot -c`, seen on QEMU 7.2 as a
 * snapshot with an empty id) does not parse, or makes qemu-img fail: it is read again, a few
 * times, after a short pause. Classified failures (a missing file, another format) are final.
 */
export async function readImageInfo(qemuImg: QemuImgClient, path: string): Promise<ImageInfo> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await qemuImg.info(path, { shareLocked: true });
    } catch (error) {
      const torn = error instanceof OutputParseError || (error instanceof CommandError && error.unclassified);
      if (!torn || attempt >= READ_ATTEMPTS) throw error;
      await sleep(100 * attempt);
    }
  }
}
