/**
 * The FHIR.js (`fhir` 4.12.0) adapter, and the only module that loads it: FHIR XML to JSON, JSON
 * to FHIR XML, and FHIR.js's R4 type model (element order, types and cardinality) for our own
 * writer in fhir/xml-writer.ts. FHIR.js is loaded lazily with the toolchain's `require`
 * (util/toolchain-files.ts), so runs that read only JSON never pay for it; the browser bundle of the
 * validator answers it with scripts/apps/browser/shims/toolchain-files.ts (see HOST_MODULES in
 * stages/render/check/bundle.ts).
 */
import type { Fhir } from 'fhir';
import { toolchainRequire } from '../util/toolchain-files.ts';

/** One property of a type in FHIR.js's model (`fhir/profiles/types.json`). */
export interface XmlPropertyDef {
  _name: string;
  _type: string;
  _multiple?: boolean;
  _properties?: XmlPropertyDef[];
}

export interface XmlTypeDef {
  _properties?: XmlPropertyDef[];
}

/** What a conversion gives: the value, or the first line of FHIR.js's error message. */
export type Converted<T> = { ok: true; value: T } | { ok: false; message: string };

let converter: Fhir | undefined;
let types: Record<string, XmlTypeDef> | undefined;

/** One converter: FHIR.js builds a fresh ConvertToJs / ConvertToXml per call over its parser. */
function fhir(): Fhir {
  if (!converter) {
    const fhirjs: typeof import('fhir') = toolchainRequire('fhir');
    converter = new fhirjs.Fhir();
  }
  return converter;
}

/** FHIR.js's R4 type model by type name: what its `ParseConformance` loads, without the 2 MB of value sets. */
export function xmlTypeModel(): Record<string, XmlTypeDef> {
  if (!types) {
    const model: Record<string, XmlTypeDef> = toolchainRequire('fhir/profiles/types.json');
    types = model;
  }
  return types;
}

/** FHIR XML to a JSON value as FHIR.js reads it (primitives as they are in the XML text). */
export function xmlToObject(xml: string): Converted<unknown> {
  return converted(() => fhir().xmlToObj(xml));
}

/** FHIR XML to FHIR JSON with numbers and booleans written as JSON ones, as the IG Publisher does. */
export function xmlToTypedJson(xml: string): Converted<unknown> {
  return converted(() => JSON.parse(fhir().xmlToJson(xml)));
}

/** A JSON resource as FHIR XML by FHIR.js's own writer (unindented; it throws on an unknown resourceType). */
export function objectToXml(resource: object): string {
  return fhir().objToXml(resource);
}

function converted<T>(run: () => T): Converted<T> {
  try {
    return { ok: true, value: run() };
  } catch (e) {
    return { ok: false, message: (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '' };
  }
}
