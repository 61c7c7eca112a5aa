// fast-xml-parser configured once for libvirt's XML: attributes kept, values left as strings.
import { XMLBuilder, XMLParser } from "fast-xml-parser";

const ATTRIBUTE_PREFIX = "@_";

/**
 * Parses libvirt XML into a plain tree for a zod schema to check. `arrayPaths` lists the
 * element paths (e.g. `domain.devices.disk`) that repeat, so one element still parses as an array.
 */
export function parseXml(text: string, arrayPaths: readonly string[]): unknown {
  const repeating = new Set(arrayPaths);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (_name, jpath) => repeating.has(String(jpath)),
  });
  return parser.parse(text);
}

/** Serializes a tree (attributes as `@_name` keys) to XML; text and attributes are escaped. */
export function buildXml(tree: Record<string, unknown>): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    format: true,
    indentBy: "  ",
    suppressEmptyNode: true,
    processEntities: true,
  });
  return builder.build(tree);
}

/** A node of fast-xml-parser's order-preserving tree: `{ tag: children, ":@": attributes }`. */
export type OrderedNode = Record<string, unknown>;

const ORDERED_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  parseTagValue: false,
  parseAttributeValue: false,
  preserveOrder: true,
  trimValues: true,
  processEntities: true,
} as const;

/** Parses XML keeping element order, for documents we edit and hand back to libvirt. */
export function parseXmlOrdered(text: string): OrderedNode[] {
  return new XMLParser(ORDERED_OPTIONS).parse(text) as OrderedNode[];
}

/** The inverse of {@link parseXmlOrdered}. */
export function buildXmlOrdered(nodes: OrderedNode[]): string {
  return new XMLBuilder({ ...ORDERED_OPTIONS, format: true, indentBy: "  ", suppressEmptyNode: true }).build(
    nodes,
  );
}
