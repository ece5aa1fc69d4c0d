// ESLint rule `layers/boundaries`: the path half of the layering of DESIGN.md §4. Package imports (electron, react,
// node:*) are policed by no-restricted-imports in eslint.config.js; this rule resolves *relative* imports against
// the importing file, so `../../core/host/host.js` and `../host/x.js` are judged by where they land, not by how
// they are spelled. It covers import/export-from declarations, import(), require() and `import x = require()`.
import { dirname, relative, resolve, sep } from 'node:path';

/** Pure folders of core: no node:*, importable by the renderer. */
const PURE = new Set(['protocol', 'indicators']);

/** The layer a repo-relative path belongs to: 'core/protocol', 'core/indicators', 'core', 'renderer', 'electron', or null. */
export function layerOf(rel) {
  const parts = rel.split(sep).join('/').split('/');
  if (parts[0] === 'core') return PURE.has(parts[1]) && parts.length > 2 ? `core/${parts[1]}` : 'core';
  if (parts[0] === 'renderer' || parts[0] === 'electron') return parts[0];
  return null;
}

/** Why `from` may not import `to` (both layers), or null when the edge is allowed. */
export function forbiddenEdge(from, to) {
  if (from === null || from === to) return null;
  switch (from) {
    case 'core/protocol':
      return 'core/protocol is pure: it may import only core/protocol';
    case 'core/indicators':
      return to === 'core/protocol' ? null : 'core/indicators is pure: it may import only core/indicators and core/protocol';
    case 'core':
      return to === 'renderer' || to === 'electron' ? `core may not import ${to}/` : null;
    case 'renderer':
      return to === 'core/protocol' || to === 'core/indicators'
        ? null
        : `renderer may import only core/protocol and core/indicators, not ${to ?? 'files outside the layers'}`;
    case 'electron':
      return to === 'renderer' ? 'electron may not import renderer/ (it serves the built UI)' : null;
    default:
      return null;
  }
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Relative imports must respect the core / core/protocol / renderer / electron layering' },
    schema: [],
    messages: { forbidden: "Import '{{source}}' crosses a layer boundary: {{why}}." },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const fromRel = relative(root, file);
    if (fromRel.startsWith('..')) return {};
    const from = layerOf(fromRel);
    if (from === null) return {};

    function check(node) {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const source = node.value;
      if (!source.startsWith('.') && !source.startsWith('/')) return;
      const target = relative(root, resolve(dirname(file), source));
      const to = target.startsWith('..') ? null : layerOf(target);
      // Within core/protocol, `./x.js` stays inside; a path that climbs out lands in another layer (or none).
      const why = forbiddenEdge(from, to);
      if (why) context.report({ node, messageId: 'forbidden', data: { source, why } });
    }

    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
      TSExternalModuleReference: (n) => check(n.expression),
      CallExpression(n) {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1) {
          check(n.arguments[0]);
        }
      },
    };
  },
};

export default { meta: { name: 'candlewick-layers' }, rules: { boundaries } };
