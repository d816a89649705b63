/**
 * The SUSHI speed-ups (scripts/stages/compile/sushi/speedups.ts) changes how fast SUSHI runs, never what
 * it makes: each guide here is compiled with it and without it, and every resource, the
 * ImplementationGuide, the counts and the diagnostics must be the same. The guides: this one
 * (about 50 documented elements in one profile), the HL7-style fixture guide, and a small guide
 * whose caret rules reach extensions, slicing, constraints and bindings on many elements (the
 * parts of the shared ElementDefinition model that checking a rule unfolds or slices), with
 * caret rules on the profile, a code system and a value set too, several instances of one
 * profile, a profile one of whose caret rules SUSHI defers until the instances are exported, and a
 * Mapping (applied after them too).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFsh } from '../../scripts/stages/compile/compile.ts';
import { useSushiSpeedups } from '../../scripts/stages/compile/sushi/adapter.ts';
import { formatDiagnostic } from '../../scripts/model/diagnostics.ts';
import { loadContext } from '../../scripts/pipeline/sequencer.ts';
import { copyGuide, makeProject, MINIMAL_CONFIG, REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const options = { packageCache: SHARED_PACKAGE_CACHE, userPackageCache: join(REPO_ROOT, 'test', 'fixtures', 'no-such-dir') };

const CARET_RULES = `
Extension: Flavour
Id: flavour
Context: Element
* value[x] only string

Extension: Strength
Id: strength
Context: Element
* value[x] only integer

Profile: CaretHeavy
Parent: Observation
Id: caret-heavy
* status ^short = "Status"
* status ^extension[Flavour].valueString = "sweet"
* code ^extension[Flavour].valueString = "sour"
* code ^extension[Strength].valueInteger = 3
* code ^definition = "The code"
* subject ^extension[0].url = "http://example.org/StructureDefinition/flavour"
* subject ^extension[0].valueString = "bitter"
* subject ^constraint[+].key = "ch-1"
* subject ^constraint[=].severity = #error
* subject ^constraint[=].human = "A subject is given"
* subject ^constraint[=].expression = "reference.exists()"
* component ^slicing.discriminator[0].type = #pattern
* component ^slicing.discriminator[0].path = "code"
* component ^slicing.rules = #open
* component contains first 0..1 and second 0..1
* component[first] ^short = "First"
* component[first] ^extension[Flavour].valueString = "salty"
* component[second] ^short = "Second"
* component[second].code ^binding.strength = #example
* component[second].code ^binding.description = "Any code"
* note ^mustSupport = true
* note ^alias[0] = "comment"
* note ^alias[1] = "remark"
* interpretation ^comment = "Not used"
* interpretation ^example[0].label = "An example"
* interpretation ^example[0].valueCodeableConcept = http://example.org/cs#x

* ^publisher = "Example"
* ^extension[Flavour].valueString = "umami"
* ^contact[0].name = "A contact"

CodeSystem: Shades
Id: shades
* ^caseSensitive = true
* ^extension[Strength].valueInteger = 2
* ^property[0].code = #dark
* ^property[0].type = #boolean
* #grey "Grey"
* #black "Black"

ValueSet: ShadeVS
Id: shade-vs
* ^extension[Flavour].valueString = "plain"
* ^immutable = true
* include codes from system Shades

Instance: caret-heavy-example
InstanceOf: CaretHeavy
* status = #final
* code = http://example.org/cs#a

Instance: caret-heavy-second
InstanceOf: CaretHeavy
* status = #amended
* code = Shades#grey
* component[first].code = Shades#black

Instance: PublisherContact
InstanceOf: ContactDetail
Usage: #inline
* name = "Deferred contact"

Profile: WithDeferred
Parent: Observation
Id: with-deferred
* ^contact[0] = PublisherContact

Instance: with-deferred-example
InstanceOf: WithDeferred
* status = #final
* code = Shades#grey

Mapping: CaretMap
Id: caret-map
Source: CaretHeavy
Target: "http://example.org/caret-map"
* -> "Observation"
* status -> "Obs.status"

Instance: caret-heavy-third
InstanceOf: CaretHeavy
* status = #final
* code = Shades#black
* note.text = "third"
`;

async function compileBoth(root: string): Promise<[string, string]> {
  const { ctx } = loadContext(root, options);
  const run = async (on: boolean) => {
    useSushiSpeedups(on);
    const { result, diagnostics } = await compileFsh(ctx!.paths, ctx!.config);
    return JSON.stringify({
      resources: result.resources.map(r => [r.fileName, r.resource]),
      implementationGuide: result.implementationGuide?.resource,
      counts: result.counts,
      diagnostics: diagnostics.map(formatDiagnostic)
    });
  };
  return [await run(false), await run(true)];
}

describe('the SUSHI speed-up', () => {
  afterAll(() => useSushiSpeedups(true));

  it('leaves the compile of caret rules on many elements unchanged', async () => {
    const root = makeProject({ 'sushi-config.yaml': MINIMAL_CONFIG, 'input/fsh/caret.fsh': CARET_RULES });
    const [without, withIt] = await compileBoth(root);
    expect(withIt).toBe(without);
    expect(JSON.parse(without).diagnostics).toEqual([]);
    expect(without).toContain('"key":"ch-1"');
    expect(without).toContain('"valueString":"salty"');
    // Assigned by a deferred caret rule, after the instances were exported.
    expect(without).toContain('"name":"Deferred contact"');
    // Applied by the mapping exporter, after the instances too.
    expect(without).toContain('"map":"Obs.status"');
  }, 120_000);

  it.each([
    ['this guide', () => copyGuide()],
    ['the HL7-style fixture guide', () => makeProject({}, join(REPO_ROOT, 'test', 'fixtures', 'guides', 'standard'))]
  ])(
    'leaves the compile of %s unchanged',
    async (_name, make) => {
      const [without, withIt] = await compileBoth(make());
      expect(withIt).toBe(without);
      expect(JSON.parse(without).resources.length).toBeGreaterThan(5);
    },
    180_000
  );
});
