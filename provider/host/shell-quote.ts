// POSIX shell quoting of argv elements, for the one place a command line must cross a shell (ssh).

/**
 * Quotes one argument for a POSIX shell (sh, dash, bash, zsh) so that it reaches the program
 * byte for byte: wrapped in single quotes, inside which the shell interprets nothing, and each
 * `'` written as `'\''` (close the quote, an escaped quote, reopen). The empty string is `''`.
 * NUL cannot be passed in an argv element at all, so it is refused.
 */
export function shellQuote(argument: string): string {
  if (argument.includes("\0")) {
    throw new TypeError("an argument cannot contain a NUL byte: no program could receive it");
  }
  return `'${argument.replaceAll("'", "'\\''")}'`;
}

/** A command line a POSIX shell splits back into exactly `argv`. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
