// A resource operation that failed, in the user's words, with the tool error that caused it kept as `cause`.
import { VirtsnapError } from "../errors.js";

/** What a resource hook was doing. */
export type ResourceOperation = "create" | "read" | "update" | "delete";

/**
 * A create, read, update or delete that failed: the message says what failed, where and what to
 * do; `cause` is the typed error underneath (DomainNotFoundError, ImageLockedError, ...).
 */
export class ResourceError extends VirtsnapError {
  readonly code = "resource-failed";
  readonly resource: string;
  readonly operation: ResourceOperation;

  constructor(resource: string, operation: ResourceOperation, message: string, cause?: unknown) {
    super(message, { cause });
    this.resource = resource;
    this.operation = operation;
  }
}
