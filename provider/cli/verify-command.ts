// `virtsnap verify <dir>`: every manifest, file, size and backing link; exit 1 on any problem.
import { parseArgs } from "node:util";
import { verifyChain } from "../backup/verify-chain.js";
import { chainsIn } from "./chains.js";
import { type Cli, EXIT_OK, EXIT_PROBLEMS } from "./io.js";
import { absoluteDirectory } from "./paths.js";

export async function verifyCommand(args: readonly string[], cli: Cli): Promise<number> {
  const { io } = cli;
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: "boolean" }, domain: { type: "string" }, uri: { type: "string" } },
  });
  const directory = absoluteDirectory(positionals, "verify");
  const tools = cli.tools(values.uri);
  const found = await chainsIn(tools.files, directory, values.domain);
  const results: { chainId: string; backups: number; files: number; problems: string[] }[] = [];
  for (const chain of found) {
    if ("error" in chain) {
      results.push({ chainId: chain.chainId, backups: 0, files: 0, problems: [chain.error.message] });
      continue;
    }
    const problems = await verifyChain(tools, directory, chain.manifest);
    results.push({
      chainId: chain.chainId,
      backups: chain.manifest.backups.length,
      files: chain.manifest.backups.reduce((sum, backup) => sum + backup.disks.length, 0),
      problems: problems.map((p) => (p.file === undefined ? p.problem : `${p.file} ${p.problem}`)),
    });
  }
  const failed = results.some((result) => result.problems.length > 0) || results.length === 0;

  if (values.json) {
    io.stdout.write(`${JSON.stringify({ directory, ok: !failed, chains: results }, null, 2)}\n`);
    return failed ? EXIT_PROBLEMS : EXIT_OK;
  }
  if (results.length === 0) io.stderr.write(`no backup chains in ${directory}\n`);
  for (const result of results) {
    if (result.problems.length === 0) {
      io.stdout.write(`ok      ${result.chainId}: ${result.backups} backups, ${result.files} files\n`);
    } else {
      io.stdout.write(`FAILED  ${result.chainId}:\n`);
      for (const problem of result.problems) io.stdout.write(`          ${problem}\n`);
    }
  }
  return failed ? EXIT_PROBLEMS : EXIT_OK;
}
