// Restores a point in time of a chain into standalone qcow2 images, checked, never overwriting.
import { posix } from "node:path";
import type { Log } from "../host/log.js";
import type { HostTools } from "../tools/host-tools.js";
import { chainFile } from "./chain-store.js";
import type { Manifest } from "./manifest.js";
import { planRestore, RestoreError, type RestorePoint } from "./restore-plan.js";
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
  tools: Pick<HostTools, "files" | "qemuImg">,
  directory: string,
  manifest: Manifest,
  point: RestorePoint,
  to: string,
  options: { disks?: readonly string[]; log: Log },
): Promise<RestoreResult> {
  const plan = planRestore(manifest, point, options.disks);
  const targets = plan.disks.map((disk) => ({ ...disk, path: posix.join(to, `${disk.target}.qcow2`) }));
  for (const target of targets) {
    if (await tools.files.exists(target.path)) {
      throw new RestoreError(
        `${target.path} already exists: restore never overwrites; choose another --to directory or move it away`,
      );
    }
  }
  const sequences = manifest.backups.slice(0, plan.backup.sequence + 1).map((backup) => backup.sequence);
  const problems = await verifyChain(tools, directory, manifest, { sequences });
  if (problems.length > 0) {
    throw new RestoreError(
      `chain ${manifest.chainId} cannot restore backup ${plan.backup.sequence}: ${problems.map((p) => `${p.file} ${p.problem}`).join("; ")}`,
    );
  }
  await tools.files.makeDirectory(to);
  const disks: RestoredDisk[] = [];
  for (const target of targets) {
    const source = chainFile(directory, manifest.chainId, target.top);
    const label = `restoring ${target.target} from backup ${plan.backup.sequence} of chain ${manifest.chainId}`;
    options.log.info(`${label} → ${target.path}`);
    await tools.qemuImg.convert(source, target.path, {
      sourceFormat: "qcow2",
      onProgress: (percent) => options.log.progress(label, percent / 100),
    });
    const check = await tools.qemuImg.check(target.path);
    if (!check.clean) {
      throw new RestoreError(
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
