/**
 * The relaxations of the official schemas (every version) that the published capabilities rely on
 * (decisions doc, "Validation"). Each use is a warning; under --strict, an error.
 */
import { fromPointer, toPointer } from '../load/json-pointer.js';
import type { Note } from './finding.js';
import type { RelaxationUse } from './schema-validator.js';

/** The words of one relaxation use: a hint for each severity it can have. */
export interface RelaxationText {
  rule: string;
  pointer: string;
  atKey: boolean;
  message: string;
  strictHint: string;
  relaxedHint: string;
}

/** The note of one relaxation use: a warning, or under --strict an error. */
export function relaxationNote(rule: string, pointer: string, strict: boolean, keys?: string[]): Note {
  const r = describeRelaxation(rule, pointer, keys);
  const hint = strict ? r.strictHint : r.relaxedHint;
  return { rule: r.rule, severity: strict ? 'error' : 'warning', path: fromPointer(r.pointer), atKey: r.atKey, message: r.message, ...(hint ? { hint } : {}) };
}

export function describeRelaxation(rule: string, pointer: string, keys?: string[]): RelaxationText {
  switch (rule) {
    case 'relaxed-rest-description':
      return {
        rule,
        pointer,
        atKey: true,
        message: '`description` is not a property of a REST adapter in the official schema; naftiko-gen accepts it and uses it in the generated README.',
        relaxedHint: 'Keep it (the official validator rejects it) or remove it; --strict turns this warning into an error.',
        strictHint: 'Remove `description` from this REST adapter, or validate without --strict.',
      };
    case 'relaxed-consumed-input-annotations': {
      const segs = fromPointer(pointer);
      const last = segs[segs.length - 1] ?? '';
      const listed = (keys ?? [last]).map((k) => `\`${k}\``).join(', ');
      return {
        rule,
        pointer,
        atKey: true,
        message: `${listed} ${keys && keys.length > 1 ? 'are not properties' : 'is not a property'} of a consumed input parameter in the official schema; naftiko-gen uses ${keys && keys.length > 1 ? 'them' : 'it'} to type and describe the inputs it infers.`,
        relaxedHint: 'Keep them (the official validator rejects them) or remove them; --strict turns this warning into an error.',
        strictHint: 'Remove `type`, `description` and `required` from consumed input parameters, or validate without --strict.',
      };
    }
    case 'relaxed-object-output-mapping':
      return {
        rule,
        pointer,
        atKey: false,
        message: 'This object output has a `mapping` and no `properties`, which the official schema requires; naftiko-gen returns the whole mapped value (the engine would return `{}`).',
        relaxedHint: 'List the fields under `properties` to follow the schema exactly; --strict turns this warning into an error.',
        strictHint: 'Add `properties` with the fields to return, or validate without --strict.',
      };
    case 'relaxed-name-pattern':
      return {
        rule,
        pointer,
        atKey: false,
        message: 'This name has characters the official schema does not allow in names; naftiko-gen sends it exactly as written and derives safe identifiers from it.',
        relaxedHint: 'Keep it when the API needs it (the official validator rejects it); --strict turns this warning into an error.',
        strictHint: 'Use letters, digits and `-` (and `_`, `*` in parameter names), or validate without --strict.',
      };
    case 'relaxed-head-method':
      return {
        rule,
        pointer,
        atKey: false,
        message: '`HEAD` is not a method the official schema allows; naftiko-gen sends it as a HEAD request.',
        relaxedHint: '--strict turns this warning into an error.',
        strictHint: 'Use GET, or validate without --strict.',
      };
    case 'relaxed-form-data':
      return {
        rule,
        pointer,
        atKey: false,
        message: '`in: formData` (an OpenAPI 2 form field) is not part of the official schema; naftiko-gen sends such parameters as an application/x-www-form-urlencoded body (multipart/form-data when one of them is a `type: file` upload).',
        relaxedHint: '--strict turns this warning into an error.',
        strictHint: 'Describe the form with an operation `body` of type formUrlEncoded, or validate without --strict.',
      };
    case 'relaxed-input-constraints':
      return {
        rule,
        pointer,
        atKey: true,
        message: `${keys && keys.length > 1 ? `${keys.length} inputs carry` : 'This input carries'} JSON Schema keywords (enum, default, format, pattern, bounds, items), which no Naftiko or ikanos version allows on an input; naftiko-gen checks them at the door of the REST and MCP servers.`,
        relaxedHint: 'Keep them (the official validator rejects them) or remove them; --strict turns this warning into an error.',
        strictHint: 'Remove enum, default, format, pattern (on MCP tool inputs), minimum, maximum, minLength, maxLength, minItems, maxItems and items from inputs (or import with --strict), or validate without --strict.',
      };
    case 'relaxed-empty-base-uri':
      return {
        rule,
        pointer,
        atKey: false,
        message: 'The base URI is empty (the API description this file was converted from had no server URL); the generated server takes it from `<NAMESPACE>_BASE_URI` and does not start without it.',
        relaxedHint: 'Write the API\'s URL here (https://...) to make it the default; --strict turns this warning into an error.',
        strictHint: 'Write the API\'s URL (https://...), or validate without --strict.',
      };
    case 'relaxed-unbound-env':
      return {
        rule,
        pointer,
        atKey: false,
        message: `${keys?.[0] ? `\`{{env.${keys[0]}}}\`` : 'This template'} refers to an environment variable that no \`binds\` entry declares; naftiko-gen reads it from the environment variable of that name, and the server does not start without it.`,
        relaxedHint: 'Declare it under `binds` (namespace `env`, `keys`) to say so explicitly; --strict turns this warning into an error.',
        strictHint: 'Declare the variable under `binds`, or validate without --strict.',
      };
    case 'relaxed-file-input':
      return {
        rule,
        pointer,
        atKey: false,
        message: '`type: file` (an uploaded file, as OpenAPI 2 says it) is not a type the official schema allows; naftiko-gen takes the file as the raw body of a REST request or a base64 argument of an MCP tool, and sends its bytes as the whole body, or as a multipart part where the operation has other form fields.',
        relaxedHint: '--strict turns this warning into an error.',
        strictHint: 'Describe the upload with a `body` of type multipartForm, or validate without --strict.',
      };
    default:
      return { rule, pointer, atKey: false, message: `This construct needs the relaxation \`${rule}\`.`, relaxedHint: '', strictHint: '' };
  }
}

/** One finding per relaxed construct: the three annotations of one parameter are one use, not three. */
export function groupRelaxationUses(uses: readonly RelaxationUse[], strict: boolean): Note[] {
  const groups = new Map<string, { rule: string; first: string; keys: string[] }>();
  for (const use of uses) {
    // A key that is a name: the use is at the key, like a `name:` value of the list form.
    const u = use.key === undefined ? use : { rule: use.rule, instancePath: toPointer([...fromPointer(use.instancePath), use.key]) };
    let owner = u.instancePath;
    let key: string | undefined;
    if (u.rule === 'relaxed-consumed-input-annotations') {
      const segs = fromPointer(u.instancePath);
      key = segs[segs.length - 1];
      owner = toPointer(segs.slice(0, -1));
    }
    // An imported capability may constrain thousands of inputs: one warning for the file, counting them.
    if (u.rule === 'relaxed-input-constraints') {
      const segs = fromPointer(u.instancePath);
      const at = segs.indexOf('inputParameters');
      key = at >= 0 ? toPointer(segs.slice(0, at + 2)) : u.instancePath;
      owner = '';
    }
    const id = `${u.rule}\u0000${owner}`;
    const g = groups.get(id);
    if (g) {
      if (key && !g.keys.includes(key)) g.keys.push(key);
    } else groups.set(id, { rule: u.rule, first: u.instancePath, keys: key ? [key] : [] });
  }
  const atKeys = new Set(uses.filter((u) => u.key !== undefined).map((u) => toPointer([...fromPointer(u.instancePath), u.key!])));
  return [...groups.values()].map((g) => {
    const note = relaxationNote(g.rule, g.first, strict, g.keys.length ? g.keys : undefined);
    return atKeys.has(g.first) ? { ...note, atKey: true } : note;
  });
}
