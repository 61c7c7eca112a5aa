// Progress from inside a dynamic provider, through Pulumi's log (shown with the update's diagnostics).
import * as pulumi from "@pulumi/pulumi";
import { lineProgress, type ProgressSink } from "../backup/progress.js";

/** Step messages and progress every 10 %, as `virtsnap: ...` lines in Pulumi's output. */
export function providerProgress(): ProgressSink {
  return lineProgress((line) => {
    void pulumi.log.info(`virtsnap: ${line}`);
  });
}
