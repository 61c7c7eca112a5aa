import { describe, expect, it } from "vitest";
import { chooseUri, openHost } from "../../../provider/host/host.js";
import { LibvirtUriError, UnsupportedTransportError } from "../../../provider/host/libvirt-uri.js";
import { LocalCommandRunner } from "../../../provider/host/local-command-runner.js";
import { SshCommandRunner } from "../../../provider/host/ssh-command-runner.js";
import { RecordingCommandRunner } from "../../support/recording-command-runner.js";

describe("openHost", () => {
  it.each(["qemu:///system", "qemu:///session", "qemu+unix:///system"])(
    "runs commands on this machine for %s",
    (uri) => {
      const host = openHost(uri);
      expect(host.shell).toBeInstanceOf(LocalCommandRunner);
      expect(host.name).toBe("localhost");
    },
  );

  it("runs commands over ssh as the URI's user on the URI's host for qemu+ssh", () => {
    const host = openHost("qemu+ssh://root@backup-host:2222/system?keyfile=/k");
    expect(host.shell).toBeInstanceOf(SshCommandRunner);
    expect(host.shell.host).toBe("root@backup-host");
    expect(host.name).toBe("root@backup-host");
    expect(host.shell).toMatchObject({ target: { port: 2222, keyFile: "/k", hostKeyChecking: "yes" } });
  });

  it("refuses to run anything on the host of a transport that cannot carry qemu-img, and ran nothing", async () => {
    const runner = new RecordingCommandRunner();
    const host = openHost("qemu+tls://h/system", { local: runner });
    expect(host.name).toBe("h");
    await expect(host.shell.run(["qemu-img", "info", "/x"])).rejects.toThrow(UnsupportedTransportError);
    expect(runner.runs).toEqual([]);
  });

  it("refuses a URI it cannot take apart", () => {
    expect(() => openHost("default")).toThrow(LibvirtUriError);
    expect(() => openHost("qemu+foo://h/system")).toThrow(LibvirtUriError);
  });

  it("leaves an ssh URI our ssh login cannot take to virsh, and refuses to run anything else through it", async () => {
    const runner = new RecordingCommandRunner();
    const host = openHost("qemu+ssh://h/system?no_verify=yes", { local: runner });
    await expect(host.shell.run(["qemu-img", "info", "/x"])).rejects.toThrow(
      /no_verify=yes is not an integer/,
    );
    expect(runner.runs).toEqual([]);
  });

  it("always runs virsh on this machine: virsh connects through the URI itself", () => {
    expect(openHost("qemu+ssh://root@backup-host/system").virshRunner).toBeInstanceOf(LocalCommandRunner);
  });
});

describe("chooseUri", () => {
  it.each([
    [
      "the URI given",
      {
        given: "qemu+ssh://a/system",
        stackConfig: "qemu+ssh://b/system",
        environment: "qemu+ssh://c/system",
      },
      "qemu+ssh://a/system",
    ],
    [
      "the stack config next",
      { stackConfig: "qemu+ssh://b/system", environment: "qemu+ssh://c/system" },
      "qemu+ssh://b/system",
    ],
    ["LIBVIRT_DEFAULT_URI next", { environment: "qemu+ssh://c/system" }, "qemu+ssh://c/system"],
    ["qemu:///system last", {}, "qemu:///system"],
    ["empty strings as not given", { given: "", stackConfig: "", environment: "" }, "qemu:///system"],
  ])("takes %s", (_what, choices, expected) => {
    expect(chooseUri(choices)).toBe(expected);
  });
});
