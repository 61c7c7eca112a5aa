import { describe, expect, it } from "vitest";
import { LibvirtUriError, parseLibvirtUri } from "../../../provider/host/libvirt-uri.js";
import {
  knownHostsName,
  remoteCommandLine,
  type SshTarget,
  sshArgv,
  sshDestination,
  sshTargetFromUri,
} from "../../../provider/host/ssh-argv.js";

const target = (uri: string): SshTarget => sshTargetFromUri(parseLibvirtUri(uri));
const SSH = [
  "ssh",
  "-o",
  "BatchMode=yes",
  "-o",
  "StrictHostKeyChecking=yes",
  "-o",
  "ConnectTimeout=30",
  "-T",
];

describe("sshTargetFromUri", () => {
  it.each([
    [
      "qemu+ssh://root@h:2222/system?keyfile=/k&known_hosts=/kh",
      {
        host: "h",
        user: "root",
        port: 2222,
        keyFile: "/k",
        knownHostsFile: "/kh",
        hostKeyChecking: "yes",
        sshCommand: "ssh",
      },
    ],
    ["qemu+ssh://h/system", { host: "h", hostKeyChecking: "yes", sshCommand: "ssh" }],
    ["qemu+ssh:///system", { host: "localhost" }],
    ["qemu+ssh://[::1]:2222/system", { host: "::1", port: 2222 }],
    ["qemu+ssh://h/system?no_verify=1", { hostKeyChecking: "accept-new" }],
    ["qemu+ssh://h/system?no_verify=0", { hostKeyChecking: "yes" }],
    ["qemu+ssh://h/system?command=/opt/ssh/bin/ssh", { sshCommand: "/opt/ssh/bin/ssh" }],
    ["qemu+libssh2://h/system?known_hosts_verify=auto", { hostKeyChecking: "accept-new" }],
    ["qemu+libssh://h/system?known_hosts_verify=ignore", { hostKeyChecking: "accept-new" }],
    ["qemu+libssh://h/system?known_hosts_verify=normal", { hostKeyChecking: "yes" }],
    // libvirt reads no_verify only for the ssh transport and `command` only for ssh and ext.
    ["qemu+libssh2://h/system?no_verify=1&command=/x", { hostKeyChecking: "yes", sshCommand: "ssh" }],
  ])("reads %s", (uri, expected) => {
    expect(target(uri)).toMatchObject(expected);
  });

  it.each([
    ["a relative key file", "qemu+ssh://h/system?keyfile=id_ed25519", /keyFile must be an absolute path/],
    ["a key file with a space", "qemu+ssh://h/system?keyfile=/a%20b", /keyFile must be an absolute path/],
    ["a key file with %", "qemu+ssh://h/system?keyfile=/k%25h", /keyFile must be an absolute path/],
    ["a known_hosts with $", "qemu+ssh://h/system?known_hosts=/$HOME/kh", /knownHostsFile must be/],
    ["a user with a space", "qemu+ssh://a%20b@h/system", /user must be a plain user name/],
    ["a user that is an option", "qemu+ssh://-oProxyCommand=x@h/system", /user must be a plain user name/],
    ["a host that is an option", "qemu+ssh://-oProxyCommand=x/system", /host must be a host name/],
    ["a bad known_hosts_verify", "qemu+libssh://h/system?known_hosts_verify=maybe", /expected normal, auto/],
    ["a tls URI", "qemu+tls://h/system", /does not log in over ssh/],
  ])("refuses %s", (_name, uri, message) => {
    expect(() => target(uri)).toThrow(LibvirtUriError);
    expect(() => target(uri)).toThrow(message);
  });
});

describe("sshArgv", () => {
  it.each([
    [
      "every option the URI can set",
      "qemu+ssh://root@h:2222/system?keyfile=/k&known_hosts=/kh",
      [
        ...SSH,
        "-p",
        "2222",
        "-i",
        "/k",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "UserKnownHostsFile=/kh",
        "-l",
        "root",
        "--",
        "h",
        "env LC_ALL=C timeout -k 10 60 'qemu-img' 'info' '/a b'",
      ],
    ],
    [
      "nothing but the host: ~/.ssh/config decides the rest",
      "qemu+ssh://h/system",
      [...SSH, "--", "h", "env LC_ALL=C timeout -k 10 60 'qemu-img' 'info' '/a b'"],
    ],
    [
      "no_verify=1: a first key is accepted, a changed one never",
      "qemu+ssh://h/system?no_verify=1",
      [
        "ssh",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=accept-new",
        "-o",
        "ConnectTimeout=30",
        "-T",
        "--",
        "h",
        "env LC_ALL=C timeout -k 10 60 'qemu-img' 'info' '/a b'",
      ],
    ],
  ])("builds %s", (_name, uri, expected) => {
    expect(sshArgv(target(uri), ["qemu-img", "info", "/a b"], 60_000)).toEqual(expected);
  });

  it("puts the host after -- so that no host name is read as an option", () => {
    const argv = sshArgv(target("qemu+ssh://h/system"), ["true"], 60_000);
    expect(argv.at(-3)).toBe("--");
    expect(argv.at(-2)).toBe("h");
  });

  it("runs the ssh client the URI's command parameter names", () => {
    expect(sshArgv(target("qemu+ssh://h/system?command=/opt/bin/ssh"), ["true"], 60_000)[0]).toBe(
      "/opt/bin/ssh",
    );
  });
});

describe("remoteCommandLine", () => {
  it("quotes every element, sets the C locale through env and the time limit through timeout", () => {
    expect(remoteCommandLine(["printf", "%s", "a'b", "$(x)", ""], 60_000)).toBe(
      "env LC_ALL=C timeout -k 10 60 'printf' '%s' 'a'\\''b' '$(x)' ''",
    );
  });

  it.each([
    [1500, "timeout -k 10 2 "],
    [1, "timeout -k 10 1 "],
    [6 * 3600_000, "timeout -k 10 21600 "],
  ])("gives the host a limit of whole seconds for %s ms", (timeoutMs, expected) => {
    expect(remoteCommandLine(["true"], timeoutMs)).toContain(expected);
  });

  it.each([
    ["an empty argv", [], /non-empty argv/],
    ["an empty program", [""], /non-empty argv/],
    ["a program timeout would read as its option", ["-k"], /through timeout/],
  ])("refuses %s", (_name, argv, message) => {
    expect(() => remoteCommandLine(argv, 60_000)).toThrow(message);
  });
});

describe("sshDestination and knownHostsName", () => {
  it.each([
    ["qemu+ssh://root@h:2222/system", "root@h", "[h]:2222"],
    ["qemu+ssh://h/system", "h", "h"],
    ["qemu+ssh://root@h:22/system", "root@h", "h"],
  ])("name %s as %s and %s", (uri, destination, known) => {
    expect(sshDestination(target(uri))).toBe(destination);
    expect(knownHostsName(target(uri))).toBe(known);
  });
});
