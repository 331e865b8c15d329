/** XML answers as JSON, the way the Naftiko engine reads them: the root element's children as keys, repeated ones as arrays, attributes as keys, every value a string. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  trimValues: true,
});

export function fromXml(text: string): unknown {
  if (XMLValidator.validate(text) !== true) throw new Error('not XML');
  const doc = parser.parse(text) as Record<string, unknown>;
  const roots = Object.values(doc);
  return roots.length === 1 ? roots[0] : doc;
}
