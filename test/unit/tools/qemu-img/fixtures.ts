// The real qemu-img 7.2 output saved by scripts/capture-qemu-img-fixtures.sh, and where it was captured.
import type { CommandError } from "../../../../provider/host/errors.js";
import { capturedExitCode, capturedFailure, optionalFixture } from "../../../support/fixtures.js";

/** The directory the capture script made its images in, as the fixtures name it. */
export const CAPTURE_DIR = "/var/lib/libvirt/images/virtsnap-qemu-img-fixtures";

/** A captured stream (`info-qcow2.stdout`), or "" when the command printed nothing there. */
export const fixture = (file: string): string => optionalFixture("qemu-img", file);

/** The exit code the capture recorded (files exist only for non-zero codes). */
export const exitCode = (name: string): number => capturedExitCode("qemu-img", name);

/** A CommandError as a runner would throw it for this captured run. */
export const failureFrom = (name: string, argv: readonly string[]): CommandError =>
  capturedFailure("qemu-img", name, argv);
