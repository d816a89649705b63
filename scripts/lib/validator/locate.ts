/** JSON pointer -> line and column, through the momoa AST (computed only when there are issues). */
import type { DocumentNode, ValueNode } from '@humanwhocodes/momoa';
import type { Pointer } from './state.ts';

export function locate(doc: DocumentNode, pointer: Pointer): { line: number; column: number } | undefined {
  let node: ValueNode = doc.body;
  let at = node.loc.start;
  for (const step of pointer) {
    if (typeof step === 'number') {
      if (node.type !== 'Array') break;
      const next = node.elements[step];
      if (!next) break;
      node = next.value;
      at = node.loc.start;
    } else {
      if (node.type !== 'Object') break;
      const member = node.members.find(m => m.name.type === 'String' && m.name.value === step);
      if (!member) break;
      node = member.value;
      at = member.name.loc.start;
    }
  }
  return { line: at.line, column: at.column };
}
