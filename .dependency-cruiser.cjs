// The import rule of docs/design.md, checked by `npm run lint:deps` (part of `npm test`):
//   errors.ts, version.ts  ←  host  ←  tools, inputs  ←  backup, volumes, policy  ←  resources  ←  sdk
// The cli sits beside resources: it may use everything below them, never resources or sdk.
// No layer imports one above it or beside it.

/** A layer's files may import its own folder, the folders below it, and the base files. */
function layer(name, allowed, why) {
  return {
    name: `${name}-imports-downward-only`,
    comment: `provider/${name} may import only ${allowed.join(", ")} and provider/*.ts: ${why}`,
    severity: "error",
    from: { path: `^provider/${name}/` },
    to: {
      path: "^(provider|sdk|test|bench|scripts)/",
      pathNot: [`^provider/(${[name, ...allowed].join("|")})/`, "^provider/[^/]+[.]ts$"],
    },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "base-imports-nothing",
      comment:
        "provider/errors.ts and provider/version.ts are the base every layer uses: they import none of ours",
      severity: "error",
      from: { path: "^provider/[^/]+[.]ts$" },
      to: { path: "^(provider/[^/]+/|sdk/|test/|bench/|scripts/)" },
    },
    layer("host", [], "how a command reaches a host knows nothing of the tools it runs"),
    layer("tools", ["host"], "argv builders, parsers and clients of virsh, qemu-img and coreutils"),
    layer("inputs", ["host"], "schemas for user input; the URI rule takes libvirt URIs apart"),
    layer("backup", ["tools", "inputs", "host"], "chains, manifests and the backup transaction"),
    layer("volumes", ["tools", "inputs", "host"], "finding images and who has them open"),
    layer("policy", ["tools", "inputs", "host"], "retention periods and the SnapshotPolicy schema"),
    layer(
      "resources",
      ["backup", "volumes", "policy", "tools", "inputs", "host"],
      "the provider hooks sit on the domain logic; the SDK sits on them",
    ),
    layer(
      "cli",
      ["backup", "volumes", "policy", "tools", "inputs", "host"],
      "the virtsnap command works from the manifests and the host, never through a resource or the SDK",
    ),
    {
      name: "sdk-not-cli",
      comment: "the SDK is what a Pulumi program imports: it never pulls in the command",
      severity: "error",
      from: { path: "^sdk/" },
      to: { path: "^(provider/cli/|test/|bench/|scripts/)" },
    },
    {
      name: "resources-apart",
      comment:
        "one folder per resource: a resource uses the shared files of provider/resources, never another resource",
      severity: "error",
      from: { path: "^provider/resources/([^/]+)/" },
      to: { path: "^provider/resources/[^/]+/", pathNot: "^provider/resources/$1/" },
    },
    {
      name: "one-module-runs-programs",
      comment: "only host/local-command-runner.ts imports execa: everything else asks a CommandRunner",
      severity: "error",
      from: { pathNot: "^provider/host/local-command-runner[.]ts$" },
      to: { path: "node_modules/execa/" },
    },
    {
      name: "provider-objects-capture-no-packages",
      comment:
        "Pulumi serializes the provider objects into the state: they may reach npm packages only through our helper modules (docs/design.md)",
      severity: "error",
      from: { path: "^provider/resources/[^/]+/provider[.]ts$" },
      to: { path: "node_modules/", pathNot: "node_modules/@pulumi/pulumi/" },
    },
    {
      name: "no-circular",
      comment: "a cycle makes the layers meaningless (type-only imports excepted)",
      severity: "error",
      from: { path: "^(provider|sdk)/" },
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
