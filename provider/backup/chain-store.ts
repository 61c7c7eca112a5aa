// Chains on the target host: where their files are, reading and writing manifests, removing a chain.
import { posix } from "node:path";
import { messageOf } from "../errors.js";
import { HostFileError } from "../tools/files/file-errors.js";
import type { HostFiles } from "../tools/files/host-files.js";
import { type Manifest, ManifestError, parseManifest, serializeManifest } from "./manifest.js";
import { isChainId, MANIFEST_FILE } from "./naming.js";

export function chainDirectory(directory: string, chainId: string): string {
  return posix.join(directory, chainId);
}

export function manifestPath(directory: string, chainId: string): string {
  return posix.join(directory, chainId, MANIFEST_FILE);
}

/** A backup file's absolute path. */
export function chainFile(directory: string, chainId: string, file: string): string {
  return posix.join(directory, chainId, file);
}

/** Reads and checks a chain's manifest; ManifestError when it is missing or unusable. */
export async function readManifest(files: HostFiles, directory: string, chainId: string): Promise<Manifest> {
  const path = manifestPath(directory, chainId);
  let text: string;
  try {
    text = await files.readFile(path);
  } catch (error) {
    if (error instanceof HostFileError && error.reason === "not-found") {
      throw new ManifestError(path, "missing", "it does not exist", error);
    }
    throw new ManifestError(path, "unreadable", messageOf(error), error);
  }
  const manifest = parseManifest(text, path);
  if (manifest.chainId !== chainId) {
    throw new ManifestError(
      path,
      "misplaced",
      `it describes chain ${manifest.chainId}, but sits in directory ${chainId}`,
    );
  }
  return manifest;
}

/** Writes the manifest atomically (temp file, fsync, rename, fsync of the directory). */
export async function writeManifest(files: HostFiles, directory: string, manifest: Manifest): Promise<void> {
  await files.writeFileAtomic(manifestPath(directory, manifest.chainId), serializeManifest(manifest));
}

export async function createChainDirectory(
  files: HostFiles,
  directory: string,
  chainId: string,
): Promise<void> {
  // QEMU (libvirt-qemu on Debian) writes the backup files, so it must traverse the directory:
  // 0711 lets it in without letting anyone list it; libvirt leaves the files root:root 0600.
  await files.makeDirectory(chainDirectory(directory, chainId), { mode: 0o711 });
}

/** What a backup directory holds: each chain directory with its manifest or why it is unusable. */
export type FoundChain =
  | { readonly chainId: string; readonly manifest: Manifest }
  | { readonly chainId: string; readonly error: ManifestError };

/** Every chain directory (named like a chain id) in `directory`, oldest first. */
export async function findChains(files: HostFiles, directory: string): Promise<FoundChain[]> {
  if (!(await files.exists(directory))) return [];
  const chainIds = (await files.list(directory)).filter(isChainId).sort();
  return Promise.all(
    chainIds.map(async (chainId): Promise<FoundChain> => {
      try {
        return { chainId, manifest: await readManifest(files, directory, chainId) };
      } catch (error) {
        if (error instanceof ManifestError) return { chainId, error };
        throw error;
      }
    }),
  );
}

/**
 * Removes a chain: exactly the files its manifest lists, then the manifest, then the directory
 * if that left it empty. Files that someone else put there stay, and so does the directory.
 * Returns false when the directory had to stay.
 */
export async function deleteChain(files: HostFiles, directory: string, manifest: Manifest): Promise<boolean> {
  const paths = manifest.backups.flatMap((backup) =>
    backup.disks.map((disk) => chainFile(directory, manifest.chainId, disk.file)),
  );
  await files.removeFiles(paths);
  await files.removeFiles([manifestPath(directory, manifest.chainId)]);
  try {
    await files.removeEmptyDirectory(chainDirectory(directory, manifest.chainId));
    return true;
  } catch (error) {
    if (error instanceof HostFileError && error.reason === "not-empty") return false;
    throw error;
  }
}
