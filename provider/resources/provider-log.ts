// Progress from inside a dynamic provider, through Pulumi's log (shown with the update's diagnostics).
import * as pulumi from "@pulumi/pulumi";
import { type Log, lineLog } from "../host/log.js";

/**
 * Step messages and progress every 10 % as `virtsnap: ...` lines in Pulumi's output; every
 * command run (argv, host, duration, exit code) at debug level (`pulumi up --debug`).
 */
export function providerLog(): Log {
  return lineLog(
    (line) => {
      void pulumi.log.info(`virtsnap: ${line}`);
    },
    {
      writeDebug: (line) => {
        void pulumi.log.debug(`virtsnap: ${line}`);
      },
    },
  );
}
