// A private temporary file on this machine, removed after use (XML that local virsh reads).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Writes `contents` to a fresh 0600 file in a private directory, calls `use` with its path and
 * removes it afterwards. (virsh cannot read `--xmlfile /dev/stdin` from Node: libuv hands
 * children a socket as stdin, and opening /dev/stdin on a socket fails with ENXIO.)
 */
export async function withTempFile<T>(
  name: string,
  contents: string,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "virtsnap-"));
  try {
    const path = join(dir, name);
    await writeFile(path, contents, { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
