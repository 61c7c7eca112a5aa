// Retention: the last 3 days and the last 2 ISO weeks of a VM, each kept as a libvirt snapshot.
//
//   pulumi config set domain web1                    # the libvirt domain to snapshot
//   pulumi preview                                   # which snapshots this run takes and deletes
//   pulumi up                                        # run it nightly, e.g. from cron or CI
//
// Every snapshot is named for its period: nightly-daily-2026-12-28, nightly-weekly-2026-W53.
// The first `up` inside a period takes its snapshot; later runs leave it alone; when the
// period falls out of the window, Pulumi deletes it. See README.md for a walk through three days.
import * as pulumi from "@pulumi/pulumi";
import { SnapshotPolicy, type SnapshotPolicyArgs } from "virtsnap";

const config = new pulumi.Config();

const policy = new SnapshotPolicy("nightly", {
  domain: config.require("domain"),
  // How many of the most recent days and ISO weeks (Monday to Sunday) keep a snapshot.
  // Try `pulumi config set --path keep.daily 1` and `pulumi preview`: two deletions, nothing else.
  keep: config.getObject<SnapshotPolicyArgs["keep"]>("keep") ?? { daily: 3, weekly: 2 },
  // Days and weeks start at midnight in this zone (any IANA name).
  timeZone: config.get("timeZone") ?? "UTC",
  // Unset, the policy applies at the time the program runs. Setting it (e.g.
  // `pulumi config set now 2026-12-28T02:00`) replays any day: the README does that, and so
  // can a reviewed change whose preview must not depend on when it is applied.
  now: config.get("now"),
  // Without `memory` and `disks`: libvirt's default. A running VM gets internal snapshots of its
  // disks and memory (a full checkpoint, saved inside its qcow2 images); a shut-off VM gets
  // internal disk snapshots. Internal snapshots can be deleted in any order: libvirt
  // re-parents the newer ones, which is what a rotation does every day.
});

/** The snapshots kept after this run, each with the period it stands for (an ISO 8601 interval). */
export const snapshots = policy.snapshots.apply((kept) =>
  Object.fromEntries(kept.map((snapshot) => [snapshot.name, `${snapshot.start}/${snapshot.end}`])),
);
/** When libvirt took each one: a weekly keeps the time of its week's first run. */
export const takenAt = policy.createdAt;
