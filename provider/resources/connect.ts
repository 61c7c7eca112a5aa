// The host a resource hook works on: its URI opened once per hook call, reporting through Pulumi's log.
import { openHost } from "../host/host.js";
import { type HostTools, toolsFor } from "../tools/host-tools.js";
import { providerLog } from "./provider-log.js";

/** virsh, qemu-img and file operations on the host `uri` names. */
export function connect(uri: string): HostTools {
  return toolsFor(openHost(uri, { log: providerLog() }));
}
