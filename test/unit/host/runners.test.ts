import { describe, expect, it } from "vitest";
import { LibvirtUriError, UnsupportedTransportError } from "../../../provider/host/libvirt-uri.js";
import { LocalCommandRunner } from "../../../provider/host/local-command-runner.js";
import { hostRunner, virshRunner } from "../../../provider/host/runners.js";
import { SshCommandRunner } from "../../../provider/host/ssh-command-runner.js";

describe("hostRunner", () => {
  it.each(["qemu:///system", "qemu:///session", "qemu+unix:///system"])(
    "runs commands on this machine for %s",
    (uri) => {
      expect(hostRunner(uri)).toBeInstanceOf(LocalCommandRunner);
    },
  );

  it("runs commands over ssh as the URI's user on the URI's host for qemu+ssh", () => {
    const runner = hostRunner("qemu+ssh://root@backup-host:2222/system?keyfile=/k");
    expect(runner).toBeInstanceOf(SshCommandRunner);
    expect(runner.host).toBe("root@backup-host");
    expect(runner).toMatchObject({ target: { port: 2222, keyFile: "/k", hostKeyChecking: "yes" } });
  });

  it("refuses a transport that cannot carry qemu-img", () => {
    expect(() => hostRunner("qemu+tls://h/system")).toThrow(UnsupportedTransportError);
  });

  it("refuses a malformed URI", () => {
    expect(() => hostRunner("qemu+ssh://h/system?no_verify=yes")).toThrow(LibvirtUriError);
  });
});

describe("virshRunner", () => {
  it("always runs virsh on this machine: virsh connects through the URI itself", () => {
    expect(virshRunner()).toBeInstanceOf(LocalCommandRunner);
  });
});
