// Restores a point in time of a chain into standalone qcow2 images, checked, never overwriting.
import { posix } from "node:path";
import type { CommandRunner } from "../host/command-runner.js";
import { fileExists, makeDirectory } from "../host/host-files.js";
import { checkImage, convertImage } from "../tools/qemu-img/commands.js";
import { chainFile } from "./chain-store.js";
import type { Manifest } from "./manifest.js";
import type { ProgressSink } from "./progress.js";
import { planRestore, type RestorePoint } from "./restore-plan.js";
import { verifyChain } from "./verify-chain.js";

export interface RestoredDisk {
  readonly target: string;
  readonly path: string;
  /** The backup file read (through its backing files). */
  readonly source: string;
}

export interface RestoreResult {
  readonly chainId: string;
  readonly sequence: number;
  readonly completedAt: string;
  readonly disks: readonly RestoredDisk[];
}

/**
 * Writes `<to>/<disk>.qcow2` for each disk: the disk as it was at `point`, as one image with no
 * backing file. Refuses when a target file exists; checks the chain files first and each result
 * with `qemu-img check` after.
 */
export async function restorePoint(
  host: CommandRunner,
  directory: string,
  manifest: Manifest,
  point: RestorePoint,
  to: string,
  options: { disks?: readonly string[]; progress: ProgressSink },
): Promise<RestoreResult> {
  const plan = planRestore(manifest, point, options.disks);
  const targets = plan.disks.map((disk) => ({ ...disk, path: posix.join(to, `${disk.target}.qcow2`) }));
  for (const target of targets) {
    if (await fileExists(host, target.path)) {
      throw new Error(
        `${target.path} already exists: restore never overwrites; choose another --to directory or move it away`,
      );
    }
  }
  const sequences = manifest.backups.slice(0, plan.backup.sequence + 1).map((backup) => backup.sequence);
  const problems = await verifyChain(host, directory, manifest, { sequences });
  if (problems.length > 0) {
    throw new Error(
      `chain ${manifest.chainId} cannot restore backup ${plan.backup.sequence}: ${problems.map((p) => `${p.file} ${p.problem}`).join("; ")}`,
    );
  }
  await makeDirectory(host, to);
  const disks: RestoredDisk[] = [];
  for (const target of targets) {
    const source = chainFile(directory, manifest.chainId, target.top);
    const label = `restoring ${target.target} from backup ${plan.backup.sequence} of chain ${manifest.chainId}`;
    options.progress.info(`${label} → ${target.path}`);
    await convertImage(host, source, target.path, {
      sourceFormat: "qcow2",
      onProgress: (percent) => options.progress.progress(label, percent / 100),
    });
    const check = await checkImage(host, target.path);
    if (!check.clean) {
      throw new Error(
        `${target.path} failed qemu-img check after the restore (${check.corruptions} corruptions, ${check.leaks} leaks)`,
      );
    }
    disks.push({ target: target.target, path: target.path, source });
  }
  return {
    chainId: manifest.chainId,
    sequence: plan.backup.sequence,
    completedAt: plan.backup.completedAt,
    disks,
  };
}
