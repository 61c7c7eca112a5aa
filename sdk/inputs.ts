// Helpers shared by the SDK classes: Pulumi input types derived from the zod schemas, and the URI default.
import * as pulumi from "@pulumi/pulumi";
import { chooseUri } from "../provider/host/host.js";

/** Every property of T may be a plain value, a promise or a Pulumi Output. */
export type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Every property of T as a Pulumi Output. */
export type Outputs<T> = { readonly [K in keyof T]-?: pulumi.Output<T[K]> };

/**
 * The libvirt URI a resource talks to: its own `uri`, else the stack config `virtsnap:uri`,
 * else `LIBVIRT_DEFAULT_URI`, else `qemu:///system`. Resolved in the program, so the provider
 * code that Pulumi serializes never reads the environment.
 */
export function resolveUri(uri: pulumi.Input<string> | undefined): pulumi.Input<string> {
  if (uri !== undefined && uri !== "") return uri;
  return chooseUri({
    stackConfig: new pulumi.Config("virtsnap").get("uri"),
    environment: process.env.LIBVIRT_DEFAULT_URI,
  });
}
