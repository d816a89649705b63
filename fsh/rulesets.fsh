// Rule sets shared by the profiles.

// Prohibits an element (0..0) and says why, in short and definition.
RuleSet: NotSent(path, short, why)
* {path} 0..0
* {path} ^short = "{short}"
* {path} ^definition = "{why}"

// Adds a generated narrative (XHTML) to an example. The parameter is the content of the div.
RuleSet: Narrative(html)
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">{html}</div>"

// Explains a constrained element: short label and definition saying why.
RuleSet: Why(path, short, why)
* {path} ^short = "{short}"
* {path} ^definition = "{why}"

// Standards status and maturity level (FMM) of a conformance artifact, as the IG Publisher shows
// them: every artifact of this draft guide is at level 1 (alpha: published, perhaps not yet
// implemented; see the versioning page). MaturityOfInstance is the same for artifacts written as
// Instances (the capability statement, the ConceptMap).
RuleSet: Maturity(fmm)
* ^extension[$fmm].valueInteger = {fmm}
* ^extension[$standardsStatus].valueCode = #draft

RuleSet: MaturityOfInstance(fmm)
* extension[$fmm].valueInteger = {fmm}
* extension[$standardsStatus].valueCode = #draft
