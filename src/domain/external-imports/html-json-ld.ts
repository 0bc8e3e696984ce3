/**
 * The JSON-LD of an HTML page: the text of each `<script type="application/ld+json">`, found by a
 * real HTML parser (parse5, the WHATWG algorithm browsers use), not by regular expressions: a
 * script's end, comments and attribute quoting are parsed as a browser would.
 */
import { parse } from 'parse5';

interface Node {
  nodeName: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  content?: Node;
  value?: string;
}

const isJsonLd = (node: Node) =>
  node.nodeName === 'script' && node.attrs?.some((a) => a.name === 'type' && a.value.split(';')[0]!.trim().toLowerCase() === 'application/ld+json');

/** The text of every JSON-LD script block, in document order. */
export function jsonLdBlocks(html: string): string[] {
  const blocks: string[] = [];
  // Iterative: a page nested thousands of elements deep must not exhaust the stack.
  const stack: Node[] = [parse(html) as unknown as Node];
  while (stack.length) {
    const node = stack.pop()!;
    if (isJsonLd(node)) {
      blocks.push((node.childNodes ?? []).map((c) => c.value ?? '').join(''));
      continue;
    }
    const children = [...(node.childNodes ?? []), ...(node.content ? [node.content] : [])];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return blocks;
}
