// A CommandRunner for tests: records every argv and answers from a script instead of running anything.
import type { CommandResult, CommandRunner, RunOptions } from "../../provider/host/command-runner.js";
import { CommandError } from "../../provider/host/errors.js";

/** One scripted answer: output for a successful run, or a failure with stderr and exit code. */
export type ScriptedAnswer =
  | { readonly stdout?: string; readonly stderr?: string }
  | { readonly exitCode: number; readonly stderr: string; readonly stdout?: string };

/** A rule: when `match` accepts the argv, answer with `answer`. */
export interface ScriptedRule {
  readonly match: (argv: readonly string[]) => boolean;
  readonly answer: ScriptedAnswer;
}

/** Records each run. With no rules, every run fails: use it to prove that nothing ran. */
export class RecordingCommandRunner implements CommandRunner {
  readonly host: string;
  readonly runs: { argv: readonly string[]; options: RunOptions }[] = [];
  private readonly rules: readonly ScriptedRule[];

  constructor(rules: readonly ScriptedRule[] = [], host = "recorded-host") {
    this.rules = rules;
    this.host = host;
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    this.runs.push({ argv: [...argv], options });
    const rule = this.rules.find((candidate) => candidate.match(argv));
    const answer: ScriptedAnswer = rule?.answer ?? {
      exitCode: 127,
      stderr: "no scripted answer for this command",
    };
    const stdout = answer.stdout ?? "";
    const stderr = answer.stderr ?? "";
    if ("exitCode" in answer && answer.exitCode !== 0) {
      const failure = { argv: [...argv], exitCode: answer.exitCode, stdout, stderr, host: this.host };
      throw new CommandError(CommandError.describe(failure), failure);
    }
    return { argv: [...argv], exitCode: 0, stdout, stderr };
  }
}
