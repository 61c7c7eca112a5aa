// Checks a chain on disk against its manifest: every file there, whole, sound, linked to the right base.
import { posix } from "node:path";
import { HostFileError } from "../tools/files/file-errors.js";
import type { HostTools } from "../tools/host-tools.js";
import { chainFile } from "./chain-store.js";
import type { Manifest } from "./manifest.js";

/** One thing wrong with a chain, in words a user can act on. */
export interface ChainProblem {
  readonly chainId: string;
  readonly file?: string;
  readonly problem: string;
}

export interface VerifyOptions {
  /** Only these backups (by sequence); all when absent. */
  readonly sequences?: readonly number[];
  readonly onFile?: (file: string) => void;
}

/**
 * For each backup file: it exists, has the size the manifest recorded (a truncated copy does
 * not), `qemu-img check` finds it clean, it has the virtual size recorded, and its backing file
 * is exactly the previous backup's file (a full backup has none). Returns every problem found.
 */
export async function verifyChain(
  tools: Pick<HostTools, "files" | "qemuImg">,
  directory: string,
  manifest: Manifest,
  options: VerifyOptions = {},
): Promise<ChainProblem[]> {
  const problems: ChainProblem[] = [];
  const { chainId } = manifest;
  for (const backup of manifest.backups) {
    if (options.sequences !== undefined && !options.sequences.includes(backup.sequence)) continue;
    for (const disk of backup.disks) {
      const path = chainFile(directory, chainId, disk.file);
      options.onFile?.(path);
      const report = (problem: string) => problems.push({ chainId, file: disk.file, problem });
      const stat = await tools.files.stat(path).catch((error: unknown) => {
        if (error instanceof HostFileError && error.reason === "not-found") return undefined;
        throw error;
      });
      if (stat === undefined) {
        report(`is missing (backup ${backup.sequence}, disk ${disk.target})`);
        continue;
      }
      const size = stat.size;
      if (size !== disk.fileSize) {
        report(`has ${size} bytes, the manifest recorded ${disk.fileSize}: it was truncated or changed`);
        continue;
      }
      const check = await tools.qemuImg.check(path).catch((error: Error) => error);
      if (check instanceof Error) {
        report(`cannot be checked: ${check.message}`);
        continue;
      }
      if (!check.clean) {
        report(
          `qemu-img check found ${check.corruptions} corruptions, ${check.leaks} leaked clusters, ${check.checkErrors} errors`,
        );
      }
      const info = await tools.qemuImg.info(path, { format: "qcow2" }).catch((error: Error) => error);
      if (info instanceof Error) {
        report(`cannot be read: ${info.message}`);
        continue;
      }
      if (info.virtualSize !== disk.virtualSize) {
        report(`has virtual size ${info.virtualSize}, the manifest recorded ${disk.virtualSize}`);
      }
      const backing = info.backingFilename === undefined ? null : posix.normalize(info.backingFilename);
      if (backing !== disk.backingFile) {
        report(
          `is backed by ${backing ?? "nothing"}, expected ${disk.backingFile ?? "nothing"}: its backing link is broken`,
        );
      } else if (backing !== null && info.backingFilenameFormat !== "qcow2") {
        report(`names its backing file's format ${info.backingFilenameFormat ?? "nowhere"}, expected qcow2`);
      }
    }
  }
  return problems;
}
