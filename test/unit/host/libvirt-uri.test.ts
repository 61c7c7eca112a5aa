import { describe, expect, it } from "vitest";
import {
  booleanParam,
  commandTransport,
  LibvirtUriError,
  parseLibvirtUri,
  UnsupportedTransportError,
} from "../../../provider/host/libvirt-uri.js";

describe("parseLibvirtUri", () => {
  it.each([
    ["qemu:///system", { driver: "qemu", transport: "local", path: "/system", params: {} }],
    ["qemu:///session", { driver: "qemu", transport: "local", path: "/session", params: {} }],
    ["test:///default", { driver: "test", transport: "local", path: "/default", params: {} }],
    [
      "qemu+ssh://root@h:2222/system?keyfile=/k&known_hosts=/kh",
      {
        driver: "qemu",
        transport: "ssh",
        user: "root",
        host: "h",
        port: 2222,
        path: "/system",
        params: { keyfile: "/k", known_hosts: "/kh" },
      },
    ],
    ["qemu+ssh://h/system", { driver: "qemu", transport: "ssh", host: "h", path: "/system", params: {} }],
    [
      "qemu+ssh://admin@[2001:db8::1]:22/system",
      { transport: "ssh", user: "admin", host: "2001:db8::1", port: 22, path: "/system" },
    ],
    ["qemu+libssh2://u@h/system", { transport: "libssh2", user: "u", host: "h" }],
    ["qemu+libssh://u@h/system", { transport: "libssh", user: "u", host: "h" }],
    ["qemu://h/system", { transport: "tls", host: "h", path: "/system" }],
    ["qemu+tls://h/system", { transport: "tls", host: "h" }],
    ["qemu+tcp://h:16509/system", { transport: "tcp", host: "h", port: 16509 }],
    [
      "qemu+unix:///system?socket=/run/x.sock",
      { transport: "unix", path: "/system", params: { socket: "/run/x.sock" } },
    ],
    ["qemu+ext:///system?command=/bin/x", { transport: "ext", params: { command: "/bin/x" } }],
    ["QEMU+SSH://H/system", { driver: "qemu", transport: "ssh", host: "H" }],
    ["qemu+ssh://h", { transport: "ssh", host: "h", path: "" }],
  ])("takes %s apart", (uri, expected) => {
    expect(parseLibvirtUri(uri)).toMatchObject({ uri, ...expected });
  });

  it("leaves out the user, host and port a URI does not name", () => {
    const parsed = parseLibvirtUri("qemu:///system");
    expect(parsed.user).toBeUndefined();
    expect(parsed.host).toBeUndefined();
    expect(parsed.port).toBeUndefined();
  });

  it("reads parameters as libvirt does: unescaped, names lower-cased, '+' kept, the last one winning", () => {
    const parsed = parseLibvirtUri(
      "qemu+ssh://h/system?KeyFile=/a%20b/k+1&no_verify&=ignored&&keyfile=/last&known_hosts=%2Fkh",
    );
    expect(parsed.params).toEqual({ keyfile: "/last", no_verify: "", known_hosts: "/kh" });
    expect(parseLibvirtUri("qemu+ssh://h/system?keyfile=/a%20b/k+1").params.keyfile).toBe("/a b/k+1");
  });

  it("splits parameters on ';' where no '&' follows, as libvirt's viruri.c does", () => {
    expect(parseLibvirtUri("qemu+ssh://h/system?keyfile=/k;no_verify=1").params).toEqual({
      keyfile: "/k",
      no_verify: "1",
    });
  });

  it("unescapes the user name and the path", () => {
    expect(parseLibvirtUri("qemu+ssh://j%2Edoe@h/system").user).toBe("j.doe");
  });

  it.each([
    ["a bare name (a libvirt.conf alias)", "hail", /URI alias/],
    ["a missing //", "qemu:/system", /expected driver\[\+transport\]/],
    ["an unknown transport", "qemu+foo://h/system", /unknown transport 'foo'/],
    ["two transports", "qemu+ssh+tls://h/system", /more than one '\+'/],
    ["a port out of range", "qemu+ssh://h:70000/system", /port/],
    ["a bad percent-escape", "qemu+ssh://h/system?keyfile=%zz", /percent-escape/],
    ["an empty driver", "+ssh://h/system", /driver/],
  ])("refuses %s", (_name, uri, message) => {
    expect(() => parseLibvirtUri(uri)).toThrow(LibvirtUriError);
    expect(() => parseLibvirtUri(uri)).toThrow(message);
  });
});

describe("booleanParam", () => {
  it.each([
    ["qemu+ssh://h/system", false],
    ["qemu+ssh://h/system?no_verify=0", false],
    ["qemu+ssh://h/system?no_verify=1", true],
    ["qemu+ssh://h/system?no_verify=2", true],
  ])("reads no_verify of %s as %s", (uri, expected) => {
    expect(booleanParam(parseLibvirtUri(uri), "no_verify")).toBe(expected);
  });

  it("refuses a value that is not an integer, as libvirt does", () => {
    expect(() => booleanParam(parseLibvirtUri("qemu+ssh://h/system?no_verify=yes"), "no_verify")).toThrow(
      /no_verify=yes is not an integer/,
    );
  });
});

describe("commandTransport", () => {
  it.each([
    ["qemu:///system", "local"],
    ["qemu:///session", "local"],
    ["qemu+unix:///system", "local"],
    ["qemu+ssh://root@h/system", "ssh"],
    ["qemu+ssh:///system", "ssh"],
    ["qemu+libssh2://root@h/system", "ssh"],
  ])("runs the commands for %s %s", (uri, expected) => {
    expect(commandTransport(parseLibvirtUri(uri))).toBe(expected);
  });

  it.each([
    "qemu://h/system",
    "qemu+tls://h/system",
    "qemu+tcp://h/system",
    "qemu+ext:///system?command=/x",
    "qemu+unix://h/system",
  ])("says how to reach the host when %s only carries libvirt's protocol", (uri) => {
    const parsed = parseLibvirtUri(uri);
    expect(() => commandTransport(parsed)).toThrow(UnsupportedTransportError);
    expect(() => commandTransport(parsed)).toThrow(/qemu-img and file operations must reach the host of/);
    expect(() => commandTransport(parsed)).toThrow(
      /Use a qemu\+ssh:\/\/ URI for that host .*, or run virtsnap on the host itself/,
    );
  });
});
