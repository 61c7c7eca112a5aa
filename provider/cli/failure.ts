// A failure as the command prints it: the message, and with --debug the cause chain with each command's facts.
import { causeChain, messageOf } from "../errors.js";
import { CommandError } from "../host/errors.js";

/**
 * The error's message; with `debug`, then every cause below it, each with its class and code,
 * and for a failed command its argv, host, exit code and stderr.
 */
export function describeFailure(error: unknown, debug: boolean): string {
  if (!debug) return messageOf(error);
  const lines = causeChain(error).map((link, depth) => {
    const name = link instanceof Error ? link.name : typeof link;
    const code = (link as { code?: unknown } | null)?.code;
    const head = `${depth === 0 ? "" : `${"  ".repeat(depth)}caused by `}${name}${typeof code === "string" ? ` [${code}]` : ""}: ${messageOf(link)}`;
    if (!(link instanceof CommandError)) return head;
    const indent = "  ".repeat(depth + 1);
    const stderr =
      link.stderr.trim() === "" ? "(empty)" : link.stderr.trim().replaceAll("\n", `\n${indent}  `);
    return (
      `${head}\n${indent}argv: ${JSON.stringify(link.argv)}\n${indent}host: ${link.host}, exit code: ` +
      `${link.exitCode ?? "none (killed)"}\n${indent}stderr: ${stderr}`
    );
  });
  return lines.join("\n");
}
